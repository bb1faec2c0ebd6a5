/**
 * The two pieces the outage test found, each pinned without timing luck, on a private
 * PostgreSQL cluster (the shared server is never touched):
 *  - a transaction whose connection dies before COMMIT fails, and leaves nothing behind
 *    (knex resolved `commit()` anyway, so Strapi reported the write as done);
 *  - which errors count as "the database is unavailable" (503), and which do not (500/4xx).
 */
import path from 'path';
import fs from 'fs';
import { Client } from 'pg';
import { errors } from '@strapi/utils';
import { startApp, type TestApp } from '../helpers/app';
import type { TestDatabase } from '../helpers/database';
import { APP_DIR } from '../helpers/paths';
import { isDatabaseUnavailable } from '../../src/lib/db/unavailable';
import { startPrivateCluster, type PrivateCluster } from './private-postgres';

describe('isDatabaseUnavailable', () => {
  const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it('names connection loss, PostgreSQL shutdown and start-up, and the pool giving up', () => {
    const unavailable = [
      coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
      coded('ECONNRESET'),
      coded('57P01', 'terminating connection due to administrator command'),
      coded('57P03', 'the database system is starting up'),
      coded('08006'),
      Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' }),
      new Error('Connection terminated unexpectedly'),
      new Error('Client has encountered a connection error and is not queryable'),
      new Error('wrapped', { cause: coded('ECONNREFUSED') }),
      new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'connect failed'),
    ];
    expect(unavailable.map(isDatabaseUnavailable)).toEqual(unavailable.map(() => true));
  });

  it('leaves bugs and bad input alone', () => {
    const others = [
      coded('23505', 'duplicate key value violates unique constraint'),
      coded('42P01', 'relation "nope" does not exist'),
      new errors.ValidationError('bad'),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      new Error('Transaction query already complete'),
      null,
      'a string',
    ];
    expect(others.map(isDatabaseUnavailable)).toEqual(others.map(() => false));
  });
});

// It brings its own PostgreSQL, whatever TEST_DB says: run once, in the default run.
const describePostgres = process.env.TEST_DB ? describe.skip : describe;

describePostgres('a transaction whose connection dies before COMMIT (own PostgreSQL cluster)', () => {
  let cluster: PrivateCluster;
  let app: TestApp;
  const publicDir = path.join(APP_DIR, '.tmp', `outage-commit-${process.pid}-public`);

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    await cluster.createDatabase('hub');
    fs.mkdirSync(path.join(publicDir, 'uploads'), { recursive: true });
    const database: TestDatabase = {
      kind: 'postgres',
      env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: cluster.url('hub'), DATABASE_FILENAME: '' },
      location: 'hub',
      start: 'empty',
      publicDir,
      drop: async () => undefined,
    };
    app = await startApp({ database });
  }, 180000);

  afterAll(async () => {
    await app?.stop();
    await cluster?.destroy();
    fs.rmSync(publicDir, { recursive: true, force: true });
  });

  /** Runs `query` on a connection of its own, outside the app's pool. */
  async function onOwnConnection<T>(database: string, query: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: cluster.url(database) });
    await client.connect();
    try {
      return await query(client);
    } finally {
      await client.end();
    }
  }

  // With a timeout, pg_terminate_backend returns once the backend has exited (PostgreSQL 14+),
  // not when the signal is sent: the COMMIT then always meets a dead connection.
  const terminate = (pid: number) => onOwnConnection('postgres', (admin) => admin.query('SELECT pg_terminate_backend($1, 30000)', [pid]));

  it('fails, runs no after-commit callback, and leaves no row', async () => {
    let afterCommit = 0;
    const outcome = await app.strapi.db
      .transaction(async ({ trx, onCommit }) => {
        await trx('sync_changes').insert({
          content_type: 'test::commit',
          document_id: 'lost',
          locale: 'da',
          action: 'published',
          occurred_at: new Date(),
        });
        onCommit(() => {
          afterCommit += 1;
        });
        const { rows } = await trx.raw('SELECT pg_backend_pid() AS pid');
        await terminate(rows[0].pid);
      })
      .then(
        () => 'committed',
        (error: unknown) => (isDatabaseUnavailable(error) ? 'unavailable' : `other: ${(error as Error).message}`),
      );

    expect(outcome).toBe('unavailable');
    expect(afterCommit).toBe(0);
    // Counted on a connection of the test's own: the app's pool may still hold the killed one for
    // a moment (its socket's end not read yet), and hand it to the next query (seen once in CI).
    const rows = await onOwnConnection('hub', (client) => client.query<{ count: string }>('SELECT count(*) AS count FROM sync_changes WHERE content_type = $1', ['test::commit']));
    expect(Number(rows.rows[0]!.count)).toBe(0);
  });

  it('still commits when nothing goes wrong', async () => {
    let afterCommit = 0;
    await app.strapi.db.transaction(async ({ trx, onCommit }) => {
      await trx('sync_changes').insert({ content_type: 'test::commit', document_id: 'kept', locale: 'da', action: 'published', occurred_at: new Date() });
      onCommit(() => {
        afterCommit += 1;
      });
    });
    expect(afterCommit).toBe(1);
    const rows = await app.strapi.db.connection('sync_changes').where({ content_type: 'test::commit' }).count<{ count: string }[]>('* as count');
    expect(Number(rows[0]!.count)).toBe(1);
  });
});

// The commit check wraps every transaction, SQLite's too (the default test database): there it
// must change nothing.
describe('transactions on the default test database, with the commit check in place', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  const count = async () => Number((await app.strapi.db.connection('sync_changes').where({ content_type: 'test::commit' }).count<{ count: string | number }[]>('* as count'))[0]!.count);

  it('commits (after-commit callbacks run once) and rolls back (none run, no row)', async () => {
    let afterCommit = 0;
    await app.strapi.db.transaction(async ({ trx, onCommit }) => {
      await trx('sync_changes').insert({ content_type: 'test::commit', document_id: 'kept', locale: 'da', action: 'published', occurred_at: new Date() });
      onCommit(() => {
        afterCommit += 1;
      });
    });
    expect(afterCommit).toBe(1);
    expect(await count()).toBe(1);

    const failed = await app.strapi.db
      .transaction(async ({ trx, onCommit }) => {
        await trx('sync_changes').insert({ content_type: 'test::commit', document_id: 'dropped', locale: 'da', action: 'published', occurred_at: new Date() });
        onCommit(() => {
          afterCommit += 1;
        });
        throw new Error('changed my mind');
      })
      .then(
        () => 'committed',
        (error: Error) => error.message,
      );
    expect(failed).toBe('changed my mind');
    expect(afterCommit).toBe(1);
    expect(await count()).toBe(1);
  });
});
