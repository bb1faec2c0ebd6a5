/**
 * The default shape's lists that grow with the archive (a topic's articles and events, an
 * organisation's and a venue's events) carry their newest items, not all of them
 * (src/lib/shapes/bounded-lists.ts): the first `limit` of exactly the list Strapi's own populate
 * gives, ordered newest first, with the whole list's size beside it; for a page of owners in the
 * same number of SQL statements as for one; fresh after a write; drafts only for a caller that
 * may read them.
 */
import qs from 'qs';
import { startApp, type JsonBody, type TestApp } from '../helpers/app';
import { isPostgres } from '../../src/lib/db/dialect';
import { countStatements } from '../helpers/sql-statements';
import { someFields } from '../helpers/documents';
import { publicCache } from '../../src/features/delivery/cache/public-cache';
import { TOPIC_LISTS } from '../../src/api/topic/middlewares/topic-populate';
import { ORGANISATION_LISTS, ORGANISATION_SHAPE } from '../../src/api/organisation/middlewares/organisation-populate';
import { VENUE_LISTS, VENUE_SHAPE } from '../../src/api/venue/middlewares/venue-populate';
import type { BoundedList } from '../../src/lib/shapes/bounded-lists';
import type * as Lists from '../../src/lib/shapes/bounded-lists';
import type * as ListLinks from '../../src/lib/shapes/bounded-list-links';
import { appModule } from '../helpers/app';

const TOPIC = 'innovative-offentlige-indkoeb';
const DANISH_ONLY_TOPIC = 'kun-paa-dansk';
const DRAFT_TITLE = 'Kladde om indkøb, ikke udgivet';
const LIMIT = 10;

let app: TestApp;
let topicId: string;

beforeAll(async () => {
  app = await startApp({ seed: true });
  const { strapi } = app;
  const topic = await strapi.documents('api::topic.topic').findFirst({ locale: 'da', filters: { slug: TOPIC } });
  topicId = topic!.documentId;
  const danishOnly = await strapi.documents('api::topic.topic').create({ locale: 'da', data: someFields('api::topic.topic', { name: 'Kun på dansk' }) });
  await strapi.documents('api::topic.topic').publish({ documentId: danishOnly.documentId, locale: 'da' });
  // More articles and events than a list shows, published one after another, and one draft of each.
  for (let i = 0; i < LIMIT + 2; i++) {
    const article = await strapi.documents('api::article.article').create({
      locale: 'da',
      data: someFields('api::article.article', { title: `Indkøb, del ${i}`, lead: 'Kort', topics: [topicId, ...(i < 2 ? [danishOnly.documentId] : [])] }),
    });
    await strapi.documents('api::article.article').publish({ documentId: article.documentId, locale: 'da' });
  }
  for (let i = 0; i < LIMIT + 1; i++) {
    // Starts out of creation order, two of them at the same minute (the newer row first).
    const day = [5, 1, 9, 3, 3, 7, 2, 8, 6, 4, 10][i]!;
    const event = await strapi.documents('api::event.event').create({
      locale: 'da',
      data: someFields('api::event.event', { title: `Indkøbsmøde ${i}`, startsAt: `2024-03-${String(day).padStart(2, '0')}T09:00:00.000Z`, topics: [topicId] }),
    });
    await strapi.documents('api::event.event').publish({ documentId: event.documentId, locale: 'da' });
  }
  await strapi.documents('api::article.article').create({ locale: 'da', data: someFields('api::article.article', { title: DRAFT_TITLE, topics: [topicId] }) });
  await strapi.documents('api::event.event').create({
    locale: 'da',
    data: someFields('api::event.event', { title: DRAFT_TITLE, startsAt: '2030-01-01T09:00:00.000Z', topics: [topicId] }),
  });
  await app.quiet();
});
afterAll(async () => {
  await app?.stop();
});

