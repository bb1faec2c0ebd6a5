#!/usr/bin/env node
// @ts-check
// `npm run seed`: compiles the app (when a source changed since the last build), boots Strapi
// without serving HTTP, loads the demo content (src/lib/seed/seed.ts) in Danish and English, and
// shuts down cleanly (scripts/lib/cli.js). Safe to run again.
const path = require('path');
const { parseCommandLine, runCommand, withStrapi } = require('./lib/cli');

/** @type {import('./lib/cli').CliSpec} */
const CLI = {
  name: 'seed',
  npm: 'seed',
  summary: 'Loads the demo content (Danish and English) into the configured database; safe to run again.',
};

runCommand(CLI, async () => {
  parseCommandLine(CLI, process.argv.slice(2));
  await withStrapi(async (strapi, app) => {
    /** @type {typeof import('../src/lib/seed/seed')} */
    const { seedDemoContent } = require(path.join(app.distDir, 'src/lib/seed/seed.js'));
    await seedDemoContent(strapi, { log: (line) => console.log(line) });
  });
});
