#!/usr/bin/env node
// `npm run restore -- --in <file> [--force] [--position-gap <n>]`: restores a file from `npm run
// backup` into the configured database (the app's DATABASE_* environment and .env). The target
// must be empty (a new SQLite path, or a new PostgreSQL database) unless --force, which replaces
// everything in it; a file of the other dialect, or one that is missing or damaged, is refused and
// nothing changes. The change log goes on --position-gap positions (default 1,000,000) after the
// backup's next one, so no position handed out after the backup is handed out again. Stop the app
// first. Exit 0 done, 2 refused, 1 failed. Logic: scripts/lib/database-backup.js.
// @ts-check
'use strict';

const { parseArgs } = require('util');
const { BackupError, DEFAULT_POSITION_GAP, OWN_TABLES, describeTarget, loadAppEnv, resolveDatabase, restoreDatabase } = require('./lib/database-backup');

const USAGE = 'usage: npm run restore -- --in <file> [--force] [--position-gap <n>]';

async function main() {
  /** @type {{ in?: string; force?: boolean; 'position-gap'?: string; help?: boolean }} */
  let values;
  try {
    ({ values } = parseArgs({
      options: { in: { type: 'string' }, force: { type: 'boolean' }, 'position-gap': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    throw new BackupError(`${/** @type {Error} */ (error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.in) throw new BackupError(`--in is required (a file written by npm run backup)\n${USAGE}`);
  const gapText = values['position-gap'] ?? String(DEFAULT_POSITION_GAP);
  if (!/^\d+$/.test(gapText) || !Number.isSafeInteger(Number(gapText))) {
    throw new BackupError(`--position-gap must be a whole number >= 0; got "${gapText}"\n${USAGE}`);
  }
  const positionGap = Number(gapText);

  loadAppEnv();
  const target = resolveDatabase();
  console.log(`restore: restoring ${values.in} into the ${describeTarget(target)}${values.force ? ' (--force: replacing what is there)' : ''}`);
  const { file, source, summary } = await restoreDatabase(target, values.in, { force: values.force ?? false, positionGap });
  console.log(`restore: restored ${file} (${source})`);
  console.log(
    `restore: ${summary.tables} tables, ${summary.rows} rows; change log head position ${summary.changeLogHead}, next position ${summary.nextPosition}` +
      (positionGap > 0 ? ` (${positionGap} after the backup's: positions handed out since the backup are not handed out again)` : ''),
  );
  const own = OWN_TABLES.filter((name) => name in summary.ownTables).map((name) => `${name} ${summary.ownTables[name]}`);
  if (own.length > 0) console.log(`restore: ${own.join(', ')}`);
  console.log('restore: uploads (public/uploads or the upload provider) are not in a backup: restore them separately.');
}

main().catch((error) => {
  console.error(`restore: ${error instanceof BackupError ? error.message : error?.stack ?? error}`);
  process.exit(error instanceof BackupError ? error.exitCode : 1);
});
