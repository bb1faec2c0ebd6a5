/**
 * What the tests in this folder share: running a command in scripts/ as the npm scripts run it
 * (a process of its own), counting rows past the app, and reading a command's stderr.
 * Each file runs its commands on a database of its own (tests/helpers/script-database.ts).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { TestDatabase } from '../helpers/database';
import { APP_DIR } from '../helpers/paths';

/** `node scripts/<script>.js args…` in `env`, as the npm scripts run it. */
export function runScript(env: NodeJS.ProcessEnv, script: string, args: string[] = [], extraEnv: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [path.join(APP_DIR, 'scripts', `${script}.js`), ...args], {
    cwd: APP_DIR,
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
    // Below the test's own budget: spawnSync blocks the worker, so jest's timeout could not fire.
    timeout: 90000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Rows in each of `tables` of `db` (SQL, past the app). */
export async function rowCounts(db: TestDatabase, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  if (db.kind === 'sqlite') {
    const sqlite = new Database(db.location, { readonly: true });
    try {
      for (const table of tables) counts[table] = (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    } finally {
      sqlite.close();
    }
    return counts;
  }
  const client = new Client({ connectionString: db.env.DATABASE_URL });
  await client.connect();
  try {
    for (const table of tables) counts[table] = Number((await client.query(`select count(*) as n from ${table}`)).rows[0].n);
  } finally {
    await client.end();
  }
  return counts;
}

/**
 * What a command printed on stderr, less one known line: pg 8.16+ warns once per process that
 * knex queries a transaction's connection while a query is running on it (knex's postgres
 * dialect, not ours; left for the pg 9 upgrade).
 */
export const errorOutput = (stderr: string): string =>
  stderr
    .split('\n')
    .filter((line) => !/DeprecationWarning: Calling client\.query\(\) when the client is already executing a query|Use `node --trace-deprecation/.test(line))
    .join('\n')
    .trim();
