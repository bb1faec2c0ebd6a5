/**
 * Whole-database backups and restores of the app's configured database (the DATABASE_*
 * environment that config/database.ts reads): PostgreSQL with `pg_dump --format=custom` and
 * `pg_restore` fed through `psql` in one transaction, SQLite with SQLite's online backup API
 * (better-sqlite3, consistent while the app writes) and an atomic file replace on restore.
 * Whole databases, because Strapi's own export/import leaves out our tables (change log, partner
 * mappings and identities, idempotency keys, webhook subscriptions and outbox) and the sequence
 * positions. Backups hold secrets, so every file this writes is mode 0600. Used by
 * scripts/backup.js and scripts/restore.js (and their test, tests/backup/).
 */
// @ts-check
'use strict';

const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { Client } = require('pg');
const { CliError } = require('./cli');

/** @typedef {import('better-sqlite3').Database} SqliteConnection (typed in ./better-sqlite3.d.ts) */
const SqliteDatabase = require('better-sqlite3');

const APP_DIR = path.resolve(__dirname, '..', '..');
const PRIVATE_MODE = 0o600;

/** Our own tables (database/migrations/) and the partner ones, counted in the summaries. */
const OWN_TABLES = [
  'sync_changes',
  'partners',
  'partner_tokens',
  'partner_events',
  'partner_identities',
  'partner_idempotency_keys',
  'webhook_subscriptions',
  'webhook_deliveries',
];
/** Every Strapi database has it; a backup without it is not one of this app. */
const STRAPI_MARKER_TABLE = 'strapi_database_schema';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const PGDMP_MAGIC = Buffer.from('PGDMP', 'latin1');

/**
 * A refusal or failure with the exit code the command line should end with: 2 when the caller
 * asked for something we will not do (wrong file, non-empty target: the "4xx" cases), 1 when a
 * tool or the database failed.
 */
class BackupError extends Error {
  /** @param {string} message @param {number} [exitCode] */
  constructor(message, exitCode = 2) {
    super(message);
    this.name = 'BackupError';
    this.exitCode = exitCode;
  }
}

/**
 * @typedef {{
 *   connectionString?: string; host: string; port: number; database: string; user: string;
 *   password: string; ssl: false | { rejectUnauthorized: boolean };
 * }} PostgresConfig
 * @typedef {{ dialect: 'sqlite'; filename: string } | { dialect: 'postgres'; config: PostgresConfig }} DatabaseTarget
 * @typedef {{
 *   tables: number; rows: number; changeLogHead: number; nextPosition: number;
 *   ownTables: Record<string, number>;
 * }} DatabaseSummary
 */

/**
 * The database the app would open with this environment: the same rules and defaults as
 * config/database.ts (checked against it by tests/backup/). Strapi's `env()` treats a variable
 * that is set, even to "", as set; so does this.
 * @param {NodeJS.ProcessEnv} [env]
 * @param {string} [appDir] relative SQLite filenames are taken from here, like the app does
 * @returns {DatabaseTarget}
 */
function resolveDatabase(env = process.env, appDir = APP_DIR) {
  /** @param {string} name @param {string} fallback */
  const str = (name, fallback) => (env[name] === undefined ? fallback : String(env[name]));
  /** @param {string} name @param {number} fallback */
  const int = (name, fallback) => (env[name] === undefined ? fallback : parseInt(String(env[name]), 10));
  /** @param {string} name @param {boolean} fallback */
  const bool = (name, fallback) => (env[name] === undefined ? fallback : env[name] === 'true');

  const url = str('DATABASE_URL', '');
  const client = str('DATABASE_CLIENT', url ? 'postgres' : 'sqlite');
  if (client === 'postgres') {
    return {
      dialect: 'postgres',
      config: {
        connectionString: url || undefined,
        host: str('DATABASE_HOST', '127.0.0.1'),
        port: int('DATABASE_PORT', 5432),
        database: str('DATABASE_NAME', 'strapi'),
        user: str('DATABASE_USERNAME', 'strapi'),
        password: str('DATABASE_PASSWORD', ''),
        ssl: bool('DATABASE_SSL', false) ? { rejectUnauthorized: bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true) } : false,
      },
    };
  }
  if (client !== 'sqlite') {
    throw new BackupError(`Unsupported DATABASE_CLIENT "${client}": use "sqlite" or "postgres".`);
  }
  const filename = str('DATABASE_FILENAME', '') || '.tmp/data.db';
  return { dialect: 'sqlite', filename: path.isAbsolute(filename) ? filename : path.join(appDir, filename) };
}

