/**
 * Lookups that run on every write, and grow with the catalogue, are answered by an index
 * (schema.json `indexes`), not by reading the whole table: the slug a new document gets
 * (uniqueSlug), the events a partner's push is compared with (event matching, by start time),
 * an old slug's document (slug history), a public read by slug, a person's events (through a
 * component), a new link's place in its target's list (src/lib/db/join-table-indexes.ts). Checked on the statements the
 * app really sends, through the database's own plan (EXPLAIN), on SQLite and PostgreSQL, with
 * the tables filled to a catalogue's size first (a table of a dozen rows is read whole whatever
 * its indexes: the planner is right to) and the planner's statistics taken.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import type { Knex } from 'knex';
import type * as ImportFile from '../../src/features/import/import-file';
import { uniqueSlug } from '../../src/features/editorial/slug/document-slugs';
import { matchEvent } from '../../src/api/partner/matching/event-matching';
import { readFeedQuery } from '../../src/lib/calendar/feed-query';
import { MAPPING_TABLE } from '../../src/api/partner/services/partner-event';
import type { SlugHistoryService } from '../../src/api/slug-history/services/slug-history';
import { loginAsSuperAdmin, type AdminSession } from '../helpers/admin';
import { appModule, startApp, type TestApp } from '../helpers/app';
import { TEST_DB_KIND } from '../helpers/database';
import { planOf as planFor, statementsSent, type PlanOptions, type SentStatement as Statement } from '../helpers/sql-statements';

let app: TestApp;
/** Rows per table: a few years of a centre's events, people and organisations. */
const CATALOGUE = 4000;

beforeAll(async () => {
  app = await startApp({ seed: true });
  const knex = app.strapi.db.connection as Knex;
  const day = 24 * 60 * 60 * 1000;
  const filler = (index: number) => ({
    document_id: `filler${String(index).padStart(8, '0')}`,
    locale: index % 2 ? 'en' : 'da',
    slug: `filler-${Math.floor(index / 2)}`,
    published_at: index % 4 < 2 ? null : new Date(),
    created_at: new Date(),
    updated_at: new Date(),
  });
  const rows = Array.from({ length: CATALOGUE }, (_, index) => filler(index));
  const start = Date.parse('2022-01-01T00:00:00Z');
  await knex.batchInsert(
    'events',
    rows.map((row, index) => ({ ...row, title: row.slug, starts_at: new Date(start + index * 0.4 * day) })),
    250,
  );
  await knex.batchInsert(
    'people',
    rows.map((row) => ({ ...row, name: row.slug })),
    250,
  );
  await knex.batchInsert(
    'organisations',
    rows.map((row) => ({ ...row, name: row.slug })),
    250,
  );
  // Each draft its own update time, as editors' drafts have (the admin's default sort reads them
  // newest first): a catalogue made in one go would give thousands one timestamp, and SQLite's
  // statistics of `(locale, updated_at)` then turn on how many milliseconds the insert took.
  await knex.batchInsert(
    'articles',
    rows.map((row, index) => ({ ...row, title: row.slug, updated_at: new Date(start + index * 60_000) })),
    250,
  );
  await knex.batchInsert(
    'slug_histories',
    rows.map(({ locale, slug, created_at, updated_at }) => ({ content_type: 'api::article.article', locale, slug, target_document_id: 'x', created_at, updated_at })),
    250,
  );
  await knex.batchInsert(
    MAPPING_TABLE,
    rows.map(({ document_id, updated_at }, index) => ({ partner_key: `partner-${index % 8}`, external_id: document_id, document_id, payload_hash: 'x', version: 1, updated_at })),
    250,
  );
});
afterAll(async () => {
  await app?.stop();
});

/** The statements `work` sends, with their bindings. */
const statementsOf = (work: () => Promise<unknown>) => statementsSent(app.strapi, work);

const planOf = (statement: Statement, options?: PlanOptions) => planFor(app.strapi, statement, options);

