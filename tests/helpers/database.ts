/**
 * A throwaway database per test file: a new SQLite file by default, or, with
 * TEST_DB=postgres, a new PostgreSQL database (created here, dropped afterwards).
 *
 * Creating Strapi's schema on an empty database is most of a boot (about 40 % of its CPU on
 * SQLite, plus a sync to disk per table), and seeding the demo content takes longer than a boot.
 * So the run's global setup (./templates.ts) makes two templates once: the schema as a first
 * boot leaves it, and the same after the demo seed. A test database is then a copy of one
 * (a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL): every file still gets
 * its own database, in exactly the state a fresh boot (and seed) would leave.
 */
import { randomBytes } from 'crypto';
import fs from 'fs';
import path from 'path';
import { Client } from 'pg';
import { APP_DIR } from './paths';

export type TestDatabaseKind = 'sqlite' | 'postgres';

/** What a new test database starts as: nothing, Strapi's schema after a first boot, or that plus the demo content. */
export type TestDatabaseStart = 'empty' | 'schema' | 'seeded';

export interface TestDatabase {
  kind: TestDatabaseKind;
  /** Environment variables that point the app at this database. */
  env: Record<string, string>;
  /** Throwaway folder for uploads and static files, removed with the database. */
  publicDir: string;
  /** Where the data is: the SQLite file, or the PostgreSQL database's name. */
  location: string;
  /** What it held when made: `empty` also when a template was asked for but the run has none. */
  start: TestDatabaseStart;
  drop(): Promise<void>;
}

export const TEST_DB_KIND: TestDatabaseKind = process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/** Server to create test databases on; trust auth on this machine. */
const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Set by the global setup for the workers: the templates of this run, per kind of start. */
export const TEMPLATES_VARIABLE = 'TEST_DB_TEMPLATES';

export interface TemplateRecord {
  kind: TestDatabaseKind;
  location: string;
  publicDir: string;
}

type Templates = Partial<Record<Exclude<TestDatabaseStart, 'empty'>, TemplateRecord>>;

function templates(): Templates {
  const text = process.env[TEMPLATES_VARIABLE];
  return text ? (JSON.parse(text) as Templates) : {};
}

/**
 * `kind` defaults to TEST_DB's choice (the image test always asks for PostgreSQL). `start`
 * defaults to an empty database; `schema` and `seeded` copy this run's template, and fall back to
 * an empty database when there is none of that kind (a run without the global setup).
 */
export async function createTestDatabase(kind: TestDatabaseKind = TEST_DB_KIND, start: TestDatabaseStart = 'empty'): Promise<TestDatabase> {
  const name = `hub_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const publicDir = path.join(APP_DIR, '.tmp', `${name}-public`);
  const template = start === 'empty' ? undefined : templates()[start];
  const from = template?.kind === kind ? template : undefined;
  if (from) fs.cpSync(from.publicDir, publicDir, { recursive: true });
  else fs.mkdirSync(path.join(publicDir, 'uploads'), { recursive: true });
  const db = kind === 'postgres' ? await createPostgres(name, from?.location) : createSqlite(name, from?.location);
  return {
    ...db,
    publicDir,
    start: from ? start : 'empty',
    async drop() {
      await db.drop();
      fs.rmSync(publicDir, { recursive: true, force: true });
    },
  };
}

const SQLITE_FILES = ['', '-wal', '-shm', '-journal'];

function createSqlite(name: string, template?: string): Omit<TestDatabase, 'publicDir' | 'start'> {
  const file = path.join(APP_DIR, '.tmp', `${name}.db`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (template) copySqlite(template, file);
  return {
    kind: 'sqlite',
    location: file,
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_URL: '', DATABASE_FILENAME: file },
    async drop() {
      for (const suffix of SQLITE_FILES) fs.rmSync(file + suffix, { force: true });
    },
  };
}

/** A closed SQLite database is its main file plus any WAL left beside it. */
function copySqlite(from: string, to: string): void {
  for (const suffix of SQLITE_FILES) if (fs.existsSync(from + suffix)) fs.copyFileSync(from + suffix, to + suffix);
}

async function createPostgres(name: string, template?: string): Promise<Omit<TestDatabase, 'publicDir' | 'start'>> {
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    location: name,
    env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url.toString(), DATABASE_FILENAME: '' },
    async drop() {
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** Copies a database the app has stopped using into a template of the given name (PostgreSQL) or file (SQLite). */
export async function copyDatabase(db: TestDatabase, target: string): Promise<void> {
  if (db.kind === 'sqlite') copySqlite(db.location, target);
  else await withAdminClient((client) => client.query(`CREATE DATABASE "${target}" TEMPLATE "${db.location}"`));
}

export async function dropTemplate(template: TemplateRecord): Promise<void> {
  if (template.kind === 'sqlite') for (const suffix of SQLITE_FILES) fs.rmSync(template.location + suffix, { force: true });
  else await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${template.location}" WITH (FORCE)`));
  fs.rmSync(template.publicDir, { recursive: true, force: true });
}

/** Runs `work` on a connection as the server's superuser, to `database` (by default the server's own `postgres`). */
export async function withAdminClient<T>(work: (client: Client) => Promise<T>, database?: string): Promise<T> {
  const url = new URL(POSTGRES_ADMIN_URL);
  if (database) url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
