#!/usr/bin/env node
// @ts-check
// `npm run sync:compact`: compacts the change log now (src/lib/sync/compaction.ts), as every
// instance does by itself each CHANGE_LOG_COMPACT_EVERY_MINUTES: changes older than
// CHANGE_LOG_RETENTION_DAYS are folded into their document's later change, old tombstones are
// dropped. Prints what it did.
const path = require('path');
const { parseCommandLine, runCommand, withStrapi } = require('./lib/cli');

/** @type {import('./lib/cli').CliSpec} */
const CLI = {
  name: 'sync:compact',
  npm: 'sync:compact',
  summary: 'Compacts the change log: old changes folded into later ones, old tombstones dropped (CHANGE_LOG_RETENTION_DAYS).',
};

runCommand(CLI, async () => {
  parseCommandLine(CLI, process.argv.slice(2));
  await withStrapi(async (strapi, app) => {
    /** @type {typeof import('../src/lib/sync/compaction')} */
    const { compactChangeLog, retentionStart } = require(path.join(app.distDir, 'src/lib/sync/compaction.js'));
    const [before] = /** @type {Array<{ rows: number | string }>} */ (await strapi.db.connection('sync_changes').count({ rows: '*' }));
    const result = await compactChangeLog(strapi.db.connection, retentionStart(strapi));
    const [after] = /** @type {Array<{ rows: number | string }>} */ (await strapi.db.connection('sync_changes').count({ rows: '*' }));
    console.log(
      `sync:compact: ${result.folded} changes folded into later ones, ${result.tombstones} tombstones dropped; ` +
        `${Number(before?.rows ?? 0)} → ${Number(after?.rows ?? 0)} rows; feed cursors below position ${result.expiredBefore} now start over`,
    );
  });
});
