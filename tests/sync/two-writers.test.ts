/**
 * Two writers on one database (as two app instances would be, each with its own connection
 * pool): a change log position is never visible before an earlier one, so a reader following
 * positions skips nothing. Without the commit-order lock, the second writer would commit
 * position N+1 while N is still open, and a reader would move past N for good.
 */
import knexFactory, { type Knex } from 'knex';
import { appendChanges } from '../../src/lib/sync/change-log';
import { changesAfter, headPosition, type Change } from '../../src/lib/sync/change-store';
import { startApp, type TestApp } from '../helpers/app';
import { TEST_DB_KIND } from '../helpers/database';

// Several app instances need a shared server database; SQLite serves one instance only.
const onPostgres = TEST_DB_KIND === 'postgres' ? describe : describe.skip;

let app: TestApp;
let other: Knex;
beforeAll(async () => {
  if (TEST_DB_KIND !== 'postgres') return;
  app = await startApp();
  // A second, independent pool on the same database: the other instance.
  other = knexFactory({
    ...app.strapi.db.connection.client.config,
    pool: { min: 0, max: 2 },
  });
});
afterAll(async () => {
  await other?.destroy();
  await app?.stop();
});

const change = (documentId: string): Change => ({
  contentType: 'api::topic.topic',
  documentId,
  locale: 'da',
  action: 'published',
});

/** Resolves when `promise` settles or after `ms`, telling which came first. */
const settledWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

onPostgres('two instances on PostgreSQL (skipped on SQLite, which serves one instance only)', () => {
  it('makes a later writer wait for an earlier open one, so positions become visible in order', async () => {
    const start = await headPosition(app.strapi.db.connection);
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstInserted!: () => void;
    const firstHasInserted = new Promise<void>((resolve) => (firstInserted = resolve));

    const first = app.strapi.db.connection.transaction(async (trx) => {
      await appendChanges(app.strapi, trx, [change('first')]);
      firstInserted();
      await firstHolds;
    });
    await firstHasInserted;

    const second = other.transaction(async (trx) => {
      await appendChanges(app.strapi, trx, [change('second')]);
    });

    // While the first is open, the second cannot commit, and a reader sees neither.
    expect(await settledWithin(second, 300)).toBe(false);
    expect(await changesAfter(other, start, { limit: 10 })).toEqual([]);

    releaseFirst();
    await first;
    await second;
    const seen = await changesAfter(other, start, { limit: 10 });
    expect(seen.map((row) => row.documentId)).toEqual(['first', 'second']);
    expect(seen[0]!.position).toBeLessThan(seen[1]!.position);
  });

  it('hands out strictly increasing positions to many concurrent writers from both pools', async () => {
    const start = await headPosition(app.strapi.db.connection);
    const writes = Array.from({ length: 20 }, (_, n) =>
      (n % 2 ? other : app.strapi.db.connection).transaction((trx) => appendChanges(app.strapi, trx, [change(`w${n}`), change(`w${n}-b`)])),
    );
    await Promise.all(writes);
    const seen = await changesAfter(other, start, { limit: 100 });
    expect(seen).toHaveLength(40);
    // Each writer's two changes are adjacent: no other transaction got in between.
    for (let i = 0; i < seen.length; i += 2) expect(seen[i + 1]!.documentId).toBe(`${seen[i]!.documentId}-b`);
  });
});