/** @param {DatabaseTarget} target */
function describeTarget(target) {
  if (target.dialect === 'sqlite') return `SQLite database ${target.filename}`;
  const { host, port, database } = new Client(target.config);
  return `PostgreSQL database "${database}" on ${host}:${port}`;
}

/** @param {'sqlite' | 'postgres'} dialect */
const dialectName = (dialect) => (dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL');

// ---------------------------------------------------------------------------------------------
// Files

/** A new empty file only we can read, to be filled and then renamed into place. */
function createPrivateFile(/** @type {string} */ file) {
  const fd = fs.openSync(file, 'wx', PRIVATE_MODE);
  fs.fchmodSync(fd, PRIVATE_MODE); // whatever the umask
  fs.closeSync(fd);
}

/** Flushes a finished file to disk and renames it over `destination` (atomic on one file system). */
function commitFile(/** @type {string} */ temporary, /** @type {string} */ destination) {
  fs.chmodSync(temporary, PRIVATE_MODE);
  const fd = fs.openSync(temporary, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, destination);
}

function removeQuietly(/** @type {string} */ file) {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}

/** A sibling path for work in progress: same directory, so the final rename is atomic. */
const workPath = (/** @type {string} */ file, /** @type {string} */ tag) =>
  path.join(path.dirname(file), `.${path.basename(file)}.${tag}-${process.pid}-${Date.now()}`);

/**
 * Which dialect a backup file is in, from its first bytes; refuses what is neither.
 * @param {string} file
 * @returns {'sqlite' | 'postgres'}
 */
function backupDialect(file) {
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new BackupError(`no backup file at ${file}`);
  }
  if (!stat.isFile()) throw new BackupError(`${file} is not a file`);
  if (stat.size === 0) throw new BackupError(`${file} is empty: not a backup`);
  const head = Buffer.alloc(16);
  const fd = fs.openSync(file, 'r');
  let length;
  try {
    length = fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (length >= SQLITE_MAGIC.length && head.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) return 'sqlite';
  if (length >= PGDMP_MAGIC.length && head.subarray(0, PGDMP_MAGIC.length).equals(PGDMP_MAGIC)) return 'postgres';
  throw new BackupError(
    `${file} is not a backup: neither a PostgreSQL custom-format archive (pg_dump --format=custom) nor an SQLite database`,
  );
}

// ---------------------------------------------------------------------------------------------
// Child processes

/**
 * Runs a PostgreSQL client program; resolves with its stdout, or rejects with its own words.
 * @param {string} program @param {string[]} args @param {Record<string, string>} env
 * @param {number} [failureExitCode] the BackupError exit code when the program fails
 * @returns {Promise<string>}
 */
function runProgram(program, args, env, failureExitCode = 1) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => reject(programError(program, error)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new BackupError(`${program} failed (${signal ?? `exit ${code}`}): ${lastLines(stderr)}`, failureExitCode));
    });
  });
}

/** @param {string} program @param {Error & { code?: string }} error */
function programError(program, error) {
  if (error.code === 'ENOENT') {
    return new BackupError(
      `${program} not found on PATH: install the PostgreSQL client programs (pg_dump, pg_restore, psql) of the server's major version or newer`,
      1,
    );
  }
  return new BackupError(`${program} could not run: ${error.message}`, 1);
}

