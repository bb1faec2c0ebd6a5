#!/usr/bin/env node
// `npm run backup -- --out <file>`: a whole-database backup of the configured database (the
// app's DATABASE_* environment and .env): PostgreSQL as a pg_dump custom-format archive, SQLite
// as a consistent copy made with SQLite's online backup. The file (mode 0600) holds secrets.
// Exit 0 done, 2 refused (bad arguments, no database), 1 failed. Logic: scripts/lib/database-backup.js.
// @ts-check
'use strict';

const { parseCommandLine, runCommand } = require('./lib/cli');
const { asCliError, backupDatabase, describeTarget, formatBytes, loadAppEnv, resolveDatabase } = require('./lib/database-backup');

/** @type {import('./lib/cli').CliSpec} */
const CLI = {
  name: 'backup',
  npm: 'backup',
  summary: 'A whole-database backup of the configured database (DATABASE_* and .env); the file holds secrets (mode 0600).',
  options: { out: { type: 'string', value: '<file>', required: true, description: 'the backup file to write' } },
};

// A BackupError anywhere (a refusal: 2, or a tool or the database failing: 1) is printed as its message alone.
runCommand(CLI, () => backup().catch((error) => Promise.reject(asCliError(error))));

async function backup() {
  const { values } = parseCommandLine(CLI, process.argv.slice(2));
  const out = /** @type {string} */ (values.out);
  loadAppEnv();
  const target = resolveDatabase();
  console.log(`backup: backing up the ${describeTarget(target)}`);
  const result = await backupDatabase(target, out);
  console.log(`backup: wrote ${result.file} (${formatBytes(result.bytes)}, mode 0${result.mode.toString(8)}): ${result.description}; ${result.details}`);
  console.log(
    'backup: it contains secrets (webhook signing secrets, partner and API token hashes, admin password hashes): keep it as safe as the .env. ' +
      'Uploads (public/uploads or the upload provider) are not in it.',
  );
}
