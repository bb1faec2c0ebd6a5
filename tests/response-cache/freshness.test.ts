/**
 * Exact invalidation: every committed public change (publish, edit, unpublish, delete, partner
 * upsert and withdrawal, the seed) makes the next read fresh, over REST and GraphQL, in both
 * locales; a rolled-back write invalidates nothing and shows nothing; drafts and private fields
 * never enter the cache; purges name the changed document and type and reach a receiver.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startApp, type TestApp } from '../helpers/app';
import { createPartner, type TestPartner } from '../helpers/partners';
import { publicCache } from '../../src/features/delivery/cache/public-cache';
import { seedDemoContent } from '../../src/lib/seed/seed';
import { json, raw, rawGraphql } from './shared';

/** A loopback CDN stand-in: records every PURGE it receives. */
const purges: Array<{ method: string; keys: string[] }> = [];
const receiver = http.createServer((request, response) => {
  purges.push({ method: request.method ?? '', keys: String(request.headers['surrogate-key'] ?? '').split(' ') });
  response.writeHead(200).end();
});

let app: TestApp;
let partner: TestPartner;
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  process.env.CACHE_PURGE_URLS = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/purge`;
  app = await startApp();
  partner = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
});
afterAll(async () => {
  delete process.env.CACHE_PURGE_URLS;
  await app?.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

const stats = () => publicCache(app.strapi).stats();

const restTitles = async (path: string) => (json(await raw(app, path)).data as Array<{ title: string }>).map((item) => item.title);
const graphqlTitles = async (type: 'articles' | 'events', locale: string) =>
  (json(await rawGraphql(app, `query ($locale: I18NLocaleCode) { ${type}(locale: $locale, sort: "title") { title } }`, { locale })).data[type] as Array<{
    title: string;
  }>).map((item) => item.title);

/** Reads every view twice (so each is cached), runs the write, returns the views after it. */
async function around(views: Array<() => Promise<string[]>>, write: () => Promise<unknown>) {
  for (const view of views) await view();
  const hits = stats().hits;
  const before = await Promise.all(views.map((view) => view()));
  expect(stats().hits).toBe(hits + views.length);
  await write();
  const after = await Promise.all(views.map((view) => view()));
  return { before, after };
}

const articleViews = [
  () => restTitles('/api/articles?locale=da&sort=title'),
  () => restTitles('/api/articles?locale=en&sort=title'),
  () => graphqlTitles('articles', 'da'),
  () => graphqlTitles('articles', 'en'),
];

const documents = () => app.strapi.documents('api::article.article');

it('the seed: empty lists, then the seeded article at once', async () => {
  const { before, after } = await around(articleViews, () => seedDemoContent(app.strapi));
  expect(before).toEqual([[], [], [], []]);
  for (const titles of after) expect(titles).toHaveLength(1);
});

let documentId: string;
it('publish: a new article appears in both locales, REST and GraphQL', async () => {
  const draft = await documents().create({ locale: 'da', data: { title: 'Aaa ny artikel', lead: 'Kort.' } as never });
  documentId = draft.documentId;
  await documents().update({ documentId, locale: 'en', data: { title: 'Aaa new article', lead: 'Short.' } as never });
  const { before, after } = await around(articleViews, async () => {
    await documents().publish({ documentId, locale: 'da' });
    await documents().publish({ documentId, locale: 'en' });
  });
  for (const titles of before) expect(titles).not.toContain(expect.stringMatching(/^Aaa /));
  expect(after.map((titles) => titles[0])).toEqual(['Aaa ny artikel', 'Aaa new article', 'Aaa ny artikel', 'Aaa new article']);
});

it('an edit that is published shows at once; a draft edit never does', async () => {
  const draftOnly = await around(articleViews, () => documents().update({ documentId, locale: 'da', data: { title: 'Aaa kladde-titel' } as never }));
  expect(draftOnly.after).toEqual(draftOnly.before);
  const published = await around(articleViews, () => documents().publish({ documentId, locale: 'da' }));
  expect(published.after[0]![0]).toBe('Aaa kladde-titel');
  expect(published.after[2]![0]).toBe('Aaa kladde-titel');
  expect(published.after[1]![0]).toBe('Aaa new article');
});

it('the single read and the slug lookup follow the edit too', async () => {
  const { slug } = json(await raw(app, `/api/articles/${documentId}?locale=da`)).data;
  const single = async () => [json(await raw(app, `/api/articles/${documentId}?locale=da`)).data.title as string];
  const bySlug = async () => [json(await raw(app, `/api/articles/slug/${slug}?locale=da`)).data.title as string];
  const { after } = await around([single, bySlug], async () => {
    await documents().update({ documentId, locale: 'da', data: { title: 'Aaa tredje titel' } as never });
    await documents().publish({ documentId, locale: 'da' });
  });
  expect(after).toEqual([['Aaa tredje titel'], ['Aaa tredje titel']]);
});

it('unpublish: gone from lists and single reads at once', async () => {
  const single = async () => [String((await raw(app, `/api/articles/${documentId}?locale=en`)).status)];
  const { before, after } = await around([...articleViews, single], () => documents().unpublish({ documentId, locale: 'en' }));
  expect(before[4]).toEqual(['200']);
  expect(after[4]).toEqual(['404']);
  expect(after[1]).not.toContain('Aaa new article');
  expect(after[3]).not.toContain('Aaa new article');
  expect(after[0]).toContain('Aaa tredje titel');
});

it('delete: gone everywhere at once', async () => {
  const { after } = await around(articleViews, () => documents().delete({ documentId, locale: '*' }));
  for (const titles of after) expect(titles.some((title) => title.startsWith('Aaa'))).toBe(false);
});

const event = (title: string) => ({
  startsAt: '2024-06-13T14:00',
  endsAt: '2024-06-13T15:00',
  timeZone: 'Europe/Copenhagen',
  kind: 'debate',
  venue: { id: 'tent-7', name: 'Telt 7' },
  da: { title },
  en: { title: `${title} (en)` },
});
const eventViews = [
  () => restTitles('/api/events?locale=da&sort=title'),
  () => restTitles('/api/events?locale=en&sort=title'),
  () => graphqlTitles('events', 'da'),
  () => graphqlTitles('events', 'en'),
];
const put = (externalId: string, body: unknown) => app.http().put(`/api/partner/events/${externalId}`).set('Authorization', partner.auth).send(body as object);

it('a partner upsert, then its update, then its withdrawal: each read at once', async () => {
  const created = await around(eventViews, async () => expect((await put('fm-1', event('Aaa partnerdebat'))).status).toBe(201));
  expect(created.after.map((titles) => titles[0])).toEqual(['Aaa partnerdebat', 'Aaa partnerdebat (en)', 'Aaa partnerdebat', 'Aaa partnerdebat (en)']);

  const updated = await around(eventViews, async () => expect((await put('fm-1', event('Aaa ændret debat'))).status).toBe(200));
  expect(updated.after.map((titles) => titles[0])).toEqual(['Aaa ændret debat', 'Aaa ændret debat (en)', 'Aaa ændret debat', 'Aaa ændret debat (en)']);

  const withdrawn = await around(eventViews, async () =>
    expect((await app.http().delete('/api/partner/events/fm-1').set('Authorization', partner.auth)).status).toBe(200),
  );
  for (const titles of withdrawn.after) expect(titles.some((title) => title.startsWith('Aaa'))).toBe(false);
});

it('a write that rolls back invalidates nothing and shows nothing', async () => {
  const draft = await documents().create({ locale: 'da', data: { title: 'Aaa rullet tilbage', lead: 'Kort.' } as never });
  const list = () => restTitles('/api/articles?locale=da&sort=title');
  const before = await list();
  const hits = stats().hits;
  await expect(
    app.strapi.db.transaction(async () => {
      await documents().publish({ documentId: draft.documentId, locale: 'da' });
      throw new Error('rolled back on purpose');
    }),
  ).rejects.toThrow('rolled back on purpose');
  expect(await list()).toEqual(before);
  // Still the entry from before: nothing was invalidated by the rolled-back publish.
  expect(stats().hits).toBe(hits + 1);
});

it('an authenticated draft read never enters the cache: the anonymous read of the same URL is public', async () => {
  const token = await app.strapi.service('admin::api-token').create({ name: 'drafts', type: 'full-access', lifespan: null, description: '' });
  const path = '/api/articles?locale=da&status=draft&sort=title';
  const drafts = await raw(app, path, { headers: { authorization: `Bearer ${token.accessKey}` } });
  expect(json(drafts).data.map((article: { title: string }) => article.title)).toContain('Aaa rullet tilbage');
  expect(drafts.headers['cache-control']).toBe('private, no-store');
  for (let i = 0; i < 2; i++) {
    const anonymous = await raw(app, path);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.toString()).not.toContain('Aaa rullet tilbage');
  }
});

it('private fields never reach a cached answer', async () => {
  await app.strapi.documents('api::person.person').create({
    locale: 'da',
    data: { name: 'Privat Person', email: 'privat@example.invalid' } as never,
    status: 'published',
  });
  for (let i = 0; i < 2; i++) {
    const people = await raw(app, '/api/people?locale=da&pagination[pageSize]=100');
    expect(people.body.toString()).toContain('Privat Person');
    expect(people.body.toString()).not.toContain('privat@example.invalid');
  }
});

/** Every documentId inside a JSON value. */
const nestedDocumentIds = (value: unknown): string[] =>
  JSON.stringify(value).match(/"documentId":"([^"]+)"/g)!.map((match) => match.slice(14, -1));

it('answers carry the keys they depend on: a list its type, a page its documents, a lookup its slug; a publish purges exactly what it touches', async () => {
  const list = await raw(app, '/api/articles?locale=da');
  const keys = String(list.headers['surrogate-key']).split(' ');
  // The seeded article: it quotes people, shown inside its body.
  const article = (json(list).data as Array<{ documentId: string; slug: string }>).find((item) => nestedDocumentIds(item).length > 1)!;
  const people = nestedDocumentIds(article).filter((id) => id !== article.documentId).map((id) => `doc:${id}`);
  expect(people.length).toBeGreaterThan(0);
  // Its own type (any article may join or leave the list) and every document shown, nested
  // ones included; not the types it merely reaches (an unrelated person's edit leaves it alone).
  expect(keys).toEqual(expect.arrayContaining(['hub', 'type:articles', `doc:${article.documentId}`, ...people]));
  expect(keys).not.toContain('type:people');
  expect(keys).not.toContain('type:events');
  expect(list.headers['cache-tag']).toBe(keys.join(','));

  const page = await raw(app, `/api/articles/slug/${article.slug}?locale=da`);
  const pageKeys = String(page.headers['surrogate-key']).split(' ');
  expect(pageKeys).toEqual(expect.arrayContaining(['hub', `slug:articles:${article.slug}`, `doc:${article.documentId}`, ...people]));
  expect(pageKeys.filter((key) => key.startsWith('type:'))).toEqual([]);
  // A list filtered through a relation depends on the related types too.
  const filtered = await raw(app, `/api/articles?locale=da&filters[authors][name][$contains]=a`);
  expect(String(filtered.headers['surrogate-key']).split(' ')).toEqual(expect.arrayContaining(['type:articles', 'type:people']));
  expect(String((await raw(app, '/api/sync')).headers['surrogate-key'])).toBe('hub sync');

  await publicCache(app.strapi).purges.idle();
  purges.length = 0;
  const topic = await app.strapi.documents('api::topic.topic').create({ locale: 'da', data: { name: 'Nyt emne' } as never, status: 'published' });
  await publicCache(app.strapi).purges.idle();
  expect(purges).toHaveLength(1);
  expect(purges[0]!.method).toBe('PURGE');
  expect(purges[0]!.keys.sort()).toEqual([`doc:${topic.documentId}`, 'graphql', `slug:topics:${topic.slug}`, 'sync', 'type:topics'].sort());

  // Linking the topic to the article touches the article and what it is related to (their
  // answers may show it), not every topic.
  purges.length = 0;
  await app.strapi.documents('api::article.article').update({ documentId: article.documentId, locale: 'da', data: { topics: { connect: [topic.documentId] } } as never });
  await app.strapi.documents('api::article.article').publish({ documentId: article.documentId, locale: 'da' });
  await publicCache(app.strapi).purges.idle();
  const purged = purges.flatMap((purge) => purge.keys);
  expect(purged).toEqual(expect.arrayContaining([`doc:${article.documentId}`, `doc:${topic.documentId}`, 'type:articles', `slug:articles:${article.slug}`]));
  expect(purged).not.toContain('type:topics');
  expect(purged).not.toContain('hub');
});

it('validators cannot lie: no Last-Modified, and If-Modified-Since never answers 304 for a changed answer (an older item unpublished, a related document edited, a deletion)', async () => {
  const articles = app.strapi.documents('api::article.article');
  const topic = await app.strapi.documents('api::topic.topic').create({ locale: 'da', data: { name: 'Validatorer' } as never, status: 'published' });
  const older = await articles.create({ locale: 'da', data: { title: 'Ældre artikel', topics: [topic.documentId] } as never, status: 'published' });
  const newer = await articles.create({ locale: 'da', data: { title: 'Nyere artikel' } as never, status: 'published' });
  const list = `/api/articles?locale=da&filters[title][$endsWith]=artikel&sort=title`;
  const page = `/api/articles/${older.documentId}?locale=da`;
  // A date well after every updatedAt here: with the old rule (newest updatedAt of the top-level
  // documents) each of these reads would have been a 304.
  const future = new Date(Date.now() + 3_600_000).toUTCString();
  const check = async (path: string, expected: (body: string) => void) => {
    const response = await raw(app, path, { headers: { 'if-modified-since': future } });
    expect([path, response.status, response.headers['last-modified']]).toEqual([path, 200, undefined]);
    expected(response.body.toString());
  };
  await check(list, (body) => expect(body).toContain('Ældre artikel'));
  await check(page, (body) => expect(body).toContain('Validatorer'));

  await articles.unpublish({ documentId: older.documentId, locale: 'da' });
  await check(list, (body) => expect(body).not.toContain('Ældre artikel'));
  await articles.publish({ documentId: older.documentId, locale: 'da' });

  await app.strapi.documents('api::topic.topic').update({ documentId: topic.documentId, locale: 'da', data: { name: 'Validatorer, omdøbt' } as never, status: 'published' });
  await check(page, (body) => expect(body).toContain('Validatorer, omdøbt'));

  await articles.delete({ documentId: newer.documentId, locale: '*' });
  await check(list, (body) => expect(body).not.toContain('Nyere artikel'));
  // If-None-Match still gives 304 for the same bytes.
  const current = await raw(app, list);
  expect((await raw(app, list, { headers: { 'if-none-match': String(current.headers.etag) } })).status).toBe(304);
});
