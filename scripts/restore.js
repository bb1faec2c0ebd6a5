#!/usr/bin/env node
// `npm run restore -- --in <file> [--force]`: restores a file from `npm run backup` into the
// configured database (the app's DATABASE_* environment and .env). The target must be empty
// (a new SQLite path, or a new PostgreSQL database) unless --force, which replaces everything in
// it; a file of the other dialect, or one that is missing or damaged, is refused and nothing
// changes. Stop the app first. Exit 0 done, 2 refused, 1 failed. Logic: scripts/lib/database-backup.js.
// @ts-check
'use strict';

const { parseArgs } = require('util');
const { BackupError, OWN_TABLES, describeTarget, loadAppEnv, resolveDatabase, restoreDatabase } = require('./lib/database-backup');

const USAGE = 'usage: npm run restore -- --in <file> [--force]';

async function main() {
  /** @type {{ in?: string; force?: boolean; help?: boolean }} */
  let values;
  try {
    ({ values } = parseArgs({
      options: { in: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    throw new BackupError(`${/** @type {Error} */ (error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.in) throw new BackupError(`--in is required (a file written by npm run backup)\n${USAGE}`);

  loadAppEnv();
  const target = resolveDatabase();
  console.log(`restore: restoring ${values.in} into the ${describeTarget(target)}${values.force ? ' (--force: replacing what is there)' : ''}`);
  const { file, source, summary } = await restoreDatabase(target, values.in, { force: values.force ?? false });
  console.log(`restore: restored ${file} (${source})`);
  console.log(
    `restore: ${summary.tables} tables, ${summary.rows} rows; change log head position ${summary.changeLogHead}, next position ${summary.nextPosition}`,
  );
  const own = OWN_TABLES.filter((name) => name in summary.ownTables).map((name) => `${name} ${summary.ownTables[name]}`);
  if (own.length > 0) console.log(`restore: ${own.join(', ')}`);
  console.log('restore: uploads (public/uploads or the upload provider) are not in a backup: restore them separately.');
}

main().catch((error) => {
  console.error(`restore: ${error instanceof BackupError ? error.message : error?.stack ?? error}`);
  process.exit(error instanceof BackupError ? error.exitCode : 1);
});