const lastLines = (/** @type {string} */ text, count = 6) =>
  text.trim().split('\n').slice(-count).join('\n') || '(no message)';

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/**
 * The libpq environment (PGHOST…) for pg_dump, pg_restore and psql that reaches exactly the
 * server node-postgres would: the connection parameters are node-postgres's own resolution of
 * the app's config (DATABASE_URL parts win over the separate variables).
 * @param {PostgresConfig} config
 * @returns {Record<string, string>}
 */
function libpqEnvironment(config) {
  const client = new Client(config);
  /** @type {{ ssl?: unknown }} */
  const parameters = /** @type {any} */ (client).connectionParameters ?? {};
  const ssl = parameters.ssl ?? config.ssl;
  const sslmode = !ssl
    ? 'disable'
    : typeof ssl === 'object' && /** @type {{ rejectUnauthorized?: boolean }} */ (ssl).rejectUnauthorized === false
      ? 'require'
      : 'verify-full';
  /** @type {Record<string, string>} */
  const env = {
    PGHOST: client.host,
    PGPORT: String(client.port),
    PGDATABASE: client.database ?? '',
    PGUSER: client.user ?? '',
    PGSSLMODE: process.env.PGSSLMODE ?? sslmode,
    PGCONNECT_TIMEOUT: process.env.PGCONNECT_TIMEOUT ?? '30',
  };
  if (typeof client.password === 'string' && client.password) env.PGPASSWORD = client.password;
  return env;
}

