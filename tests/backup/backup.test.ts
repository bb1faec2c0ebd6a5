/**
 * `npm run backup` / `npm run restore` (scripts/backup.js, scripts/restore.js) on the test's
 * database kind (SQLite, or PostgreSQL with TEST_DB=postgres): a seeded app with partner events,
 * a webhook subscription and a read feed is backed up, restored into an empty database and
 * booted there; public answers, partner ETags, the feed position, tokens, webhooks and
 * idempotency keys come back as they were, and sequence positions are not reused. Restore
 * refuses a non-empty target (without --force), other-dialect, missing, garbage and truncated
 * files, and then changes nothing.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import fs from 'fs';
import path from 'path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { startApp, type TestApp } from '../helpers/app';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../helpers/database';
import { createPartner, type TestPartner } from '../helpers/partners';
import { APP_DIR, DIST_DIR } from '../helpers/paths';
import { DEFAULT_POSITION_GAP, resolveDatabase } from '../../scripts/lib/database-backup';

const WORK_DIR = path.join(APP_DIR, '.tmp', `backup-test-${process.pid}`);
const BACKUP_FILE = path.join(WORK_DIR, TEST_DB_KIND === 'postgres' ? 'hub.dump' : 'hub.db');

const run = (script: 'backup' | 'restore', args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [path.join(APP_DIR, 'scripts', `${script}.js`), ...args], {
    cwd: APP_DIR,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });

let source: TestApp | undefined;
let sourceDb: TestDatabase | undefined;
let target: TestDatabase | undefined;
let restored: TestApp | undefined;

afterAll(async () => {
  if (restored) await restored.stop();
  else await target?.drop();
  if (source && !sourceDb) await source.stop();
  await sourceDb?.drop();
  fs.rmSync(WORK_DIR, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// What the app answered before the backup.

const debate = (title: string, overrides: Record<string, unknown> = {}) => ({
  startsAt: '2024-06-13T14:00',
  endsAt: '2024-06-13T15:00',
  timeZone: 'Europe/Copenhagen',
  kind: 'debate',
  venue: { id: 'tent-7', name: 'Telt 7, Kæmpestranden', nameEn: 'Tent 7, Kæmpestranden', city: 'Allinge' },
  organisers: [{ name: 'CO-PI' }],
  participants: [{ id: 'p-41', name: 'Jonas Kirk', organisation: 'COPI', title: 'Projektleder', part: 'moderator' }],
  topics: ['innovative-offentlige-indkoeb'],
  da: { title, summary: 'Debat om innovative indkøb.' },
  en: { title: `${title} (en)`, summary: 'A debate on innovative procurement.' },
  ...overrides,
});

let partner: TestPartner;
let subscription: { id: number; url: string; secret: string };
let feedCursor: string;
let headBefore: number;
let deliveriesBefore: number;
let idempotentFirst: { status: number; body: unknown };
const etags: Record<string, { etag: string; body: unknown }> = {};
const answers: Record<string, unknown> = {};

const EXTERNAL_IDS = ['bk-101', 'bk-102'];
const GRAPHQL_QUERY = `{
  articles(locale: "en") { documentId title slug quotes { text person { name } } }
  events(locale: "da", sort: "startsAt:asc") { documentId title startsAt startsAtLocal venue { name } topics { slug } }
}`;

/** The public reads compared before and after; documentIds are filled in once known. */
function publicPaths(documents: { article: string; event: string }): string[] {
  return [
    '/api/articles?locale=da',
    '/api/articles?locale=en',
    '/api/events?locale=da',
    '/api/events?locale=en',
    '/api/people?locale=en',
    '/api/topics?locale=da',
    `/api/articles/${documents.article}?locale=da`,
    `/api/articles/${documents.article}?locale=en`,
    `/api/events/${documents.event}?locale=da`,
    `/api/events/${documents.event}?locale=en`,
  ];
}
let documents: { article: string; event: string };

async function readFeed(app: TestApp, cursor?: string): Promise<{ items: Array<{ position: number | null }>; cursor: string }> {
  const items: Array<{ position: number | null }> = [];
  for (;;) {
    const response = await app.http().get('/api/sync').query(cursor ? { cursor } : {});
    expect(response.status).toBe(200);
    items.push(...response.body.data);
    cursor = response.body.meta.nextCursor as string;
    if (!response.body.meta.hasMore) return { items, cursor };
  }
}

