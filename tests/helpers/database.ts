/**
 * A throwaway database per test file: a new SQLite file by default, or, with
 * TEST_DB=postgres, a new PostgreSQL database (created here, dropped afterwards).
 */
import { randomBytes } from 'crypto';
import fs from 'fs';
import path from 'path';
import { Client } from 'pg';
import { APP_DIR } from './paths';

export type TestDatabaseKind = 'sqlite' | 'postgres';

export interface TestDatabase {
  kind: TestDatabaseKind;
  /** Environment variables that point the app at this database. */
  env: Record<string, string>;
  /** Throwaway folder for uploads and static files, removed with the database. */
  publicDir: string;
  drop(): Promise<void>;
}

export const TEST_DB_KIND: TestDatabaseKind = process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/** Server to create test databases on; trust auth on this machine. */
const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** `kind` defaults to TEST_DB's choice; the image test always asks for PostgreSQL. */
export async function createTestDatabase(kind: TestDatabaseKind = TEST_DB_KIND): Promise<TestDatabase> {
  const name = `hub_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const publicDir = path.join(APP_DIR, '.tmp', `${name}-public`);
  fs.mkdirSync(path.join(publicDir, 'uploads'), { recursive: true });
  const db = kind === 'postgres' ? await createPostgres(name) : createSqlite(name);
  return {
    ...db,
    publicDir,
    async drop() {
      await db.drop();
      fs.rmSync(publicDir, { recursive: true, force: true });
    },
  };
}

function createSqlite(name: string): Omit<TestDatabase, 'publicDir'> {
  const file = path.join(APP_DIR, '.tmp', `${name}.db`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return {
    kind: 'sqlite',
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_URL: '', DATABASE_FILENAME: file },
    async drop() {
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
    },
  };
}

async function createPostgres(name: string): Promise<Omit<TestDatabase, 'publicDir'>> {
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url.toString(), DATABASE_FILENAME: '' },
    async drop() {
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