/** @param {PostgresConfig} config @param {(client: import('pg').Client) => Promise<any>} work */
async function withPostgres(config, work) {
  const client = new Client(config);
  try {
    await client.connect();
  } catch (error) {
    const { code, message } = /** @type {Error & { code?: string }} */ (error);
    if (code === '3D000') {
      throw new BackupError(
        `${describeTarget({ dialect: 'postgres', config })} does not exist: create it first (for example createdb -O ${client.user} ${client.database})`,
      );
    }
    throw new BackupError(`cannot connect to ${describeTarget({ dialect: 'postgres', config })}: ${message}`, 1);
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Everything that makes a database "not empty": relations outside the system schemas. */
const USER_RELATIONS_SQL = `
  select n.nspname as schema, c.relname as name, c.relkind as kind
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema'
    and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
  order by (c.relkind in ('r', 'p')) desc, n.nspname, c.relname`;

/**
 * What `pg_restore --list` says about an archive; fails when pg_restore cannot read it.
 * @param {string} file
 */
async function readArchive(file) {
  let listing;
  try {
    listing = await runProgram('pg_restore', ['--list', file], {}, 2);
  } catch (error) {
    if (!(error instanceof BackupError) || error.exitCode !== 2) throw error;
    throw new BackupError(`${file} is not a readable PostgreSQL backup (damaged or incomplete?): ${error.message}`);
  }
  /** @param {RegExp} pattern */
  const header = (pattern) => pattern.exec(listing)?.[1]?.trim() ?? '?';
  const tables = [...listing.matchAll(/^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) /gm)].map((match) => match[2]);
  return {
    createdAt: header(/^;\s+Archive created at (.+)$/m),
    database: header(/^;\s+dbname: (.+)$/m),
    serverVersion: header(/^;\s+Dumped from database version: (.+)$/m),
    dumpVersion: header(/^;\s+Dumped by pg_dump version: (.+)$/m),
    tables,
  };
}

/**
 * @param {PostgresConfig} config @param {string} outFile
 */
async function backupPostgres(config, outFile) {
  const env = libpqEnvironment(config);
  // Connect first, for a clear message when the database is missing or unreachable.
  await withPostgres(config, async () => undefined);
  const temporary = workPath(outFile, 'partial');
  createPrivateFile(temporary);
  try {
    // pg_dump runs in one repeatable-read snapshot: consistent while the app writes. It opens
    // the file we created (0600) and keeps its mode.
    await runProgram('pg_dump', ['--format=custom', '--no-password', `--file=${temporary}`], env);
    const archive = await readArchive(temporary);
    commitFile(temporary, outFile);
    return {
      description: `PostgreSQL custom-format archive of database "${archive.database}" (server ${archive.serverVersion}, pg_dump ${archive.dumpVersion})`,
      details: `${archive.tables.length} tables`,
    };
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }
}

/**
 * Clears nothing and writes nothing unless the whole restore succeeds: psql runs `BEGIN`, the
 * emptiness guard (or, with force, dropping every schema), pg_restore's script, and `COMMIT`
 * only after pg_restore exited cleanly; any failure kills psql, and the server rolls back.
 * `beforeCommit` is SQL run in the same transaction after pg_restore's script.
 * @param {Record<string, string>} env @param {string} inFile @param {boolean} force @param {string} [beforeCommit]
 * @returns {Promise<void>}
 */
function restoreInOneTransaction(env, inFile, force, beforeCommit = '') {
  const preamble = [
    'SET client_min_messages = warning;',
    'BEGIN;',
    force
      ? `DO $$
         DECLARE s name;
         BEGIN
           FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' LOOP
             EXECUTE format('DROP SCHEMA %I CASCADE', s);
           END LOOP;
           IF pg_has_role('pg_database_owner', 'MEMBER') THEN
             CREATE SCHEMA public AUTHORIZATION pg_database_owner;
           ELSE
             CREATE SCHEMA public;
           END IF;
           GRANT USAGE ON SCHEMA public TO PUBLIC;
         END $$;`
      : `DO $$
         BEGIN
           IF EXISTS (${USER_RELATIONS_SQL}) THEN
             RAISE EXCEPTION 'the target database is not empty';
           END IF;
         END $$;`,
    '',
  ].join('\n');

  return new Promise((resolve, reject) => {
    const childEnv = { ...process.env, ...env };
    const psql = spawn('psql', ['--no-psqlrc', '--quiet', '--no-password', '--set', 'ON_ERROR_STOP=1', '--output', '/dev/null'], {
      env: childEnv,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    const restore = spawn('pg_restore', ['--no-owner', '--no-privileges', '--file=-', inFile], {
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let psqlErrors = '';
    let restoreErrors = '';
    psql.stderr.on('data', (chunk) => (psqlErrors += chunk));
    restore.stderr.on('data', (chunk) => (restoreErrors += chunk));
    psql.stdin.on('error', () => undefined); // psql stopped early: its exit says why

    /** @type {BackupError | undefined} */
    let spawnFailure;
    let psqlKilled = false;
    /** @type {{ code: number | null; signal: NodeJS.Signals | null } | undefined} */
    let psqlExit;
    /** @type {{ code: number | null; signal: NodeJS.Signals | null } | undefined} */
    let restoreExit;
    const killPsql = () => {
      psqlKilled = true;
      if (psql.exitCode === null && psql.signalCode === null) psql.kill('SIGKILL');
    };
    psql.on('error', (error) => {
      spawnFailure ??= programError('psql', error);
      restore.kill('SIGKILL');
    });
    restore.on('error', (error) => {
      spawnFailure ??= programError('pg_restore', error);
      killPsql();
    });

    const settle = () => {
      if (!psqlExit || !restoreExit) return;
      if (spawnFailure) return reject(spawnFailure);
      if (psqlExit.code === 0 && restoreExit.code === 0) return resolve();
      if (!psqlKilled && psqlExit.code !== 0) {
        return reject(new BackupError(`the restore failed and was rolled back, nothing was changed: ${lastLines(psqlErrors || `psql ${psqlExit.signal ?? `exit ${psqlExit.code}`}`)}`, 1));
      }
      reject(new BackupError(`pg_restore could not read ${inFile} (damaged or incomplete?); nothing was changed: ${lastLines(restoreErrors || `pg_restore ${restoreExit.signal ?? `exit ${restoreExit.code}`}`)}`));
    };

    psql.stdin.write(preamble);
    restore.stdout.pipe(psql.stdin, { end: false });
    restore.on('close', (code, signal) => {
      restoreExit = { code, signal };
      // COMMIT only after the whole script went through; otherwise the server rolls back.
      if (code === 0 && !spawnFailure) psql.stdin.end(`${beforeCommit}\nCOMMIT;\n`);
      else if (!psqlExit) killPsql();
      settle();
    });
    psql.on('close', (code, signal) => {
      psqlExit = { code, signal };
      // psql stopped on an error: pg_restore would block on a full pipe.
      if (!restoreExit) restore.kill('SIGKILL');
      settle();
    });
  });
}

/** @param {PostgresConfig} config @param {string} inFile @param {{ force: boolean; positionGap: number }} options */
async function restorePostgres(config, inFile, { force, positionGap }) {
  const target = describeTarget({ dialect: 'postgres', config });
  const archive = await readArchive(inFile);
  if (!archive.tables.includes(STRAPI_MARKER_TABLE)) {
    throw new BackupError(`${inFile} is not a backup of this app: it has no ${STRAPI_MARKER_TABLE} table`);
  }
  const existing = await withPostgres(config, async (client) => (await client.query(USER_RELATIONS_SQL)).rows);
  if (existing.length > 0 && !force) {
    throw notEmpty(target, existing.map((/** @type {{ name: string }} */ row) => row.name), 'tables, views and sequences');
  }
  // A database replaced with --force may have handed out positions past the backup's too.
  const floor = existing.length > 0 ? await replacedNextPositionPostgres(config) : 1;
  // In the restore's transaction, after pg_restore's script (which empties search_path, hence
  // the pg_catalog names): the next position goes on `positionGap` after the later of the
  // backup's and the replaced database's.
  const moveOn = `DO $$
    DECLARE seq text; next_position bigint;
    BEGIN
      SELECT pg_catalog.pg_get_serial_sequence(c.oid::regclass::text, 'id') INTO seq
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relname = 'sync_changes' AND c.relkind IN ('r', 'p') AND n.nspname NOT LIKE 'pg\\_%' LIMIT 1;
      IF seq IS NOT NULL THEN
        EXECUTE pg_catalog.format('SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM %s', seq) INTO next_position;
        IF GREATEST(next_position, ${floor}) - 1 + ${positionGap} > 0 THEN
          PERFORM pg_catalog.setval(seq, GREATEST(next_position, ${floor}) - 1 + ${positionGap}, true);
        END IF;
      END IF;
    END $$;`;
  await restoreInOneTransaction(libpqEnvironment(config), inFile, force, moveOn);
  return {
    source: `PostgreSQL custom-format archive of database "${archive.database}", made ${archive.createdAt} by pg_dump ${archive.dumpVersion}`,
    summary: await summarizePostgres(config),
  };
}

/** @param {PostgresConfig} config @returns {Promise<DatabaseSummary>} */
function summarizePostgres(config) {
  return withPostgres(config, async (client) => {
    const { rows: tables } = await client.query(
      `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema' and c.relkind in ('r', 'p')`,
    );
    /** @type {Record<string, number>} */
    const counts = {};
    let rows = 0;
    for (const table of tables) {
      const name = `${client.escapeIdentifier(table.schema)}.${client.escapeIdentifier(table.name)}`;
      const count = Number((await client.query(`select count(*) as n from ${name}`)).rows[0].n);
      rows += count;
      counts[table.name] = count;
    }
    const log = tables.find((table) => table.name === 'sync_changes');
    const { changeLogHead, nextPosition } = log ? await changeLogPostgres(client, log.schema) : { changeLogHead: 0, nextPosition: 1 };
    return summary(tables.length, rows, changeLogHead, nextPosition, counts);
  });
}

/**
 * The change log's head and next position in `schema`.
 * @param {import('pg').Client} client @param {string} schema
 */
async function changeLogPostgres(client, schema) {
  const name = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier('sync_changes')}`;
  const changeLogHead = Number((await client.query(`select coalesce(max(id), 0) as head from ${name}`)).rows[0].head);
  const sequence = (await client.query(`select pg_get_serial_sequence($1, 'id') as seq`, [name])).rows[0].seq;
  if (!sequence) return { changeLogHead, nextPosition: changeLogHead + 1 };
  // A sequence's position is what pg_dump carries (setval), not max(id): ids of rolled-back
  // transactions are never handed out again either.
  const { last_value: last, is_called: called } = (await client.query(`select last_value, is_called from ${sequence}`)).rows[0];
  return { changeLogHead, nextPosition: called ? Number(last) + 1 : Number(last) };
}

/** The next change-log position of a database about to be replaced; 1 when it has no change log. */
function replacedNextPositionPostgres(/** @type {PostgresConfig} */ config) {
  return withPostgres(config, async (client) => {
    const { rows } = await client.query(
      `select n.nspname as schema from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relname = 'sync_changes' and c.relkind in ('r', 'p') and n.nspname not like 'pg\\_%' limit 1`,
    );
    return rows[0] ? (await changeLogPostgres(client, rows[0].schema)).nextPosition : 1;
  });
}

// ---------------------------------------------------------------------------------------------
// SQLite

/**
 * Checks an SQLite file (structure, and optionally that it is a Strapi database) and counts
 * what is in it. Read-only. `label` names the file in messages (a copy stands for its source).
 * @param {string} file @param {{ requireStrapi?: boolean; label?: string }} [options]
 * @returns {DatabaseSummary}
 */
function inspectSqlite(file, { requireStrapi = false, label = file } = {}) {
  /** @type {SqliteConnection} */
  let db;
  try {
    db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError(`${label} cannot be opened as an SQLite database: ${/** @type {Error} */ (error).message}`);
  }
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupError(`${label} is damaged (SQLite quick_check: ${check})`);
    /** @type {string[]} */
    const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'").pluck().all();
    if (requireStrapi && !tables.includes(STRAPI_MARKER_TABLE)) {
      throw new BackupError(`${label} is not a backup of this app: it has no ${STRAPI_MARKER_TABLE} table`);
    }
    /** @type {Record<string, number>} */
    const counts = {};
    let rows = 0;
    for (const table of tables) {
      const count = Number(db.prepare(`select count(*) from "${table.replace(/"/g, '""')}"`).pluck().get());
      counts[table] = count;
      rows += count;
    }
    const { changeLogHead, nextPosition } = tables.includes('sync_changes') ? changeLogSqlite(db) : { changeLogHead: 0, nextPosition: 1 };
    return summary(tables.length, rows, changeLogHead, nextPosition, counts);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${label} is damaged: ${/** @type {Error} */ (error).message}`);
  } finally {
    db.close();
  }
}

/** The change log's head and next position in an open SQLite database that has one. */
function changeLogSqlite(/** @type {SqliteConnection} */ db) {
  const changeLogHead = Number(db.prepare('select coalesce(max(id), 0) from sync_changes').pluck().get());
  // AUTOINCREMENT keeps the highest id ever used in sqlite_sequence; the copy carries it.
  const sequence = db.prepare("select seq from sqlite_sequence where name = 'sync_changes'").pluck().get();
  return { changeLogHead, nextPosition: Math.max(changeLogHead, Number(sequence ?? 0)) + 1 };
}

/** The next change-log position of a database about to be replaced; 1 when it cannot be read (it is replaced anyway). */
function replacedNextPosition(/** @type {string} */ file) {
  try {
    const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
    try {
      return changeLogSqlite(db).nextPosition;
    } finally {
      db.close();
    }
  } catch {
    return 1;
  }
}

/** Sets the change log's last handed-out position (SQLite keeps it in sqlite_sequence, AUTOINCREMENT). */
function advanceSqliteChangeLog(/** @type {string} */ file, /** @type {number} */ last) {
  const db = new SqliteDatabase(file, { fileMustExist: true });
  try {
    const updated = db.prepare("update sqlite_sequence set seq = ? where name = 'sync_changes'").run(last);
    if (updated.changes === 0) db.prepare("insert into sqlite_sequence (name, seq) values ('sync_changes', ?)").run(last);
  } finally {
    db.close();
  }
}

/** Tables in an SQLite database file; none when the file does not exist or is empty. */
function sqliteTables(/** @type {string} */ file) {
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return [];
  const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    return /** @type {string[]} */ (db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'").pluck().all());
  } finally {
    db.close();
  }
}

/** @param {string} filename @param {string} outFile */
async function backupSqlite(filename, outFile) {
  if (!fs.existsSync(filename)) throw new BackupError(`no SQLite database at ${filename} (DATABASE_FILENAME): nothing to back up`);
  if (path.resolve(outFile) === path.resolve(filename)) throw new BackupError('--out is the database file itself: choose another path');
  const temporary = workPath(outFile, 'partial');
  createPrivateFile(temporary);
  try {
    const source = new SqliteDatabase(filename, { fileMustExist: true, timeout: 10000 });
    try {
      // SQLite's online backup: a consistent copy even while the app writes (it starts over
      // when another connection changes the database mid-copy).
      await source.backup(temporary);
    } finally {
      source.close();
    }
    // The app runs SQLite in WAL mode (config/database.ts) and the copy inherits it: turn the copy
    // back into one self-contained file, with no -wal/-shm beside it.
    const copy = new SqliteDatabase(temporary, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const contents = inspectSqlite(temporary, { label: `the copy of ${filename}` });
    commitFile(temporary, outFile);
    return {
      description: `SQLite database copy of ${filename}`,
      details: `${contents.tables} tables, ${contents.rows} rows, change log head position ${contents.changeLogHead}`,
    };
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }
}

/** @param {string} filename @param {string} inFile @param {{ force: boolean; positionGap: number }} options */
async function restoreSqlite(filename, inFile, { force, positionGap }) {
  if (path.resolve(inFile) === path.resolve(filename)) throw new BackupError('--in is the database file itself');
  const existing = sqliteTables(filename);
  if (existing.length > 0 && !force) throw notEmpty(`SQLite database ${filename}`, existing, 'tables');
  // A database replaced with --force may have handed out positions past the backup's too.
  const floor = existing.includes('sync_changes') ? replacedNextPosition(filename) : 1;
  fs.mkdirSync(path.dirname(filename), { recursive: true });
  const temporary = workPath(filename, 'restore');
  createPrivateFile(temporary);
  let contents;
  try {
    fs.copyFileSync(inFile, temporary);
    // Checked on the copy, the exact bytes that go into place.
    const restored = inspectSqlite(temporary, { requireStrapi: true, label: inFile });
    const last = Math.max(restored.nextPosition, floor) - 1 + positionGap;
    if (last > restored.nextPosition - 1) advanceSqliteChangeLog(temporary, last);
    contents = last > restored.nextPosition - 1 ? inspectSqlite(temporary, { label: inFile }) : restored;
    // A journal or WAL of the old database would be applied to the new one: remove them first.
    for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(filename + suffix, { force: true });
    commitFile(temporary, filename);
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }
  const stat = fs.statSync(inFile);
  return {
    source: `SQLite database copy (${formatBytes(stat.size)}, written ${stat.mtime.toISOString()})`,
    summary: contents,
  };
}

// ---------------------------------------------------------------------------------------------
// Both

/**
 * @param {number} tables @param {number} rows @param {number} changeLogHead @param {number} nextPosition
 * @param {Record<string, number>} counts
 * @returns {DatabaseSummary}
 */
function summary(tables, rows, changeLogHead, nextPosition, counts) {
  /** @type {Record<string, number>} */
  const ownTables = {};
  for (const name of OWN_TABLES) if (name in counts) ownTables[name] = /** @type {number} */ (counts[name]);
  return { tables, rows, changeLogHead, nextPosition, ownTables };
}

/** @param {string} target @param {string[]} names @param {string} what */
function notEmpty(target, names, what) {
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
  return new BackupError(
    `refused: the ${target} is not empty (it has ${names.length} ${what}: ${shown}). ` +
      'Restore into an empty database, or pass --force to replace everything in it.',
  );
}

const formatBytes = (/** @type {number} */ bytes) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Writes a backup of the target database to `outFile` (mode 0600, replaced atomically when it
 * exists). The directory is created when missing.
 * @param {DatabaseTarget} target @param {string} outFile
 */
async function backupDatabase(target, outFile) {
  const out = path.resolve(outFile);
  if (fs.existsSync(out) && !fs.statSync(out).isFile()) throw new BackupError(`--out ${out} is not a file`);
  fs.mkdirSync(path.dirname(out), { recursive: true, mode: 0o700 });
  const result = target.dialect === 'sqlite' ? await backupSqlite(target.filename, out) : await backupPostgres(target.config, out);
  return { file: out, bytes: fs.statSync(out).size, mode: fs.statSync(out).mode & 0o777, ...result };
}

/**
 * Restores a backup into the target database, which must be empty unless `force` (then
 * everything in it is replaced). Refuses a file of the other dialect, or one that is not a
 * readable backup of this app; a failure leaves the target as it was.
 *
 * The change log then goes on `positionGap` positions after the backup's next one, or after the
 * replaced database's when `force` replaces one that had gone further: positions handed out
 * after the backup was made (changes the restore undoes) are never handed out again, so a feed
 * cursor past the backup's head still sees every new change, and no webhook id
 * (`msg_<position>_<subscription>`) is reused for another change. 0 goes on right after.
 * @param {DatabaseTarget} target @param {string} inFile @param {{ force?: boolean; positionGap?: number }} [options]
 */
async function restoreDatabase(target, inFile, { force = false, positionGap = DEFAULT_POSITION_GAP } = {}) {
  if (!Number.isSafeInteger(positionGap) || positionGap < 0) throw new BackupError(`--position-gap must be a whole number >= 0; got "${positionGap}"`);
  const file = path.resolve(inFile);
  const fileDialect = backupDialect(file);
  if (fileDialect !== target.dialect) {
    throw new BackupError(
      `refused: ${file} is a ${dialectName(fileDialect)} backup, but the configured database is ${describeTarget(target)}; ` +
        `restore it into a ${dialectName(fileDialect)} database (DATABASE_CLIENT, DATABASE_URL, DATABASE_FILENAME)`,
    );
  }
  const result =
    target.dialect === 'sqlite'
      ? await restoreSqlite(target.filename, file, { force, positionGap })
      : await restorePostgres(target.config, file, { force, positionGap });
  return { file, target: describeTarget(target), ...result };
}

/** Positions a restore skips by default: more changes than a centre makes between two backups. */
const DEFAULT_POSITION_GAP = 1_000_000;

/** What is in the target database now (tables, rows, change log head and next position). */
async function summarizeDatabase(/** @type {DatabaseTarget} */ target) {
  return target.dialect === 'sqlite' ? inspectSqlite(target.filename) : summarizePostgres(target.config);
}

/**
 * Loads the app's `.env` (or ENV_PATH) like Strapi does: variables already set win.
 * @param {string} [appDir]
 */
function loadAppEnv(appDir = APP_DIR) {
  const file = process.env.ENV_PATH ?? path.join(appDir, '.env');
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

/**
 * A BackupError as the command line's CliError with the same exit code (2 refused, 1 failed), so
 * scripts/lib/cli.js prints its message alone, as the commands always did; anything else unchanged.
 * @param {unknown} error
 */
function asCliError(error) {
  return error instanceof BackupError ? new CliError(error.message, { exitCode: error.exitCode }) : error;
}

module.exports = {
  APP_DIR,
  BackupError,
  asCliError,
  DEFAULT_POSITION_GAP,
  OWN_TABLES,
  backupDatabase,
  backupDialect,
  describeTarget,
  formatBytes,
  loadAppEnv,
  resolveDatabase,
  restoreDatabase,
  summarizeDatabase,
};
