/**
 * SQLite gets query-planner statistics (src/lib/db/planner-statistics.ts): Strapi never runs
 * ANALYZE, and without statistics SQLite read an article page's components through the index on
 * `field` instead of the one on `entity_id`. After a restart on a database with content, the
 * statistics exist and the planner takes the entity index. Also: the journal settings.
 */
import { seedDemoContent } from '../../src/lib/seed/seed';
import { startApp, type TestApp } from '../helpers/app';
import { TEST_DB_KIND } from '../helpers/database';

const onSqlite = TEST_DB_KIND === 'sqlite' ? describe : describe.skip;

/** The statement Strapi's populate sends for an article page's dynamic-zone entries. */
const BODY_ENTRIES =
  "select * from `articles_cmps` as `t0` where (`t0`.`entity_id` in (1, 2, 3) and `t0`.`field` = 'body') order by `t0`.`entity_id` asc, `t0`.`order` asc";

onSqlite('SQLite planner statistics (skipped on PostgreSQL: autovacuum keeps its statistics)', () => {
  let app: TestApp | undefined;
  afterAll(async () => {
    await app?.stop();
  });

  const statisticsFor = async (table: string) =>
    (await app!.strapi.db.connection.raw('select idx, stat from sqlite_stat1 where tbl = ?', [table])) as Array<{ idx: string; stat: string }>;
  const plan = async (sql: string) =>
    ((await app!.strapi.db.connection.raw(`explain query plan ${sql}`)) as Array<{ detail: string }>).map((row) => row.detail).join('\n');

  it('are taken at boot, so after a restart on content the planner reads components by entity', async () => {
    // Seeded here, after this boot's statistics were taken (not the run's seeded template, whose
    // own boots left statistics): the entity index is not known to be selective yet.
    app = await startApp();
    await seedDemoContent(app.strapi);
    const database = app.db;
    expect((await statisticsFor('articles_cmps')).find((row) => row.idx === 'articles_entity_fk')).toBeUndefined();
    await app.stop({ keepDatabase: true });

    app = await startApp({ database });
    const entityIndex = (await statisticsFor('articles_cmps')).find((row) => row.idx === 'articles_entity_fk');
    expect(entityIndex?.stat).toMatch(/^\d+ \d+$/);
    expect(await plan(BODY_ENTRIES)).toContain('USING INDEX articles_entity_fk');
  });

  it('runs with a write-ahead log and a sync per commit (config/database.ts): one fsync per commit, nothing committed lost', async () => {
    const pragma = async (name: string) => Object.values(((await app!.strapi.db.connection.raw(`pragma ${name}`)) as Array<Record<string, unknown>>)[0]!)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(2); // FULL
  });
});
