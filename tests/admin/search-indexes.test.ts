/**
 * The admin list's search (`_q`) reads the row's text columns, not its locale, and on PostgreSQL
 * each column it reads has a trigram index, so a rare word is found by index scans rather than
 * by reading every draft (src/features/editorial/admin/search-indexes.ts). Read through the admin
 * API an editor's browser uses, over 1,200 Danish article drafts and a dozen events written as rows.
 */
import type { Knex } from 'knex';
import { loginAsSuperAdmin, type AdminSession } from '../helpers/admin';
import { startApp, type TestApp } from '../helpers/app';
import { TEST_DB_KIND } from '../helpers/database';
import { planOf, statementsSent } from '../helpers/sql-statements';
import { ensureTrigramIndexes, searchedColumns, trigramIndexes } from '../../src/features/editorial/admin/search-indexes';
import { ARTICLES, articleDraftRow } from './shared';

let app: TestApp;
let admin: AdminSession;
const knex = () => app.strapi.db.connection as Knex;
const onPostgres = TEST_DB_KIND === 'postgres' ? describe : describe.skip;

/** Drafts with no "da" in any column but their locale. */
const PLAIN = 1_200;
/** Drafts whose lead (an event's summary) has a word no other article or event has. */
const RARE = 12;
const EVENTS = '/content-manager/collection-types/api::event.event';

beforeAll(async () => {
  app = await startApp({ seed: true });
  admin = await loginAsSuperAdmin(app);
  const now = new Date();
  const draft = (index: number, fields: { title: string; lead?: string }) => articleDraftRow('search-index', index, fields, now);
  await knex().batchInsert(
    'articles',
    [
      ...Array.from({ length: PLAIN }, (_, index) =>
        draft(index, {
          title: `Vindenergi til øerne, nr. ${index}`,
          lead: 'Vind og vejr over Østersøen.',
        }),
      ),
      ...Array.from({ length: RARE }, (_, index) =>
        draft(PLAIN + index, {
          title: `Landbrugets regnskab ${index}`,
          lead: 'Et nyt kvælstofregnskab for Limfjorden.',
        }),
      ),
    ],
    500,
  );
  const start = Date.parse('2027-03-01T10:00:00Z');
  await knex().batchInsert(
    'events',
    Array.from({ length: RARE }, (_, index) => ({
      ...draft(PLAIN + index, { title: `Debat om landbruget ${index}` }),
      summary: 'Hvem fører kvælstofregnskab for Limfjorden?',
      starts_at: new Date(start + index * 86_400_000),
    })),
    500,
  );
  // The planner's statistics, as autovacuum would take them after such a load.
  if (TEST_DB_KIND === 'postgres') await knex().raw('analyze articles, events');
});
afterAll(async () => {
  await app?.stop();
});

const RARE_WORD = 'kvælstofregnskab';
const list = async (term: string, path = ARTICLES) => {
  const response = await admin.get(`${path}?page=1&pageSize=10&sort=title:ASC&locale=da&_q=${encodeURIComponent(term)}`);
  expect(response.status).toBe(200);
  return response.body as {
    results: Array<{ title: string; lead: string | null; slug: string }>;
    pagination: { total: number };
  };
};

describe('what the search reads', () => {
  it('"da" finds the articles that say "da", not every Danish draft by its locale', async () => {
    const [counted] = (await knex()('articles').where({ locale: 'da' }).whereNull('published_at').count({ drafts: '*' })) as Array<{ drafts: number | string }>;
    const { results, pagination } = await list('da');
    expect(results.length).toBeGreaterThan(0);
    expect(pagination.total).toBeLessThanOrEqual(Number(counted?.drafts) - PLAIN);
    for (const { title, lead, slug } of results) expect(`${title} ${lead ?? ''} ${slug}`.toLowerCase()).toContain('da');
  });

  it('a word in the lead alone is found, every match counted', async () => {
    const { results, pagination } = await list(RARE_WORD);
    expect(pagination.total).toBe(RARE);
    expect(results).toHaveLength(10);
    for (const { lead } of results) expect(lead).toContain(RARE_WORD);
  });

  it("the same in the events' list, in their summaries", async () => {
    const { results, pagination } = await list(RARE_WORD, EVENTS);
    expect(pagination.total).toBe(RARE);
    for (const { title } of results) expect(title).toMatch(/^Debat om landbruget \d+$/);
  });
});

it("the columns indexed are the ones Strapi's search reads: the id, text attributes not marked unsearchable, and numbers by their text (a numeric term reads them)", () => {
  const columns = searchedColumns({
    tableName: 'talks',
    attributes: {
      title: { type: 'string' },
      abstract: { type: 'text' },
      status: { type: 'enumeration' },
      seats: { type: 'integer', columnName: 'seat_count' },
      locale: { type: 'string', searchable: false },
      startsAt: { type: 'datetime' },
      speakers: { type: 'relation' },
    },
  });
  expect(columns).toEqual([
    { column: 'id', castToText: true },
    { column: 'title', castToText: false },
    { column: 'abstract', castToText: false },
    { column: 'status', castToText: false },
    { column: 'seat_count', castToText: true },
  ]);
});