/** The one statement of `work` that reads `table` and mentions `column`. */
async function readOf(table: string, column: string, work: () => Promise<unknown>): Promise<Statement> {
  // `events` on SQLite, "public"."events" on PostgreSQL.
  const from = new RegExp(`from (["\`]\\w+["\`]\\.)?["\`]${table}["\`]`);
  const reads = (await statementsOf(work)).filter(({ sql }) => /^\s*select/i.test(sql) && from.test(sql) && sql.includes(column));
  expect(reads).toHaveLength(1);
  return reads[0]!;
}

/** Event matching's first read for a partner's new event (start-time window, own events left out). */
const matcherWindow = () =>
  readOf('events', 'starts_at', () =>
    matchEvent(
      app.strapi,
      app.strapi.db.connection as Knex,
      MAPPING_TABLE,
      { partnerKey: 'partner-1', startsAt: '2022-03-01T10:00:00Z', titles: { da: 'Debat' }, venue: { documentId: null, name: 'Telt 1' } },
      { startToleranceMinutes: 10, titleConfident: 0.9, titleDoubtful: 0.7 },
    ),
  );

describe('before the planner has statistics (a catalogue imported in one go; PostgreSQL before autovacuum analysed it)', () => {
  it("the partner's own events are left out by document and partner, not by reading all of its mappings per event", async () => {
    expect(await planOf(await matcherWindow())).toContain('partner_events_document_partner_idx');
  });
});

