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

const { CliError, parseCommandLine, runCommand } = require('./lib/cli');
const { asCliError, DEFAULT_POSITION_GAP, OWN_TABLES, describeTarget, loadAppEnv, resolveDatabase, restoreDatabase } = require('./lib/database-backup');

/** @type {import('./lib/cli').CliSpec} */
const CLI = {
  name: 'restore',
  npm: 'restore',
  summary: 'Restores a file from npm run backup into the configured database (DATABASE_* and .env), which must be empty unless --force. Stop the app first.',
  options: {
    in: { type: 'string', value: '<file>', required: true, description: 'a file written by npm run backup' },
    force: { type: 'boolean', description: 'replace everything in a database that is not empty' },
    'position-gap': { type: 'string', value: '<n>', default: String(DEFAULT_POSITION_GAP), description: "how far after the backup's next change-log position to go on" },
  },
};

// A BackupError anywhere (a refusal: 2, or a tool or the database failing: 1) is printed as its message alone.
runCommand(CLI, () => restore().catch((error) => Promise.reject(asCliError(error))));

async function restore() {
  const { values } = parseCommandLine(CLI, process.argv.slice(2));
  const gapText = /** @type {string} */ (values['position-gap']);
  if (!/^\d+$/.test(gapText) || !Number.isSafeInteger(Number(gapText))) {
    throw new CliError(`--position-gap must be a whole number >= 0; got "${gapText}"`, { showUsage: true });
  }
  const positionGap = Number(gapText);
  const file = /** @type {string} */ (values.in);
  const force = values.force === true;

  loadAppEnv();
  const target = resolveDatabase();
  console.log(`restore: restoring ${file} into the ${describeTarget(target)}${force ? ' (--force: replacing what is there)' : ''}`);
  const restored = await restoreDatabase(target, file, { force, positionGap });
  const { source, summary } = restored;
  console.log(`restore: restored ${restored.file} (${source})`);
  console.log(
    `restore: ${summary.tables} tables, ${summary.rows} rows; change log head position ${summary.changeLogHead}, next position ${summary.nextPosition}` +
      (positionGap > 0 ? ` (${positionGap} after the backup's: positions handed out since the backup are not handed out again)` : ''),
  );
  const own = OWN_TABLES.filter((name) => name in summary.ownTables).map((name) => `${name} ${summary.ownTables[name]}`);
  if (own.length > 0) console.log(`restore: ${own.join(', ')}`);
  console.log('restore: uploads (public/uploads or the upload provider) are not in a backup: restore them separately.');
}