onPostgres('trigram indexes (PostgreSQL)', () => {
  const trigramIndexesOn = async (tables: string[]) =>
    (
      (await knex().raw(
        `select c.relname as name, t.relname as "table", pg_get_indexdef(i.indexrelid) as definition, i.indisvalid as valid
           from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
          where t.relname = any(?) and c.relname like '%\\_trgm' order by c.relname`,
        [tables],
      )) as {
        rows: Array<{
          name: string;
          table: string;
          definition: string;
          valid: boolean;
        }>;
      }
    ).rows;

  it("one per column the articles' and events' search reads, the locale not among them, on the drafts", async () => {
    const indexes = await trigramIndexesOn(['articles', 'events']);
    expect(indexes.map(({ name }) => name).sort()).toEqual(
      trigramIndexes(app.strapi)
        .map(({ name }) => name)
        .sort(),
    );
    const articleColumns = indexes.filter(({ table }) => table === 'articles').map(({ definition }) => /gin \(\(?(.+?)\)? gin_trgm_ops\)/.exec(definition)?.[1]);
    expect(articleColumns.sort()).toEqual(['(id)::text', 'cover_caption', 'cover_credit', 'document_id', 'lead', 'slug', 'title']);
    for (const { definition } of indexes) expect(definition).toMatch(/USING gin .* WHERE \(published_at IS NULL\)$/);
  });

  it.each([
    ['articles', 'api::article.article'],
    ['events', 'api::event.event'],
  ] as const)("a draft read by its document id goes through Strapi's btree, not a trigram index (%s)", async (table, uid) => {
    const documentId = articleDraftRow('search-index', PLAIN, { title: '' }).document_id;
    const sent = await statementsSent(app.strapi, () => app.strapi.documents(uid).findOne({ documentId, locale: 'da', status: 'draft' }));
    const reads = sent.filter(({ sql }) => new RegExp(`from ("\\w+"\\.)?"${table}"`).test(sql) && sql.includes('document_id'));
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect(await planOf(app.strapi, read)).not.toContain('_trgm');
  });

  it.each([
    ['articles', ARTICLES],
    ['events', EVENTS],
  ])("a rare word's page and count in the %s: each column the search ORs has a trigram index that serves its clause", async (table, path) => {
    const sent = await statementsSent(app.strapi, () => list(RARE_WORD, path));
    const searches = sent.filter(({ sql }) => new RegExp(`from ("\\w+"\\.)?"${table}"`).test(sql) && /ilike/i.test(sql));
    // The page's ids and its count (src/lib/http/ids-first.ts, src/lib/http/list-total.ts).
    expect(searches.length).toBeGreaterThanOrEqual(2);
    const indexed = trigramIndexes(app.strapi).filter((index) => index.table === table);
    for (const { sql } of searches) {
      const columns = [...sql.matchAll(/"t0"\."(\w+)"::text ilike/gi)].map((match) => match[1]);
      expect(columns.sort()).toEqual(indexed.map(({ column }) => column).sort());
    }
    // Each of those clauses alone, as Strapi writes it, on the drafts, with the table's other
    // indexes dropped (in a transaction rolled back) and reading the table costed last: served by
    // its own index. Which plan the OR of them gets turns on the table's size: a test's drafts
    // are few and short, read whole or through a locale index; on the benchmark's archive it is a
    // BitmapOr of these scans (docs/scale.md).
    for (const { name, column } of indexed) {
      const trx = await knex().transaction();
      let plan: string;
      try {
        const others = (await trx.raw(
          `select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid
            where i.indrelid = ?::regclass and not i.indisprimary and not i.indisunique and c.relname not like '%\\_trgm'`,
          [table],
        )) as { rows: Array<{ name: string }> };
        for (const other of others.rows) await trx.raw('drop index ??', [other.name]);
        await trx.raw('set local enable_seqscan = off');
        const result = (await trx.raw('explain select "t0"."id" from ?? as "t0" where "t0"."published_at" is null and "t0".??::text ilike ?', [table, column, `%${RARE_WORD}%`])) as {
          rows: Array<{ 'QUERY PLAN': string }>;
        };
        plan = result.rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await trx.rollback();
      }
      expect(plan).toMatch(new RegExp(`Bitmap Index Scan on ${name}\\s+\\(.*\\n\\s+Index Cond: .*~~\\*`));
    }
  });

  it('two instances booting at once on a table with rows: both boot, the index is made once, valid', async () => {
    // The second instance's wait for the advisory lock holds a snapshot that `create index
    // concurrently` waits for: a blocking lock there would deadlock the two.
    await knex().raw('drop index articles_title_trgm');
    await knex().raw('drop index events_summary_trgm');
    const outcomes = await Promise.allSettled([ensureTrigramIndexes(app.strapi), ensureTrigramIndexes(app.strapi), ensureTrigramIndexes(app.strapi)]);
    expect(outcomes.filter(({ status }) => status === 'rejected')).toEqual([]);
    const indexes = await trigramIndexesOn(['articles', 'events']);
    expect(indexes.map(({ name }) => name)).toEqual(
      trigramIndexes(app.strapi)
        .map(({ name }) => name)
        .sort(),
    );
    expect(indexes.every(({ valid }) => valid)).toBe(true);
  });

  it('at boot: a missing index is made, one left invalid by a killed boot made again, one no longer wanted dropped', async () => {
    await knex().raw('drop index articles_title_trgm');
    // What an interrupted `create index concurrently` leaves behind.
    await knex().raw("update pg_index set indisvalid = false where indexrelid = 'articles_lead_trgm'::regclass");
    await knex().raw('create index articles_retired_trgm on articles using gin (title gin_trgm_ops)');
    await ensureTrigramIndexes(app.strapi);
    const indexes = await trigramIndexesOn(['articles']);
    expect(indexes.map(({ name }) => name)).toEqual(
      trigramIndexes(app.strapi)
        .filter(({ table }) => table === 'articles')
        .map(({ name }) => name)
        .sort(),
    );
    expect(indexes.every(({ valid }) => valid)).toBe(true);
    expect((await list(RARE_WORD)).pagination.total).toBe(RARE);
  });
});