async function recordAnswers(app: TestApp): Promise<Record<string, unknown>> {
  const recorded: Record<string, unknown> = {};
  for (const url of publicPaths(documents)) {
    const response = await app.http().get(url);
    expect(response.status).toBe(200);
    // Nothing to compare would compare equal: every read answers something.
    expect(response.body.data).not.toEqual([]);
    recorded[url] = response.body;
  }
  const graphql = await app.graphql(GRAPHQL_QUERY);
  expect(graphql.status).toBe(200);
  expect(graphql.body.errors).toBeUndefined();
  recorded.graphql = graphql.body;
  return recorded;
}

const put = (app: TestApp, externalId: string, body: unknown) =>
  app.http().put(`/api/partner/events/${externalId}`).set('Authorization', partner.auth).send(body as object);

const countRows = async (app: TestApp, table: string) => Number((await app.strapi.db.connection(table).count({ n: '*' }).first())?.n ?? 0);

/**
 * Something that changes whenever the database is written or replaced: the file's inode and
 * bytes on SQLite; on PostgreSQL each relation's oid and file node (new on drop, create or
 * truncate) and the change log's rows and sequence.
 */
async function fingerprint(database: TestDatabase): Promise<string> {
  if (database.kind === 'sqlite') {
    const file = database.env.DATABASE_FILENAME!;
    const bytes = fs.readFileSync(file);
    return `${fs.statSync(file).ino}:${createHash('sha256').update(bytes).digest('hex')}`;
  }
  const client = new Client({ connectionString: database.env.DATABASE_URL });
  await client.connect();
  try {
    const relations = await client.query(
      `select c.oid::text || '/' || c.relfilenode::text || '/' || c.relname as r from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' order by c.relname`,
    );
    const log = await client.query(`select count(*) as n, max(id) as head, (select last_value from sync_changes_id_seq) as seq from sync_changes`);
    return JSON.stringify([relations.rows.map((row) => row.r), log.rows[0]]);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------

it('reads the database the app reads (config/database.ts) from the same environment', () => {
  // The compiled config is what the app runs (its relative SQLite paths are taken from the app folder).
  const appConfig = require(path.join(DIST_DIR, 'config', 'database.js')).default;
  const { env } = require('@strapi/utils') as { env: unknown };
  const cases: Array<Record<string, string>> = [
    {},
    { DATABASE_FILENAME: '' },
    { DATABASE_FILENAME: 'data/hub.db' },
    { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: '/var/lib/hub/hub.db' },
    { DATABASE_URL: 'postgres://hub:secret@db.internal:6543/hub' },
    { DATABASE_CLIENT: 'postgres', DATABASE_HOST: 'db', DATABASE_PORT: '5433', DATABASE_NAME: 'hub', DATABASE_USERNAME: 'u', DATABASE_PASSWORD: 'p', DATABASE_SSL: 'true' },
    { DATABASE_URL: 'postgres://hub@db/hub', DATABASE_SSL: 'true', DATABASE_SSL_REJECT_UNAUTHORIZED: 'false' },
  ];
  const names = ['DATABASE_URL', 'DATABASE_CLIENT', 'DATABASE_FILENAME', 'DATABASE_HOST', 'DATABASE_PORT', 'DATABASE_NAME', 'DATABASE_USERNAME', 'DATABASE_PASSWORD', 'DATABASE_SSL', 'DATABASE_SSL_REJECT_UNAUTHORIZED'];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  try {
    for (const variables of cases) {
      for (const name of names) delete process.env[name];
      Object.assign(process.env, variables);
      const expected = appConfig({ env }).connection;
      const actual = resolveDatabase(process.env, APP_DIR);
      if (actual.dialect === 'sqlite') {
        expect(expected.client).toBe('sqlite');
        expect(actual.filename).toBe(expected.connection.filename);
      } else {
        expect(expected.client).toBe('postgres');
        // Which database, not how long to wait for it: the connect timeout is the app's own.
        const { schema: _schema, connectionTimeoutMillis: _timeout, ...connection } = expected.connection;
        expect(actual.config).toEqual(connection);
      }
    }
  } finally {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
});

it('refuses missing arguments and a database that is not there with exit 2, before doing anything', () => {
  const noOut = run('backup', [], {});
  expect(noOut.status).toBe(2);
  expect(noOut.stderr).toContain('--out is required');
  const noIn = run('restore', ['--force'], {});
  expect(noIn.status).toBe(2);
  expect(noIn.stderr).toContain('--in is required');
  const unknown = run('restore', ['--in', 'x', '--colour', 'red'], {});
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toContain("Unknown option '--colour'");
  for (const gap of ['-1', 'lots', '1.5']) {
    const badGap = run('restore', ['--in', 'x', `--position-gap=${gap}`], {});
    expect(badGap.status).toBe(2);
    expect(badGap.stderr).toContain(`--position-gap must be a whole number >= 0; got "${gap}"`);
  }

  const absentUrl = new URL(process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  absentUrl.pathname = `/hub_no_such_db_${process.pid}`;
  const absent =
    TEST_DB_KIND === 'postgres'
      ? { DATABASE_CLIENT: 'postgres', DATABASE_URL: absentUrl.toString(), DATABASE_FILENAME: '' }
      : { DATABASE_CLIENT: 'sqlite', DATABASE_URL: '', DATABASE_FILENAME: path.join(WORK_DIR, 'no-such.db') };
  const nothing = run('backup', ['--out', path.join(WORK_DIR, 'never.backup')], absent);
  expect(nothing.status).toBe(2);
  expect(nothing.stderr).toMatch(/no SQLite database at .*no-such\.db|database "hub_no_such_db_\d+" on .* does not exist/);
  expect(fs.existsSync(path.join(WORK_DIR, 'never.backup'))).toBe(false);
});

it('builds a seeded app with partner events, a webhook subscription and a read feed', async () => {
  source = await startApp({ seed: true });
  partner = await createPartner(source, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });

  const created = await source
    .http()
    .post('/api/partner/webhooks')
    .set('Authorization', partner.auth)
    .send({ url: 'https://hooks.example.invalid/hub', eventTypes: ['entry.published', 'entry.unpublished'] });
  expect(created.status).toBe(201);
  subscription = { id: created.body.data.id, url: created.body.data.url, secret: created.body.data.secret };

  const first = await put(source, EXTERNAL_IDS[0]!, debate('Tør vi købe det nye?')).set('Idempotency-Key', 'bk-req-1');
  expect(first.status).toBe(201);
  idempotentFirst = { status: first.status, body: first.body };
  expect((await put(source, EXTERNAL_IDS[1]!, debate('Fremtidens velfærd', { startsAt: '2024-06-14T10:00', endsAt: '2024-06-14T11:00' }))).status).toBe(201);
  expect((await put(source, 'bk-103', debate('Aflyst debat'))).status).toBe(201);
  expect((await source.http().delete('/api/partner/events/bk-103').set('Authorization', partner.auth)).status).toBe(200);
  await source.quiet();

  for (const externalId of EXTERNAL_IDS) {
    const response = await source.http().get(`/api/partner/events/${externalId}`).set('Authorization', partner.auth);
    expect(response.status).toBe(200);
    expect(response.headers.etag).toBeTruthy();
    etags[externalId] = { etag: response.headers.etag!, body: response.body };
  }

  const feed = await readFeed(source);
  expect(feed.items.length).toBeGreaterThan(0);
  feedCursor = feed.cursor;
  headBefore = Number((await source.strapi.db.connection('sync_changes').max({ head: 'id' }).first())?.head);
  expect(headBefore).toBeGreaterThan(0);
  deliveriesBefore = await countRows(source, 'webhook_deliveries');
  expect(deliveriesBefore).toBeGreaterThan(0);

  const articles = await source.http().get('/api/articles?locale=da');
  documents = { article: articles.body.data[0].documentId, event: (etags[EXTERNAL_IDS[0]!]!.body as { data: { documentId: string } }).data.documentId };
  Object.assign(answers, await recordAnswers(source));
  await source.stop({ keepDatabase: true });
  sourceDb = source.db;
});

let restoreOutput: string;

it('backs the stopped database up into a file only its owner can read', () => {
  const result = run('backup', ['--out', BACKUP_FILE], sourceDb!.env);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/backup: wrote .* \(.*, mode 0600\)/);
  expect(result.stdout).toContain('contains secrets');
  expect(fs.statSync(BACKUP_FILE).mode & 0o777).toBe(0o600);
  // No work files are left beside it.
  expect(fs.readdirSync(WORK_DIR)).toEqual([path.basename(BACKUP_FILE)]);
});

it('restores into an empty database and says what it restored', async () => {
  target = await createTestDatabase();
  const result = run('restore', ['--in', BACKUP_FILE], target.env);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  restoreOutput = result.stdout;
  expect(restoreOutput).toMatch(/restore: restored .*hub\.(dump|db)/);
  expect(restoreOutput).toMatch(/restore: \d+ tables, \d+ rows; change log head position (\d+), next position (\d+)/);
  expect(Number(/change log head position (\d+)/.exec(restoreOutput)![1])).toBe(headBefore);
  // The log goes on a gap after the backup's next position: positions handed out after the backup
  // (by the database it came from) are never handed out again.
  expect(restoreOutput).toContain(`(${DEFAULT_POSITION_GAP} after the backup's: positions handed out since the backup are not handed out again)`);
  expect(Number(/next position (\d+)/.exec(restoreOutput)![1])).toBeGreaterThan(headBefore + DEFAULT_POSITION_GAP);
  expect(restoreOutput).toMatch(/webhook_subscriptions 1\b/);
  expect(restoreOutput).toMatch(/webhook_deliveries \d+/);
  expect(restoreOutput).toMatch(/partner_identities \d+/);
});

it('refuses to restore into a database that is not empty, without --force, and changes nothing', async () => {
  const before = await fingerprint(target!);
  const result = run('restore', ['--in', BACKUP_FILE], target!.env);
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/refused: the (SQLite|PostgreSQL) database .* is not empty \(it has \d+ tables.*\)/);
  expect(result.stderr).toContain('pass --force');
  expect(await fingerprint(target!)).toBe(before);
});

it('refuses missing, garbage, truncated and other-dialect files, even with --force, and changes nothing', async () => {
  const before = await fingerprint(target!);

  const missing = run('restore', ['--in', path.join(WORK_DIR, 'nothing-here'), '--force'], target!.env);
  expect(missing.status).toBe(2);
  expect(missing.stderr).toMatch(/no backup file at .*nothing-here/);

  const garbageFile = path.join(WORK_DIR, 'garbage.bin');
  fs.writeFileSync(garbageFile, 'this is not a backup\n');
  const garbage = run('restore', ['--in', garbageFile, '--force'], target!.env);
  expect(garbage.status).toBe(2);
  expect(garbage.stderr).toContain('is not a backup: neither a PostgreSQL custom-format archive');

  const truncatedFile = path.join(WORK_DIR, 'truncated');
  const bytes = fs.readFileSync(BACKUP_FILE);
  fs.writeFileSync(truncatedFile, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const truncated = run('restore', ['--in', truncatedFile, '--force'], target!.env);
  expect(truncated.status).not.toBe(0);
  expect(truncated.stderr).toMatch(/damaged/);

  if (TEST_DB_KIND === 'postgres') {
    // Damage past the archive's table of contents, which `pg_restore --list` accepts: it shows
    // only while restoring, after --force has dropped everything in the same transaction.
    const damagedFile = path.join(WORK_DIR, 'damaged');
    const damaged = Buffer.from(bytes);
    damaged.fill(0, Math.floor(damaged.length * 0.95), Math.floor(damaged.length * 0.95) + 256);
    fs.writeFileSync(damagedFile, damaged);
    const listed = spawnSync('pg_restore', ['--list', damagedFile], { encoding: 'utf8' });
    expect(listed.status).toBe(0);
    const result = run('restore', ['--in', damagedFile, '--force'], target!.env);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/pg_restore could not read .*damaged.*nothing was changed/);
  }

  const otherFile = path.join(WORK_DIR, 'other-dialect');
  if (TEST_DB_KIND === 'postgres') {
    const other = new Database(otherFile);
    other.exec('create table strapi_database_schema (id integer primary key)');
    other.close();
  } else {
    // The start of a pg_dump custom-format archive is all it takes to be recognised as one.
    fs.writeFileSync(otherFile, Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(64, 1)]));
  }
  const other = run('restore', ['--in', otherFile, '--force'], target!.env);
  expect(other.status).toBe(2);
  const [fileKind, targetKind] = TEST_DB_KIND === 'postgres' ? ['SQLite', 'PostgreSQL'] : ['PostgreSQL', 'SQLite'];
  expect(other.stderr).toContain(`is a ${fileKind} backup, but the configured database is ${targetKind} database`);

  expect(await fingerprint(target!)).toBe(before);
});

