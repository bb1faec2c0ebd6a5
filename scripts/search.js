#!/usr/bin/env node
// @ts-check
// `npm run search:reindex`: builds the search index (src/api/search/) again from the published
// documents, in one transaction, with a progress line; the app keeps it up to date by itself
// (the change log), so this is for a restored database or a changed index format.
const path = require('path');
const { parseCommandLine, runCommand, withStrapi } = require('./lib/cli');

/** @type {import('./lib/cli').CliSpec} */
const CLI = {
  name: 'search:reindex',
  npm: 'search:reindex',
  summary: 'Builds the search index again from every published article, event, person, organisation and topic.',
};

runCommand(CLI, async () => {
  parseCommandLine(CLI, process.argv.slice(2));
  await withStrapi(async (strapi, app) => {
    /** @type {typeof import('../src/api/search/indexer')} */
    const { reindexAll } = require(path.join(app.distDir, 'src/api/search/indexer.js'));
    const began = Date.now();
    let shown = -1;
    const count = await reindexAll(strapi, (done, total) => {
      const percent = Math.floor((100 * done) / total);
      if (percent === shown && done !== total) return;
      shown = percent;
      const width = 30;
      const filled = Math.round((width * done) / total);
      process.stdout.write(`\rsearch: [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    });
    if (count > 0) process.stdout.write('\n');
    console.log(`search: indexed ${count} published documents in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  });
});
