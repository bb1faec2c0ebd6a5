#!/usr/bin/env node
// `npm run backup -- --out <file>`: a whole-database backup of the configured database (the
// app's DATABASE_* environment and .env): PostgreSQL as a pg_dump custom-format archive, SQLite
// as a consistent copy made with SQLite's online backup. The file (mode 0600) holds secrets.
// Exit 0 done, 2 refused (bad arguments, no database), 1 failed. Logic: scripts/lib/database-backup.js.
// @ts-check
'use strict';

const { parseArgs } = require('util');
const { BackupError, backupDatabase, describeTarget, formatBytes, loadAppEnv, resolveDatabase } = require('./lib/database-backup');

const USAGE = 'usage: npm run backup -- --out <file>';

async function main() {
  /** @type {{ out?: string; help?: boolean }} */
  let values;
  try {
    ({ values } = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    throw new BackupError(`${/** @type {Error} */ (error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.out) throw new BackupError(`--out is required (the backup file to write)\n${USAGE}`);

  loadAppEnv();
  const target = resolveDatabase();
  console.log(`backup: backing up the ${describeTarget(target)}`);
  const result = await backupDatabase(target, values.out);
  console.log(`backup: wrote ${result.file} (${formatBytes(result.bytes)}, mode 0${result.mode.toString(8)}): ${result.description}; ${result.details}`);
  console.log(
    'backup: it contains secrets (webhook signing secrets, partner and API token hashes, admin password hashes): keep it as safe as the .env. ' +
      'Uploads (public/uploads or the upload provider) are not in it.',
  );
}

main().catch((error) => {
  console.error(`backup: ${error instanceof BackupError ? error.message : error?.stack ?? error}`);
  process.exit(error instanceof BackupError ? error.exitCode : 1);
});