it('boots on the restored database and answers the public the same, in REST and GraphQL', async () => {
  restored = await startApp({ database: target });
  const after = await recordAnswers(restored);
  for (const key of Object.keys(answers)) expect([key, after[key]]).toEqual([key, answers[key]]);
});

it('keeps partner ETags, tokens, idempotency keys and the webhook subscription with its secret', async () => {
  const app = restored!;
  for (const externalId of EXTERNAL_IDS) {
    const response = await app.http().get(`/api/partner/events/${externalId}`).set('Authorization', partner.auth);
    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe(etags[externalId]!.etag);
    expect(response.body).toEqual(etags[externalId]!.body);
  }

  const me = await app.http().get('/api/partner/me').set('Authorization', partner.auth);
  expect(me.status).toBe(200);
  expect(JSON.stringify(me.body)).toContain('folkemoedet');

  const replay = await put(app, EXTERNAL_IDS[0]!, debate('Tør vi købe det nye?')).set('Idempotency-Key', 'bk-req-1');
  expect(replay.headers['idempotent-replayed']).toBe('true');
  expect({ status: replay.status, body: replay.body }).toEqual(idempotentFirst);

  const list = await app.http().get('/api/partner/webhooks').set('Authorization', partner.auth);
  expect(list.status).toBe(200);
  expect(list.body.data).toEqual([expect.objectContaining({ id: subscription.id, url: subscription.url, active: true })]);
  const [row] = await app.strapi.db.connection('webhook_subscriptions').where({ id: subscription.id });
  expect(JSON.parse(row.secrets).map((s: { secret: string }) => s.secret)).toEqual([subscription.secret]);
  expect(await countRows(app, 'webhook_deliveries')).toBe(deliveriesBefore);
});

