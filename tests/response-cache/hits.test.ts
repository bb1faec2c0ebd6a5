/**
 * The public response cache answers a repeated anonymous read from memory with the same bytes,
 * and every public GET carries ETag, Cache-Control, Vary and, above 1 kB, br/gzip.
 */
import zlib from 'node:zlib';
import { startApp, type TestApp } from '../helpers/app';
import { publicCache } from '../../src/features/delivery/cache/public-cache';
import { json, raw, rawGraphql } from './shared';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ seed: true });
});
afterAll(async () => {
  await app?.stop();
});

const stats = () => publicCache(app.strapi).stats();

const LIST = '/api/articles?locale=da';

it('a repeated anonymous read is a hit with the same bytes, ETag and headers', async () => {
  const first = await raw(app, LIST);
  expect(first.status).toBe(200);
  const before = stats();
  const second = await raw(app, LIST);
  expect(stats().hits).toBe(before.hits + 1);
  expect(second.status).toBe(200);
  expect(second.body.equals(first.body)).toBe(true);
  expect(json(second).data[0].title).toBeTruthy();
  expect(first.headers['last-modified']).toBeUndefined();
  for (const header of ['etag', 'cache-control', 'vary', 'content-type', 'surrogate-key', 'access-control-allow-origin']) {
    expect([header, second.headers[header]]).toEqual([header, first.headers[header]]);
  }
  expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
  expect(first.headers['cache-control']).toBe('public, max-age=5, s-maxage=60, stale-while-revalidate=30');
  expect(first.headers.vary).toBe('Accept-Encoding');
  expect(first.headers['x-powered-by']).toBeUndefined();
  expect(first.headers['access-control-allow-credentials']).toBeUndefined();
  // Helmet's headers are kept for hits too.
  expect(second.headers['content-security-policy']).toBe(first.headers['content-security-policy']);
  expect(second.headers['x-content-type-options']).toBe('nosniff');
});

it('If-None-Match with the ETag is a 304 without a body, on a hit and on a miss', async () => {
  const { headers } = await raw(app, LIST);
  const hit = await raw(app, LIST, { headers: { 'if-none-match': headers.etag! } });
  expect(hit.status).toBe(304);
  expect(hit.body.length).toBe(0);
  expect(hit.headers.etag).toBe(headers.etag);
  publicCache(app.strapi).clear();
  const miss = await raw(app, LIST, { headers: { 'if-none-match': `W/${headers.etag}, "other"` } });
  expect(miss.status).toBe(304);
  expect(miss.body.length).toBe(0);
  const changedTag = await raw(app, LIST, { headers: { 'if-none-match': '"something-else"' } });
  expect(changedTag.status).toBe(200);
});

it('br and gzip answers decompress to the identity bytes, with their own ETags', async () => {
  const identity = await raw(app, LIST);
  const br = await raw(app, LIST, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
  const gzip = await raw(app, LIST, { headers: { 'accept-encoding': 'gzip' } });
  const refused = await raw(app, LIST, { headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } });
  expect(br.headers['content-encoding']).toBe('br');
  expect(gzip.headers['content-encoding']).toBe('gzip');
  expect(refused.headers['content-encoding']).toBeUndefined();
  expect(zlib.brotliDecompressSync(br.body).equals(identity.body)).toBe(true);
  expect(zlib.gunzipSync(gzip.body).equals(identity.body)).toBe(true);
  expect(br.body.length).toBeLessThan(identity.body.length / 3);
  expect(br.headers.etag).toBe(`${identity.headers.etag!.slice(0, -1)}-br"`);
  expect(Number(br.headers['content-length'])).toBe(br.body.length);
  // A 304 for the compressed tag too.
  expect((await raw(app, LIST, { headers: { 'accept-encoding': 'br', 'if-none-match': br.headers.etag! } })).status).toBe(304);
});

it('HEAD answers the headers of GET without a body', async () => {
  const get = await raw(app, LIST);
  const head = await raw(app, LIST, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(head.body.length).toBe(0);
  expect(head.headers.etag).toBe(get.headers.etag);
  expect(head.headers['content-length']).toBe(String(get.body.length));
});

it('slug lookups, single reads, calendars, the feed and the contract are cached too', async () => {
  const { data } = json(await raw(app, LIST));
  const paths = [
    `/api/articles/${data[0].documentId}?locale=da`,
    `/api/articles/slug/${data[0].slug}?locale=da`,
    '/api/events.ics?locale=da',
    '/api/sync',
    '/api/openapi.json',
    '/api/topics?locale=en',
  ];
  for (const path of paths) {
    const first = await raw(app, path);
    expect([path, first.status]).toEqual([path, 200]);
    const hits = stats().hits;
    const second = await raw(app, path);
    expect([path, stats().hits]).toEqual([path, hits + 1]);
    expect(second.body.equals(first.body)).toBe(true);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
  }
});

it('GraphQL queries are cached by their printed form and variables; mutations never', async () => {
  const query = 'query Titles($locale: I18NLocaleCode) { articles(locale: $locale) { title } }';
  const first = await rawGraphql(app, query, { locale: 'da' });
  expect(first.status).toBe(200);
  expect(json(first).data.articles.length).toBeGreaterThan(0);
  const hits = stats().hits;
  // Same query, other whitespace and a comment: the same entry.
  const second = await rawGraphql(app, `# titles\nquery Titles($locale: I18NLocaleCode) {\n  articles(locale: $locale) {\n    title\n  }\n}`, { locale: 'da' });
  expect(stats().hits).toBe(hits + 1);
  expect(second.body.equals(first.body)).toBe(true);
  // Other variables: another entry.
  const english = await rawGraphql(app, query, { locale: 'en' });
  expect(stats().hits).toBe(hits + 1);
  expect(english.body.equals(first.body)).toBe(false);

  const mutation = 'mutation { createTopic(data: { name: "x" }) { name } }';
  await rawGraphql(app, mutation);
  const again = await rawGraphql(app, mutation);
  expect(stats().hits).toBe(hits + 1);
  expect(json(again).errors).toBeDefined();
});

it('a GraphQL body that is not JSON gets the same 400 as without the cache', async () => {
  const response = await app.http().post('/graphql').set('content-type', 'application/json').send('{"query": ');
  expect(response.status).toBe(400);
});

it('bad query input still gets its 400, every time, and is never stored', async () => {
  const first = await raw(app, '/api/articles?filters[email][$eq]=x');
  const second = await raw(app, '/api/articles?filters[email][$eq]=x');
  expect(first.status).toBe(400);
  expect(second.status).toBe(400);
  expect(second.body.equals(first.body)).toBe(true);
  expect(first.headers.etag).toBeUndefined();
});

it('authenticated requests are never answered from the cache and are marked private', async () => {
  const anonymous = await raw(app, LIST);
  expect(anonymous.status).toBe(200);
  const hits = stats().hits;
  const withToken = await raw(app, LIST, { headers: { authorization: 'Bearer not-a-real-token' } });
  expect(stats().hits).toBe(hits);
  expect(withToken.status).toBe(401);
  expect(withToken.headers['cache-control']).toBe('private, no-store');
});

it('answers that depend on the clock (when=upcoming) get headers but are not stored', async () => {
  await raw(app, '/api/events?when=upcoming');
  const hits = stats().hits;
  const second = await raw(app, '/api/events?when=upcoming');
  expect(second.status).toBe(200);
  expect(stats().hits).toBe(hits);
  expect(second.headers.etag).toBeDefined();
  expect(second.headers['cache-control']).toBe('public, max-age=5, s-maxage=5, stale-while-revalidate=30');
});