async function get(path: string, headers: Record<string, string> = {}): Promise<JsonBody> {
  const response = await app.http().get(path).set(headers);
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The same request with the rest of the shape and every list populated whole by Strapi. */
function whole(path: string, lists: readonly BoundedList[] = TOPIC_LISTS, shape: Record<string, unknown> = {}): string {
  const populate = { ...shape, ...Object.fromEntries(lists.map((list) => [list.attribute, list.summary])) };
  return `${path}${path.includes('?') ? '&' : '?'}${qs.stringify({ populate }, { encodeValuesOnly: true })}`;
}

type Item = { id: number; [field: string]: unknown };
const asList = (data: unknown) => (Array.isArray(data) ? data : [data]) as Array<Record<string, unknown>>;

/** Each owner's lists as the first `limit` of Strapi's whole list, newest first (ties: the newer row). */
function expectBoundedWhole(bounded: JsonBody, strapis: JsonBody, lists: readonly BoundedList[] = TOPIC_LISTS) {
  const topics = asList(bounded.data);
  const wholeTopics = asList(strapis.data);
  expect(topics.map((topic) => topic.documentId)).toEqual(wholeTopics.map((topic) => topic.documentId));
  topics.forEach((topic, index) => {
    const wholeTopic = wholeTopics[index]!;
    for (const list of lists) {
      const items = wholeTopic[list.attribute] as Item[];
      // Highest first, rows without a value last; ties: the newer row first.
      const newestFirst = [...items].sort((a, b) => {
        const [x, y] = [a[list.newestBy] ?? null, b[list.newestBy] ?? null];
        if (x === y) return b.id - a.id;
        if (x === null) return 1;
        if (y === null) return -1;
        return String(y).localeCompare(String(x)) || b.id - a.id;
      });
      expect(topic[list.attribute]).toStrictEqual(newestFirst.slice(0, list.limit));
      expect(topic[`${list.attribute}Total`]).toBe(items.length);
    }
    const own = { ...topic };
    const wholeOwn = { ...wholeTopic };
    for (const list of lists) {
      delete own[list.attribute];
      delete own[`${list.attribute}Total`];
      delete wholeOwn[list.attribute];
    }
    expect(own).toStrictEqual(wholeOwn);
  });
}

describe('a topic in its default shape', () => {
  it('shows the newest 10 articles and events of the list Strapi populates, with their totals (lists, single, slug, both locales, fallback)', async () => {
    const paths = [
      '/api/topics?locale=da&pagination[pageSize]=100',
      '/api/topics?locale=en&pagination[pageSize]=100',
      '/api/topics?locale=en&fallbackLocale=da&pagination[pageSize]=100',
      `/api/topics/${topicId}?locale=da`,
      `/api/topics/slug/${TOPIC}?locale=da`,
      `/api/topics/slug/${DANISH_ONLY_TOPIC}?locale=en&fallbackLocale=da`,
    ];
    for (const path of paths) expectBoundedWhole(await get(path), await get(whole(path)));

    const { data: topic } = await get(`/api/topics/slug/${TOPIC}?locale=da`);
    expect(topic.articles).toHaveLength(LIMIT);
    expect(topic.articlesTotal).toBeGreaterThan(LIMIT + 1);
    expect(topic.articles[0].title).toBe(`Indkøb, del ${LIMIT + 1}`);
    expect(topic.events).toHaveLength(LIMIT);
    expect(topic.eventsTotal).toBeGreaterThan(LIMIT);
    // Furthest ahead first; of the two at the same start, the one made later.
    expect(topic.events.slice(0, 3).map((event: { title: unknown }) => event.title)).toEqual(['Indkøbsmøde 10', 'Indkøbsmøde 2', 'Indkøbsmøde 7']);
    expect(topic.events.findIndex((event: { title: unknown }) => event.title === 'Indkøbsmøde 4')).toBe(
      topic.events.findIndex((event: { title: unknown }) => event.title === 'Indkøbsmøde 3') - 1,
    );
    const { data: fallback } = await get(`/api/topics/slug/${DANISH_ONLY_TOPIC}?locale=en&fallbackLocale=da`);
    expect(fallback.articles.map((article: { locale: unknown }) => article.locale)).toEqual(['da', 'da']);
    expect(JSON.stringify(await get('/api/topics?locale=da&pagination[pageSize]=100'))).not.toContain(DRAFT_TITLE);
  });

  it.each([
    ['organisations', ORGANISATION_LISTS, ORGANISATION_SHAPE],
    ['venues', VENUE_LISTS, VENUE_SHAPE],
  ])('%s: the same lists, bounded the same way', async (collection, lists, shape) => {
    const paths = [`/api/${collection}?pagination[pageSize]=100`, `/api/${collection}?locale=en&pagination[pageSize]=100`];
    for (const path of paths) {
      const bounded = await get(path);
      expect(bounded.data.length).toBeGreaterThan(0);
      // Organisations' people (reverse-relations.ts) are added beside the lists; not Strapi's to compare.
      for (const owner of bounded.data) delete owner.people;
      expectBoundedWhole(bounded, await get(whole(path, lists, shape)), lists);
    }
  });

  it('costs the same SQL statements for a page of 100 topics as for one', async () => {
    const counts: number[] = [];
    for (const size of [1, 100]) {
      const path = `/api/topics?locale=da&pagination[pageSize]=${size}`;
      await get(path);
      publicCache(app.strapi).clear();
      counts.push(await countStatements(app.strapi, () => get(path)));
    }
    const { data } = await get('/api/topics?locale=da&pagination[pageSize]=100');
    expect(data.length).toBeGreaterThan(2);
    expect(counts[1]).toBe(counts[0]);
  });

  it('is fresh after a write: a newly published article leads its topic’s list', async () => {
    const before = (await get(`/api/topics/slug/${TOPIC}?locale=da`)).data;
    const { strapi } = app;
    const article = await strapi.documents('api::article.article').create({
      locale: 'da',
      data: someFields('api::article.article', { title: 'Det nyeste om indkøb', topics: [topicId] }),
    });
    await strapi.documents('api::article.article').publish({ documentId: article.documentId, locale: 'da' });
    const after = (await get(`/api/topics/slug/${TOPIC}?locale=da`)).data;
    expect(after.articles[0].title).toBe('Det nyeste om indkøb');
    expect(after.articles.slice(1)).toStrictEqual(before.articles.slice(0, LIMIT - 1));
    expect(after.articlesTotal).toBe(before.articlesTotal + 1);
  });

  it('lists the drafts for a full-access token asking for status=draft, and nothing of them without it', async () => {
    const token = await app.strapi.service('admin::api-token').create({ name: 'topic drafts', type: 'full-access', lifespan: null, description: '' });
    const auth = { Authorization: `Bearer ${token.accessKey}` };
    const path = `/api/topics/${topicId}?locale=da&status=draft`;
    const drafts = await get(path, auth);
    expectBoundedWhole(drafts, await get(whole(path), auth));
    // Draft rows have no publishedAt: the newest rows first.
    expect(drafts.data.articles.map((article: { title: unknown }) => article.title)).toContain(DRAFT_TITLE);
    expect(drafts.data.events[0].title).toBe(DRAFT_TITLE);
    // A type without drafts (a venue) links both statuses' rows: its list follows the read's.
    const venues = `/api/venues?status=draft&pagination[pageSize]=100`;
    const draftVenues = await get(venues, auth);
    expectBoundedWhole(draftVenues, await get(whole(venues, VENUE_LISTS, VENUE_SHAPE), auth), VENUE_LISTS);
    const eventRows = (body: JsonBody) => body.data.flatMap((venue: { events: Item[] }) => venue.events.map((event) => event.id));
    expect(eventRows(draftVenues).length).toBeGreaterThan(0);
    expect(eventRows(draftVenues)).not.toEqual(eventRows(await get('/api/venues?pagination[pageSize]=100', auth)));
    // A slug read serves the published row even when drafts are asked for, and its lists follow it.
    const slug = `/api/topics/slug/${TOPIC}?locale=da&status=draft`;
    const bySlug = await get(slug, auth);
    expectBoundedWhole(bySlug, await get(whole(slug), auth));
    expect(JSON.stringify(bySlug)).not.toContain(DRAFT_TITLE);
    // A public caller's status=draft is pinned to published (src/lib/access/published-only.ts).
    expect(JSON.stringify(await get(path))).not.toContain(DRAFT_TITLE);
  });

  it('leaves a list and its total off for a caller that may not read its type, as Strapi leaves off the relation', async () => {
    const { strapi } = app;
    const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
    const permissions = strapi.db.query('plugin::users-permissions.permission');
    const readArticles = await permissions.findOne({ where: { action: 'api::article.article.find', role: role.id } });
    expect(readArticles).not.toBeNull();
    await permissions.delete({ where: { id: readArticles.id } });
    try {
      publicCache(strapi).clear();
      const path = `/api/topics/slug/${TOPIC}?locale=da`;
      const { data: topic } = await get(path);
      expect(topic).not.toHaveProperty('articles');
      expect(topic).not.toHaveProperty('articlesTotal');
      expect(topic.events).toHaveLength(LIMIT);
      expect(topic.eventsTotal).toBeGreaterThan(LIMIT);
      const { data: strapis } = await get(whole(path));
      expect(strapis).not.toHaveProperty('articles');
    } finally {
      await permissions.create({ data: { action: 'api::article.article.find', role: role.id } });
      publicCache(strapi).clear();
    }
    expect((await get(`/api/topics/slug/${TOPIC}?locale=da`)).data.articles).toHaveLength(LIMIT);
  });
});

/*
 * The lists read their links from our copy beside each target's order (bounded-list-links.ts),
 * which the database keeps with triggers: it must hold exactly the join table's rows with their
 * targets' values after every kind of write, whoever wrote it.
 */
describe('the links a list reads, beside each target’s order', () => {
  const lists = () => appModule<typeof Lists>('src/lib/shapes/bounded-lists.js');
  const links = () => appModule<typeof ListLinks>('src/lib/shapes/bounded-list-links.js');

  /** Each declared list's copy, row for row, against its join table joined with the targets now. */
  async function expectInStep() {
    const { strapi } = app;
    const knex = strapi.db.connection;
    let compared = 0;
    for (const [uid, declared] of lists().declaredBoundedLists()) {
      for (const list of declared) {
        const relation = lists().relationOf(strapi, uid, list);
        const copy = await knex(relation.linksTable).select('link_id', 'owner_id', 'target_id', 'newest', 'published_at').orderBy('link_id');
        const fromJoin = await knex(`${relation.linkTable} as link`)
          .join(`${relation.targetTable} as target`, 'target.id', `link.${relation.targetColumn}`)
          .whereNotNull(`link.${relation.ownerColumn}`)
          .select({ link_id: 'link.id', owner_id: `link.${relation.ownerColumn}`, target_id: 'target.id', newest: `target.${relation.orderColumn}`, published_at: 'target.published_at' })
          .orderBy('link.id');
        expect({ list: `${uid}.${list.attribute}`, rows: copy }).toStrictEqual({ list: `${uid}.${list.attribute}`, rows: fromJoin });
        compared += copy.length;
      }
    }
    expect(compared).toBeGreaterThan(LIMIT * 3);
  }

  const topicPath = `/api/topics/slug/${TOPIC}?locale=da`;
  const articles = () => app.strapi.documents('api::article.article');

  it('holds every link with its target’s values after publish, unpublish, delete, a relinked article and a draft’s new start', async () => {
    await expectInStep();
    const before = await get(topicPath);
    const [newest, second, third] = before.data.articles as Array<{ documentId: string }>;
    await articles().unpublish({ documentId: newest!.documentId, locale: 'da' });
    await articles().delete({ documentId: second!.documentId, locale: 'da' });
    // Relinked: the draft's topics changed, then published (Strapi writes the published row anew).
    await articles().update({ documentId: third!.documentId, locale: 'da', data: { topics: [] } });
    await articles().publish({ documentId: third!.documentId, locale: 'da' });
    // A draft updated in place: its row's start moves, and the draft list's order with it.
    const events = app.strapi.documents('api::event.event');
    const draft = await events.findFirst({ locale: 'da', status: 'draft', filters: { title: DRAFT_TITLE } });
    await events.update({ documentId: draft!.documentId, locale: 'da', data: { startsAt: '2001-01-01T09:00:00.000Z' } });
    await expectInStep();

    const after = await get(topicPath);
    expectBoundedWhole(after, await get(whole(topicPath)));
    expect(after.data.articlesTotal).toBe(before.data.articlesTotal - 3);
    const shown = (after.data.articles as Array<{ documentId: string }>).map((article) => article.documentId);
    for (const gone of [newest, second, third]) expect(shown).not.toContain(gone!.documentId);
    const token = await app.strapi.service('admin::api-token').create({ name: 'links drafts', type: 'full-access', lifespan: null, description: '' });
    const auth = { Authorization: `Bearer ${token.accessKey}` };
    const drafts = `/api/topics/${topicId}?locale=da&status=draft`;
    const draftTopic = await get(drafts, auth);
    expectBoundedWhole(draftTopic, await get(whole(drafts), auth));
    expect(draftTopic.data.events.map((event: { title: string }) => event.title)).not.toContain(DRAFT_TITLE);
  });

  it('holds after writes past the Document Service: a link moved to another target (as a merge does) and a row deleted by its foreign key’s cascade', async () => {
    const { strapi } = app;
    const knex = strapi.db.connection;
    const relation = lists().relationOf(strapi, 'api::topic.topic', TOPIC_LISTS[0]!);
    const [link, other] = (await knex(relation.linkTable).orderBy('id', 'desc').limit(2).select('id', relation.targetColumn)) as Array<Record<string, number>>;
    const moved = await knex(relation.linkTable).where({ id: link!.id }).update({ [relation.targetColumn]: other![relation.targetColumn] }).catch(() => 0);
    // A unique (source, target) pair can refuse the move; then a target without this owner's link.
    if (moved === 0) {
      const free = (await knex(relation.targetTable).whereNotIn('id', knex(relation.linkTable).select(relation.targetColumn)).first('id')) as { id: number };
      await knex(relation.linkTable).where({ id: link!.id }).update({ [relation.targetColumn]: free.id });
    }
    await expectInStep();
    const row = (await knex(relation.targetTable).whereIn('id', knex(relation.linkTable).select(relation.targetColumn)).orderBy('id').first('id')) as { id: number };
    await strapi.db.query('api::article.article').delete({ where: { id: row.id } });
    expect(await knex(relation.linkTable).where({ [relation.targetColumn]: row.id }).first()).toBeUndefined();
    await expectInStep();
  });

  it('lets the schema sync change a column the triggers read (PostgreSQL: they name none; SQLite: dropped before the sync, made again at boot)', async () => {
    const { strapi } = app;
    const knex = strapi.db.connection;
    const relation = lists().relationOf(strapi, 'api::topic.topic', TOPIC_LISTS[1]!);
    // What Strapi's sync does before and during a change of `startsAt`.
    await links().dropBoundedListTriggers(strapi);
    if (isPostgres(knex)) {
      const [type] = (await knex.raw('select format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = to_regclass(?) and attname = ?', [relation.targetTable, relation.orderColumn])).rows as Array<{ type: string }>;
      await knex.raw(`alter table ?? alter column ?? type ${type!.type}`, [relation.targetTable, relation.orderColumn]);
    } else {
      await knex.schema.alterTable(relation.targetTable, (table) => void table.datetime(relation.orderColumn).alter());
    }
    await links().ensureBoundedListLinks(strapi);
    const events = strapi.documents('api::event.event');
    const event = await events.create({ locale: 'da', data: someFields('api::event.event', { title: 'Efter skemaændringen', startsAt: '2035-01-01T09:00:00.000Z', topics: [topicId] }) });
    await events.publish({ documentId: event.documentId, locale: 'da' });
    await expectInStep();
    expect((await get(topicPath)).data.events[0].title).toBe('Efter skemaændringen');
  });

  it('is made again at boot when a part of it is missing, with the writes it missed', async () => {
    const { strapi } = app;
    const knex = strapi.db.connection;
    const relation = lists().relationOf(strapi, 'api::topic.topic', TOPIC_LISTS[0]!);
    const trigger = isPostgres(knex) ? `${relation.linksTable}_link` : `${relation.linksTable}_link_ins`;
    await knex.raw(`drop trigger ?? ${isPostgres(knex) ? `on ${relation.linkTable}` : ''}`, [trigger]);
    const missed = await articles().create({ locale: 'da', data: someFields('api::article.article', { title: 'Skrevet uden trigger', topics: [topicId] }) });
    await articles().publish({ documentId: missed.documentId, locale: 'da' });
    await expect(expectInStep()).rejects.toThrow();

    await links().ensureBoundedListLinks(strapi);
    await expectInStep();
    publicCache(strapi).clear();
    expect((await get(topicPath)).data.articles[0].title).toBe('Skrevet uden trigger');
  });

  it('drops the copy, triggers and functions of a list no longer declared', async () => {
    const knex = app.strapi.db.connection;
    const postgres = isPostgres(knex);
    const gone = 'retired_things_lnk_newest';
    const trigger = postgres ? `${gone}_link` : `${gone}_link_ins`;
    const relation = lists().relationOf(app.strapi, 'api::topic.topic', TOPIC_LISTS[0]!);
    await knex.schema.createTable(gone, (table) => void table.integer('link_id'));
    if (postgres) {
      await knex.raw(`create function ??() returns trigger language plpgsql as $body$ begin return null; end $body$`, [`${gone}_link_fn`]);
      await knex.raw(`create trigger ?? after update on ?? for each row execute function ??()`, [trigger, relation.linkTable, `${gone}_link_fn`]);
    } else {
      await knex.raw(`create trigger ?? after update on ?? begin select 1; end`, [trigger, relation.linkTable]);
    }
    await knex('bounded_list_links').insert({ table_name: gone, fingerprint: 'made by an earlier version' });

    await links().ensureBoundedListLinks(app.strapi);
    expect(await knex.schema.hasTable(gone)).toBe(false);
    expect(await knex('bounded_list_links').where({ table_name: gone }).first()).toBeUndefined();
    const triggers = postgres
      ? (await knex.raw('select tgname from pg_trigger where tgname = ?', [trigger])).rows
      : await knex.raw(`select name from sqlite_master where type = 'trigger' and name = ?`, [trigger]);
    expect(triggers).toEqual([]);
    if (postgres) expect((await knex.raw('select proname from pg_proc where proname = ?', [`${gone}_link_fn`])).rows).toEqual([]);
    await expectInStep();
  });

  it('fails the boot, naming the list, when a declared list does not fit its relation', async () => {
    const declared = lists().declaredBoundedLists().get('api::venue.venue')!;
    lists().boundedLists('api::venue.venue', [{ ...declared[0]!, attribute: 'name' }]);
    try {
      await expect(links().ensureBoundedListLinks(app.strapi)).rejects.toThrow('bounded list api::venue.venue.name: not a relation through a join table');
    } finally {
      lists().boundedLists('api::venue.venue', declared);
    }
  });
});
