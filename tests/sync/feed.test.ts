/**
 * GET /api/sync: a first full listing, then every public change once, in order, in pages,
 * with tombstones for withdrawals and deletions, filters, and no drafts or private fields.
 */
import { startApp, type TestApp } from '../helpers/app';
import { createPartner, type TestPartner } from '../helpers/partners';
import { someFields } from '../helpers/documents';
import { readFeed } from './shared';

let app: TestApp;
let partner: TestPartner;
beforeAll(async () => {
  app = await startApp({ seed: true });
  partner = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
});
afterAll(async () => {
  await app?.stop();
});

/** Follows cursors until the feed says it has no more. */
const readAll = (query: Record<string, string | number>, cursor?: string) => readFeed(app, query, cursor);

const put = (externalId: string, title: string, extra: Record<string, unknown> = {}) =>
  app
    .http()
    .put(`/api/partner/events/${externalId}`)
    .set('Authorization', partner.auth)
    .send({ startsAt: '2024-06-14T10:00:00+02:00', da: { title }, en: { title: `${title} (en)` }, ...extra });

let cursor: string;

it('starts with everything published now, in pages, and nothing else', async () => {
  const all = await readAll({ limit: 7 });
  expect(all.pages).toBeGreaterThan(3);
  expect(all.items.every((item) => item.action === 'current' && item.position === null)).toBe(true);
  const published = await app.strapi.db.query('api::event.event').count({ where: { publishedAt: { $notNull: true } } });
  expect(all.items.filter((item) => item.type === 'events')).toHaveLength(published);
  const keys = all.items.map((item) => `${item.type}/${item.documentId}/${item.locale}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(all.items.every((item) => item.entry && item.entry.publishedAt)).toBe(true);
  cursor = all.cursor;
});

it('then gives each change once, in order, across pages, with a tombstone for a withdrawal', async () => {
  const first = await put('fm24-201', 'Første debat');
  const second = await put('fm24-202', 'Anden debat');
  await put('fm24-201', 'Første debat, ny titel');
  await app.http().delete('/api/partner/events/fm24-202').set('Authorization', partner.auth);
  const draftOnly = await app.strapi.documents('api::topic.topic').create({ locale: 'da', data: someFields('api::topic.topic', { name: 'Kun en kladde' }) });

  const read = await readAll({ limit: 3 }, cursor);
  const one = first.body.data.documentId;
  const two = second.body.data.documentId;
  expect(read.items.map((item) => `${item.documentId === one ? 'first' : item.documentId === two ? 'second' : '?'} ${item.locale} ${item.action}`)).toEqual([
    'first da published',
    'first en published',
    'second da published',
    'second en published',
    'first da updated',
    'first en updated',
    'second da unpublished',
    'second en unpublished',
  ]);
  const positions = read.items.map((item) => item.position as number);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  expect(new Set(positions).size).toBe(positions.length);

  // The live entry is the current public version; the withdrawn one is a tombstone.
  expect(read.items[4]!.entry).toMatchObject({ title: 'Første debat, ny titel', documentId: one });
  expect(read.items[6]!.entry).toBeNull();
  expect(JSON.stringify(read.items)).not.toMatch(/sourcePartner|externalId|Kun en kladde/);
  expect(draftOnly.documentId).toBeTruthy();

  // Nothing new: the same cursor again gives an empty page.
  const again = await readAll({}, read.cursor);
  expect(again.items).toEqual([]);
  cursor = read.cursor;
});

it('reports a deletion as a tombstone with its id', async () => {
  const created = await put('fm24-203', 'Slettes');
  const documentId = created.body.data.documentId;
  await app.strapi.documents('api::event.event').delete({ documentId, locale: '*' });
  const read = await readAll({}, cursor);
  expect(read.items.filter((item) => item.locale === 'da').map((item) => [item.documentId, item.locale, item.action, item.entry])).toEqual([
    [documentId, 'da', 'published', null],
    [documentId, 'da', 'deleted', null],
  ]);
});

it('filters by type and locale', async () => {
  const all = await readAll({ type: 'topics,venues', locale: 'en', limit: 100 });
  expect(all.items.length).toBeGreaterThan(0);
  expect(all.items.every((item) => ['topics', 'venues'].includes(item.type) && item.locale === 'en')).toBe(true);
});

it.each([
  [{ cursor: 'not-a-cursor' }, 'cursor'],
  [{ type: 'events,admins' }, 'type'],
  [{ locale: 'de' }, 'locale'],
  [{ limit: '0' }, 'limit'],
  [{ limit: '501' }, 'limit'],
  [{ since: 'yesterday' }, 'since'],
])('answers a bad parameter %p with a 400 naming it', async (query, param) => {
  const response = await app.http().get('/api/sync').query(query);
  expect(response.status).toBe(400);
  expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError', details: { param } });
});

it('refuses a cursor with other filters than it was made with', async () => {
  const response = await app.http().get('/api/sync').query({ cursor, type: 'articles' });
  expect(response.status).toBe(400);
  expect(response.body.error.details).toEqual({ param: 'cursor' });
});

it('carries what each document holds, one level deep, and not the lists other documents hold to it', async () => {
  const { items } = await readAll({ limit: 100, type: 'topics,articles,events,organisations,venues,people' });
  const { strapi } = app;
  for (const type of ['topics', 'articles', 'events', 'organisations', 'venues', 'people']) {
    const item = items.find((candidate) => candidate.type === type && candidate.entry);
    expect(item).toBeDefined();
    const uid = Object.values(strapi.contentTypes).find((contentType) => contentType.info.pluralName === type)!.uid;
    // Strapi's `populate: '*'` answer, sanitised for the public, less the inverse sides (mappedBy).
    const [document] = await strapi.documents(uid).findMany({
      filters: { documentId: item!.documentId },
      locale: item!.locale,
      status: 'published',
      populate: '*',
    });
    const everything = (await strapi.contentAPI.sanitize.output(document, strapi.getModel(uid), { auth: undefined })) as Record<string, unknown>;
    const attributes = strapi.getModel(uid).attributes as Record<string, { type: string; mappedBy?: string }>;
    const inverse = Object.keys(attributes).filter((name) => attributes[name]!.type === 'relation' && attributes[name]!.mappedBy);
    // The `…Local` times are added to every answer on its way out (src/lib/time/), not by the feed.
    const withoutLocalTimes = (key: string, value: unknown) => (key.endsWith('Local') ? undefined : value);
    expect(JSON.parse(JSON.stringify(item!.entry), withoutLocalTimes)).toEqual(
      JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(everything).filter(([name]) => !inverse.includes(name))))),
    );
    for (const name of inverse) expect(item!.entry).not.toHaveProperty(name);
  }
  const article = items.find((candidate) => candidate.type === 'articles' && candidate.entry)!.entry!;
  expect((article.topics as unknown[]).length).toBeGreaterThan(0);
});