describe('lookups answered by an index', () => {
  beforeAll(async () => {
    await (app.strapi.db.connection as Knex).raw('analyze');
  });

  it("the events a partner's new event is compared with: by start time, through starts_at, own events by document and partner", async () => {
    const plan = await planOf(await matcherWindow());
    expect(plan).toContain('events_starts_at_idx');
    expect(plan).toContain('partner_events_document_partner_idx');
  });

  it("a new document's slug: its first candidates by exact value, through (slug, locale)", async () => {
    const read = await readOf('events', 'slug', () => uniqueSlug(app.strapi, 'api::event.event', 'debat-om-velfaerd', 'da'));
    expect(read.sql).not.toMatch(/like/i);
    expect(await planOf(read)).toContain('events_slug_locale_idx');
  });

  it('the same for people and organisations (partners create them with every push)', async () => {
    for (const [uid, table] of [
      ['api::person.person', 'people'],
      ['api::organisation.organisation', 'organisations'],
    ] as const) {
      const read = await readOf(table, 'slug', () => uniqueSlug(app.strapi, uid, 'mette-harbo', 'da'));
      expect(await planOf(read)).toContain(`${table}_slug_locale_idx`);
    }
  });

  it("a partner's programme calendar: its linked events through (role, partner_key)", async () => {
    const read = await readOf(MAPPING_TABLE, 'role', () => readFeedQuery(app.strapi, { partner: 'partner-1', locale: 'da' }));
    expect(await planOf(read)).toContain('partner_events_role_partner_idx');
  });

  it("an old slug's document: through (slug, locale, content_type)", async () => {
    const history = app.strapi.service('api::slug-history.slug-history') as unknown as SlugHistoryService;
    const read = await readOf('slug_histories', 'slug', () => history.resolve('api::article.article', 'da', 'en-gammel-overskrift'));
    expect(await planOf(read)).toContain('slug_histories_lookup_idx');
  });

  it('a published article read by its slug', async () => {
    const read = await readOf('articles', 'slug', () =>
      app.strapi.documents('api::article.article').findFirst({ locale: 'da', status: 'published', filters: { slug: 'spaend-innovation' }, fields: ['title'] }),
    );
    expect(await planOf(read)).toContain('articles_slug_locale_idx');
  });

  it('the newest published articles, the default list a front end asks for: through (locale, published_at), list and count', async () => {
    const reads = (await statementsOf(() => app.http().get('/api/articles?locale=da&sort=publishedAt:desc&fields[0]=title'))).filter(({ sql }) =>
      /from (["`]\w+["`]\.)?["`]articles["`] as ["`]t0["`] where \(["`]t0["`]\.["`]published_at["`] is not null and/.test(sql),
    );
    expect(reads.map(({ sql }) => (/^select count/.test(sql) ? 'count' : 'list'))).toEqual(['list', 'count']);
    for (const read of reads) expect(await planOf(read)).toContain('articles_locale_published_idx');
  });

  it("a person's events (a filter through a component's relation): from the person's participant rows to their events through (cmp_id, component_type), not by reading every event's components", async () => {
    const knex = app.strapi.db.connection as Knex;
    // A programme's worth of participants: four per filler event, each a component row of its own.
    const events = (await knex('events').select('id').where('document_id', 'like', 'filler%')) as Array<{ id: number }>;
    const rows = events.flatMap(({ id }) => [0, 1, 2, 3].map((order) => ({ entity_id: id, cmp_id: 100000 + id * 4 + order, component_type: 'events.participant', field: 'participants', order })));
    await knex.batchInsert('events_cmps', rows, 250);
    await knex.raw('analyze');
    const person = ((await knex('people').whereNotNull('published_at').where('document_id', 'not like', 'filler%').first()) as { document_id: string }).document_id;
    const reads = (await statementsOf(() => app.http().get(`/api/events?locale=da&filters[participants][person][documentId][$eq]=${person}&fields[0]=title`))).filter(({ sql }) =>
      /from (["`]\w+["`]\.)?["`]events["`] as ["`]t0["`] left join (["`]\w+["`]\.)?["`]events_cmps["`]/.test(sql),
    );
    expect(reads.map(({ sql }) => (/^select count/.test(sql) ? 'count' : 'list'))).toEqual(['list', 'count']);
    for (const read of reads) {
      const plan = await planOf(read);
      // PostgreSQL turns Strapi's left joins into inner ones (the filter rejects nulls) and starts
      // from the person; SQLite keeps the left-join order, events first, and looks each one's
      // components up by owner: never the whole component table either way.
      if (app.strapi.db.dialect.client === 'sqlite') expect(plan).toMatch(/SEARCH t1 USING (COVERING )?INDEX events_uq \(entity_id=\?\)/);
      else expect(plan).toContain('events_cmps_owner_idx');
    }
  });

  // On PostgreSQL, the database an archive runs on. SQLite's planner keeps walking the topic's
  // links (or the whole order column) with the index there: its min/max shortcut is not taken.
  (TEST_DB_KIND === 'postgres' ? it : it.skip)(
    "an imported article's place in its topic's list (PostgreSQL): max(article_ord) through (topic_id, article_ord), not by walking every article of the topic",
    async () => {
      const knex = app.strapi.db.connection as Knex;
      const topic = (await knex('topics').whereNotNull('published_at').where({ locale: 'da' }).first()) as { id: number; document_id: string; slug: string };
      const articles = (await knex('articles').select('id').where('document_id', 'like', 'filler%')) as Array<{ id: number }>;
      // Every topic row with a list of articles: this topic's short (its links' positions low), the
      // others' long, so the newest positions in the order column belong to other topics.
      const rows = (await knex('topics').select('id', 'document_id')) as Array<{ id: number; document_id: string }>;
      await knex.batchInsert(
        'articles_topics_lnk',
        rows.flatMap((row) =>
          articles.slice(0, row.document_id === topic.document_id ? 50 : articles.length).map(({ id }, index) => ({ article_id: id, topic_id: row.id, topic_ord: 1, article_ord: index + 1 })),
        ),
        250,
      );
      await knex.raw('analyze');
      // The bulk writer (partner pushes, the import) reads it inside its insert. (The Document
      // Service asks `max(...) ... group by topic_id`, which PostgreSQL answers by walking the
      // topic's links whatever the index: an editor's save, once per link.)
      const line = { type: 'article', key: 'lookup/1', topics: [{ slug: topic.slug }], da: { title: 'Emnets nyeste import' } };
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'lookup-')), 'one.ndjson');
      writeFileSync(file, `${JSON.stringify(line)}\n`);
      const inserted = (await statementsOf(() => appModule<typeof ImportFile>('src/features/import/import-file.js').importFile(app.strapi, file))).filter(
        ({ sql }) => /^insert into ["`]articles_topics_lnk["`]/.test(sql) && /max\(["`]article_ord["`]\)/.test(sql),
      );
      expect(inserted).toHaveLength(1);
      expect(await planOf(inserted[0]!)).toContain('articles_topics_lnk_target_idx');
    },
  );

  /**
   * Each topic row links a list of filler articles: the first published Danish topic's short (100),
   * the others' long (all of them), as in a fifteen-year archive, where one topic holds a small
   * share of the links. Returns the topic with the short list.
   */
  async function topicWithShortList(): Promise<{ id: number; document_id: string }> {
    const knex = app.strapi.db.connection as Knex;
    const topic = (await knex('topics').whereNotNull('published_at').where({ locale: 'da' }).first()) as { id: number; document_id: string };
    const articles = (await knex('articles').select('id').where('document_id', 'like', 'filler%')) as Array<{ id: number }>;
    const rows = (await knex('topics').select('id', 'document_id')) as Array<{ id: number; document_id: string }>;
    const links = rows.flatMap((row) =>
      articles.slice(0, row.document_id === topic.document_id ? 100 : articles.length).map(({ id }, index) => ({ article_id: id, topic_id: row.id, topic_ord: 1, article_ord: index + 1 })),
    );
    for (let at = 0; at < links.length; at += 250)
      await knex('articles_topics_lnk')
        .insert(links.slice(at, at + 250))
        .onConflict(['article_id', 'topic_id'])
        .ignore();
    await knex.raw(app.strapi.db.dialect.client === 'sqlite' ? 'analyze' : 'vacuum analyze articles_topics_lnk');
    return topic;
  }

  it("a topic's articles (a filter through a relation): the topic's links read from (topic_id, article_ord, article_id) alone, not the whole link table", async () => {
    const topic = await topicWithShortList();
    const reads = (await statementsOf(() => app.http().get(`/api/articles?locale=da&filters[topics][documentId][$eq]=${topic.document_id}&fields[0]=title`))).filter(({ sql }) =>
      /from (["`]\w+["`]\.)?["`]articles["`] as ["`]t0["`] left join (["`]\w+["`]\.)?["`]articles_topics_lnk["`]/.test(sql),
    );
    expect(reads.map(({ sql }) => (/^select count/.test(sql) ? 'count' : 'list'))).toEqual(['list', 'count']);
    // PostgreSQL starts the count from the topic (its left joins become inner ones); SQLite keeps
    // the left-join order, the locale's articles first, each one's links by article.
    if (app.strapi.db.dialect.client !== 'sqlite') expect(await planOf(reads[1]!)).toMatch(/Index Only Scan using articles_topics_lnk_target_idx/);
    for (const read of reads) expect(await planOf(read)).not.toMatch(/Seq Scan on articles_topics_lnk|SCAN t1\b(?! USING)/);
  });

  // From our copy of the links beside each article's publishedAt (src/lib/shapes/bounded-list-links.ts):
  // one range of one index per topic, without probing an article (10,000 probes for a page of 10
  // topics at 100,000 articles, when it joined the articles: docs/scale.md).
  it("a topic's newest articles (its default shape's bounded list): the topic's range of (owner_id, newest, …), no article read", async () => {
    const topic = await topicWithShortList();
    const reads = (await statementsOf(() => app.http().get(`/api/topics/${topic.document_id}?locale=da`).expect(200))).filter(
      ({ sql }) => /row_number\(\) over/.test(sql) && /["`]articles_topics_lnk_newest["`]/.test(sql),
    );
    expect(reads).toHaveLength(1);
    const plan = await planOf(reads[0]!);
    expect(plan).toMatch(/articles_topics_lnk_newest_owner_idx/);
    expect(plan).not.toMatch(/Seq Scan on articles_topics_lnk_newest\b|SCAN articles_topics_lnk_newest\b(?! USING)|\barticles\b(?!_topics_lnk_newest)/);
  });

  let admin: AdminSession | undefined;
  // The admin's article list, as an editor opens it (newest update first) and sorted by title, with
  // and without a search: the page walks the sort's index and stops when it has ten rows, where
  // it read and sorted every draft of the locale (a search for "energi" at 100,000 articles:
  // 905 ms; docs/scale.md). The search's count is bounded (tests/admin/search-total.test.ts).
  // By last update on SQLite: its planner chooses between this index and `(locale,
  // published_at)` with a sort by its statistics of the drafts' update times, and CI saw both
  // (ae25450, f266d80) where local runs never did. The bound matters on PostgreSQL, where the
  // archive lives (docs/scale.md); SQLite's choice is not this project's to pin.
  const byLastUpdate: Array<[string, string, string]> = TEST_DB_KIND === 'postgres' ? [['by last update (its default)', '&sort=updatedAt:DESC', 'articles_locale_updated_idx']] : [];
  if (byLastUpdate.length === 0) it.skip("the admin's article list by last update (skipped on SQLite: its planner may sort instead, by its statistics; run TEST_DB=postgres)", () => undefined);
  it.each([
    // The admin's browser sends the view's default sort (src/features/editorial/admin/views.ts).
    ...byLastUpdate,
    ['by title', '&sort=title:ASC', 'articles_locale_title_idx'],
    ['by title, searching a common word', '&sort=title:ASC&_q=filler', 'articles_locale_title_idx'],
  ])("the admin's article list %s: a page through the sort's index, no sort of every draft", async (_, query, index) => {
    const session = (admin ??= await loginAsSuperAdmin(app));
    const reads = (
      await statementsOf(async () => {
        const response = await session.get(`/content-manager/collection-types/api::article.article?page=1&pageSize=10&locale=da${query}`);
        expect(response.status).toBe(200);
        expect(response.body.results).toHaveLength(10);
      })
    ).filter(({ sql }) => /^select ["`]t0["`]\.\*.* from (["`]\w+["`]\.)?["`]articles["`] as ["`]t0["`] where .* limit/.test(sql));
    expect(reads).toHaveLength(1);
    // The statistics of the table as it is now (the admin's login wrote since the last ANALYZE).
    if (app.strapi.db.dialect.client === 'sqlite') await (app.strapi.db.connection as Knex).raw('analyze');
    const plan = await planOf(reads[0]!, { sortsAsLastResort: true });
    expect(plan).toContain(index);
    // PostgreSQL may order the ties of one update time by id (an Incremental Sort, presorted by the index).
    expect(plan).not.toMatch(/(^|->)\s*Sort\s+\(|USE TEMP B-TREE FOR ORDER BY/m);
  });

  it('upcoming events (when=upcoming): from the present on through starts_at, not by walking every past event; the running ones through ends_at', async () => {
    const sent = await statementsOf(() => app.http().get('/api/events?locale=da&when=upcoming&fields[0]=title'));
    // The earliest start an upcoming event can have (src/api/event/middlewares/event-time-filter.ts).
    const running = sent.filter(({ sql }) => /^with ["`]running["`]/.test(sql));
    expect(running).toHaveLength(1);
    expect(await planOf(running[0]!)).toContain('events_ends_at_idx');
    const reads = sent.filter(({ sql }) => /from (["`]\w+["`]\.)?["`]events["`] as ["`]t0["`] where .*["`]ends_at["`] >=/.test(sql));
    expect(reads.map(({ sql }) => (/^select count/.test(sql) ? 'count' : 'list'))).toEqual(['list', 'count']);
    const [list, count] = reads as [Statement, Statement];
    // The list starts reading starts_at at the bound: every filler event is past, none is read.
    expect(list.sql).toMatch(/["`]t0["`]\.["`]starts_at["`] >= /);
    expect(await planOf(list)).toMatch(/events_starts_at_idx \(starts_at>\?\)|Index Cond: \(\(?starts_at >= /);
    // The count reads the upcoming events from the index alone (starts_at, ends_at, locale,
    // published_at, id), not row by row from the table (13 → 1.4 ms at 3,000 upcoming events).
    await (app.strapi.db.connection as Knex).raw(app.strapi.db.dialect.client === 'sqlite' ? 'analyze' : 'vacuum analyze events');
    expect(await planOf(count)).toMatch(/USING COVERING INDEX events_starts_at_idx|Index Only Scan using events_starts_at_idx/);
  });
});
