/**
 * The admin search's trigram indexes when the database says no (src/features/editorial/admin/
 * search-indexes.ts): an app whose PostgreSQL role may not make the pg_trgm extension (a managed
 * database without that right), or that cannot make an index at boot (its table locked), boots
 * all the same, says so in a warning, searches by reading rows, and makes what is missing at the
 * next boot that can. A database and a role of its own: the app owns its schema, not the database.
 */
import type { Knex } from 'knex';
import { randomBytes } from 'crypto';
import { loginAsSuperAdmin } from '../helpers/admin';
import { startApp, type TestApp } from '../helpers/app';
import { createTestDatabase, TEST_DB_KIND, withAdminClient, type TestDatabase } from '../helpers/database';
import { ensureTrigramIndexes, trigramIndexes } from '../../src/features/editorial/admin/search-indexes';
import { ARTICLES, articleDraftRow } from './shared';

const onPostgres = TEST_DB_KIND === 'postgres' ? describe : describe.skip;
const RARE_WORD = 'kvælstofregnskab';

onPostgres('admin search indexes the database refuses (PostgreSQL only: SQLite has none)', () => {
  const role = `hub_search_${process.pid}_${randomBytes(3).toString('hex')}`;
  let db: TestDatabase;
  let app: TestApp;
  const knex = () => app.strapi.db.connection as Knex;

  beforeAll(async () => {
    db = await createTestDatabase('postgres', 'empty');
    await withAdminClient((client) => client.query(`create role "${role}" login`));
    await withAdminClient(async (client) => {
      // Its tables in its own schema; no CREATE on the database, which a trusted extension needs.
      await client.query(`alter schema public owner to "${role}"`);
      // A statement waiting for a lock gives up, as a boot's should rather than hang.
      await client.query(`alter database "${db.location}" set lock_timeout = '500ms'`);
    }, db.location);
    const url = new URL(db.env.DATABASE_URL!);
    url.username = role;
    app = await startApp({ database: { ...db, env: { ...db.env, DATABASE_URL: url.toString() } } });
  }, 180_000);

  afterAll(async () => {
    await app?.stop();
    await withAdminClient((client) => client.query(`drop role if exists "${role}"`));
  });

  const trigramIndexesNow = async () =>
    (
      (await knex().raw(`select c.relname as name, i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname like '%\\_trgm' order by c.relname`)) as {
        rows: Array<{ name: string; valid: boolean }>;
      }
    ).rows;
  const warnings = async (work: () => Promise<void>) => {
    const warn = jest.spyOn(app.strapi.log, 'warn');
    try {
      await work();
      return warn.mock.calls.map((call) => String(call[0]));
    } finally {
      warn.mockRestore();
    }
  };

  it('without the right to make pg_trgm: the app boots and searches by reading rows; each boot warns, and none makes an index', async () => {
    await knex()('articles').insert([0, 1, 2].map((index) => articleDraftRow('refused-index', index, { title: `Landbrugets regnskab ${index}`, lead: `Et nyt ${RARE_WORD} for Limfjorden.` })));
    const admin = await loginAsSuperAdmin(app);
    const response = await admin.get(`${ARTICLES}?page=1&pageSize=10&locale=da&_q=${encodeURIComponent(RARE_WORD)}`);
    expect(response.status).toBe(200);
    expect(response.body.pagination.total).toBe(3);

    const said = await warnings(() => ensureTrigramIndexes(app.strapi));
    expect(said).toEqual([
      expect.stringMatching(/^admin search: no trigram indexes: the pg_trgm extension could not be made \(.*permission denied to create extension "pg_trgm"\); a search there reads every draft/),
    ]);
    expect(await trigramIndexesNow()).toEqual([]);
    expect((await knex().raw("select 1 from pg_extension where extname = 'pg_trgm'")).rows).toEqual([]);
  });

  it('given the right, with the articles locked: the events get theirs, each article index is a warning, and the next boot makes them', async () => {
    await withAdminClient((client) => client.query(`grant create on database "${db.location}" to "${role}"`), db.location);
    const wanted = trigramIndexes(app.strapi).map(({ name, table }) => ({ name, table }));
    const ofArticles = wanted.filter(({ table }) => table === 'articles').map(({ name }) => name);
    expect(ofArticles.length).toBeGreaterThan(0);

    // Another session holds the articles while the indexes are made.
    const said = await withAdminClient(async (locker) => {
      await locker.query('begin');
      try {
        await locker.query('lock table articles in access exclusive mode');
        return await warnings(() => ensureTrigramIndexes(app.strapi));
      } finally {
        await locker.query('rollback');
      }
    }, db.location);
    expect(said.map((message) => /^admin search: index (\S+) not made \(.*canceling statement due to lock timeout\)/.exec(message)?.[1]).sort()).toEqual([...ofArticles].sort());
    expect(await trigramIndexesNow()).toEqual(
      wanted
        .filter(({ table }) => table !== 'articles')
        .map(({ name }) => ({ name, valid: true }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );

    expect(await warnings(() => ensureTrigramIndexes(app.strapi))).toEqual([]);
    expect(await trigramIndexesNow()).toEqual(wanted.map(({ name }) => ({ name, valid: true })).sort((a, b) => a.name.localeCompare(b.name)));
  });
});