it('continues the feed from the saved cursor with nothing new, and a new write gets a position after the old head', async () => {
  const app = restored!;
  const nothing = await app.http().get('/api/sync').query({ cursor: feedCursor });
  expect(nothing.status).toBe(200);
  expect(nothing.body.data).toEqual([]);
  expect(nothing.body.meta.hasMore).toBe(false);

  const updated = await put(app, EXTERNAL_IDS[1]!, debate('Fremtidens velfærd, igen', { startsAt: '2024-06-14T10:00', endsAt: '2024-06-14T11:00' }));
  expect(updated.status).toBe(200);
  expect(updated.body.data.result).toBe('updated');
  await app.quiet();

  const feed = await readFeed(app, feedCursor);
  const positions = feed.items.map((item) => item.position);
  expect(positions.length).toBeGreaterThan(0);
  for (const position of positions) expect(position).toBeGreaterThan(headBefore);
  // Exactly where the restore said the log would go on (PostgreSQL: the dumped sequence value).
  const nextPosition = Number(/next position (\d+)/.exec(restoreOutput)![1]);
  expect(Math.min(...(positions as number[]))).toBe(nextPosition);
  expect(nextPosition).toBeGreaterThan(headBefore);
});

it('with --force replaces a database that has moved on with the backup', async () => {
  // The database being replaced handed out positions after the backup's (the previous test's write).
  const replacedHead = Number((await restored!.strapi.db.connection('sync_changes').max({ head: 'id' }).first())?.head);
  await restored!.stop({ keepDatabase: true });
  restored = undefined;
  const result = run('restore', ['--in', BACKUP_FILE, '--force', '--position-gap', '0'], target!.env);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('--force: replacing what is there');
  expect(Number(/change log head position (\d+)/.exec(result.stdout)![1])).toBe(headBefore);
  // Even without a gap, positions the replaced database handed out are not handed out again:
  // the log goes on after them, not after the backup's next position.
  const nextOf = (output: string) => Number(/next position (\d+)/.exec(output)![1]);
  expect(replacedHead).toBeGreaterThanOrEqual(nextOf(restoreOutput));
  expect(nextOf(result.stdout)).toBe(replacedHead + 1);
  expect(result.stdout).not.toContain("after the backup's");

  restored = await startApp({ database: target });
  const head = Number((await restored.strapi.db.connection('sync_changes').max({ head: 'id' }).first())?.head);
  expect(head).toBe(headBefore);
  const response = await restored.http().get(`/api/partner/events/${EXTERNAL_IDS[1]}`).set('Authorization', partner.auth);
  expect(response.headers.etag).toBe(etags[EXTERNAL_IDS[1]!]!.etag);
});
