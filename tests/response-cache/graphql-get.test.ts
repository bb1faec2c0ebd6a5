/**
 * GET /graphql is a public read: one answer per URL (and Accept), whoever asks and whether or not
 * a cache is warm. It needs no Apollo CSRF preflight header (src/lib/graphql/public-get.ts): before,
 * a GET without one was a 400 on a miss, while a CDN filled by a GET that carried one answered
 * every later GET with the cached 200. POST keeps Apollo's CSRF prevention; mutations are never
 * run over GET; a GET with a non-JSON content type is refused, cached or not.
 */
import { randomBytes } from 'node:crypto';
import { publicCache } from '../../src/features/delivery/cache/public-cache';
import { startApp, type TestApp } from '../helpers/app';
import { json, raw, type RawResponse } from './shared';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ seed: true });
});
afterAll(async () => {
  await app?.stop();
});

const stats = () => publicCache(app.strapi).stats();
const getUrl = (query: string) => `/graphql?query=${encodeURIComponent(query)}`;
const PREFLIGHT = { 'apollo-require-preflight': 'true' };
const topicCount = () => app.strapi.db.query('api::topic.topic').count();

/** What two answers must share to be "the same answer". */
const sameAnswer = (a: RawResponse, b: RawResponse) => {
  expect({ status: b.status, etag: b.headers.etag, type: b.headers['content-type'] }).toEqual({
    status: a.status,
    etag: a.headers.etag,
    type: a.headers['content-type'],
  });
  expect(b.body.toString('utf8')).toBe(a.body.toString('utf8'));
};

describe('GET /graphql needs no preflight header', () => {
  it('a GET without any preflight header is a 200 with data, and the same bytes on the miss and the hit, public with an ETag', async () => {
    const url = getUrl('{ topics(locale: "da", sort: "name") { name slug } }');
    const misses = stats().misses;
    const miss = await raw(app, url);
    expect(miss.status).toBe(200);
    expect(json(miss).data.topics.length).toBeGreaterThan(0);
    expect(json(miss).errors).toBeUndefined();
    expect(miss.headers['cache-control']).toBe('public, max-age=5, s-maxage=60, stale-while-revalidate=30');
    expect(miss.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(miss.headers.vary).toBe('Accept, Accept-Encoding');
    expect(stats().misses).toBe(misses + 1);

    const hits = stats().hits;
    const hit = await raw(app, url);
    expect(stats().hits).toBe(hits + 1);
    sameAnswer(miss, hit);
    expect(hit.headers['cache-control']).toBe(miss.headers['cache-control']);
  });

  it('with or without the header, in either order, cold or warm: one answer', async () => {
    // Filled by a GET with the header, then asked without it (what a CDN in front would do).
    const first = getUrl('{ topics(locale: "en", sort: "name") { name } }');
    const withHeader = await raw(app, first, { headers: PREFLIGHT });
    expect(withHeader.status).toBe(200);
    const hits = stats().hits;
    const without = await raw(app, first);
    expect(stats().hits).toBe(hits + 1);
    sameAnswer(withHeader, without);

    // Filled by a GET without it, then asked with it and with the other header.
    const second = getUrl('{ topics(locale: "en", sort: "slug") { slug } }');
    const plain = await raw(app, second);
    expect(plain.status).toBe(200);
    sameAnswer(plain, await raw(app, second, { headers: PREFLIGHT }));
    sameAnswer(plain, await raw(app, second, { headers: { 'x-apollo-operation-name': 'x' } }));
    // A JSON content type, which Apollo accepts on a GET, is the same answer.
    sameAnswer(plain, await raw(app, second, { headers: { 'content-type': 'application/json' } }));

    // Cold again (the cache emptied), without the header: still the same answer, a miss.
    publicCache(app.strapi).clear();
    const misses = stats().misses;
    const cold = await raw(app, first);
    expect(stats().misses).toBe(misses + 1);
    sameAnswer(withHeader, cold);

    // With the response cache off, the app's own answer is the same too.
    const config = publicCache(app.strapi).config;
    config.enabled = false;
    try {
      sameAnswer(withHeader, await raw(app, first));
    } finally {
      config.enabled = true;
    }
  });

  it('HEAD is the GET without its body, on a miss and on a hit', async () => {
    const url = getUrl('{ topics(locale: "da", sort: "slug") { slug } }');
    publicCache(app.strapi).clear();
    const headMiss = await raw(app, url, { method: 'HEAD' });
    expect(headMiss.status).toBe(200);
    expect(headMiss.body.length).toBe(0);
    const get = await raw(app, url);
    expect(get.status).toBe(200);
    const headHit = await raw(app, url, { method: 'HEAD' });
    expect(headHit.status).toBe(200);
    expect(headHit.body.length).toBe(0);
    for (const head of [headMiss, headHit]) {
      expect(head.headers.etag).toBe(get.headers.etag);
      expect(head.headers['content-length']).toBe(String(get.body.length));
      expect(head.headers['cache-control']).toBe(get.headers['cache-control']);
    }
  });
});

describe('what stays refused', () => {
  it('a mutation over GET is the same 405 on the first and the second request, with or without the header, and writes nothing', async () => {
    const before = await topicCount();
    const url = getUrl('mutation { createTopic(data: { name: "Over GET" }) { name } }');
    const hits = stats().hits;
    const answers = [await raw(app, url), await raw(app, url), await raw(app, url, { headers: PREFLIGHT }), await raw(app, url)];
    for (const answer of answers) {
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe('POST');
      expect(answer.headers.etag).toBeUndefined();
      expect(answer.headers['cache-control']).not.toMatch(/public/);
      expect(json(answer).errors[0].message).toBe('GET requests only support query operations, not mutation operations');
      expect(answer.body.equals(answers[0]!.body)).toBe(true);
    }
    expect(stats().hits).toBe(hits);

    // Not even for a token that may write: GET runs queries only.
    const token = await app.strapi.service('admin::api-token').create({ name: 'graphql-get', type: 'full-access', lifespan: null, description: '' });
    const authenticated = await raw(app, url, { headers: { authorization: `Bearer ${token.accessKey}` } });
    expect(authenticated.status).toBe(405);
    expect(authenticated.body.equals(answers[0]!.body)).toBe(true);
    expect(await topicCount()).toBe(before);
  });

  it.each([
    ['text/plain', JSON.stringify({ query: '{ topics(locale: "da") { name } }' })],
    ['application/x-www-form-urlencoded', `query=${encodeURIComponent('{ topics(locale: "da") { name } }')}`],
    ['multipart/form-data; boundary=x', '--x\r\ncontent-disposition: form-data; name="query"\r\n\r\n{ topics(locale: "da") { name } }\r\n--x--\r\n'],
  ])('a POST with the simple content type %s and no preflight header is still refused by Apollo\'s CSRF prevention (400, JSON)', async (contentType, body) => {
    const answers = [];
    for (let i = 0; i < 2; i++) answers.push(await raw(app, '/graphql', { method: 'POST', headers: { 'content-type': contentType }, body }));
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(json(answer).errors[0].message).toMatch(/^This operation has been blocked as a potential Cross-Site Request Forgery \(CSRF\)/);
      expect(answer.headers.etag).toBeUndefined();
    }
  });

  it('a POST mutation with a simple content type is refused before it runs, and writes nothing', async () => {
    const before = await topicCount();
    const body = JSON.stringify({ query: 'mutation { createTopic(data: { name: "Cross-site" }) { name } }' });
    const answer = await raw(app, '/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    expect(answer.status).toBe(400);
    expect(json(answer).errors[0].message).toMatch(/Cross-Site Request Forgery/);
    expect(await topicCount()).toBe(before);
  });

  it('a GET with a content type other than JSON is a 415 on a miss and on a hit (the same URL cached meanwhile)', async () => {
    const url = getUrl('{ topics(locale: "da", sort: "name") { documentId } }');
    publicCache(app.strapi).clear();
    const cold = await raw(app, url, { headers: { 'content-type': 'text/plain' } });
    expect((await raw(app, url)).status).toBe(200);
    const warm = await raw(app, url, { headers: { 'content-type': 'text/plain' } });
    const xml = await raw(app, url, { headers: { 'content-type': 'application/xml', ...PREFLIGHT } });
    for (const answer of [cold, warm, xml]) {
      expect(answer.status).toBe(415);
      expect(answer.headers['content-type']).toMatch(/json/);
      expect(json(answer).errors[0].message).toBe('GET requests may not have a content-type header other than application/json.');
      expect(answer.headers.etag).toBeUndefined();
    }
    expect(warm.body.equals(cold.body)).toBe(true);
  });
});

describe('why no preflight is needed: the content API never authenticates with cookies', () => {
  /** What a logged-in editor's browser holds for this site: the cookies /admin/login set, and the admin's access token. */
  async function editorBrowser(): Promise<{ cookie: string; adminToken: string }> {
    const superAdmin = await app.strapi.service('admin::role').getSuperAdmin();
    const email = `cookie-${randomBytes(4).toString('hex')}@example.invalid`;
    const password = `Aa1-${randomBytes(12).toString('hex')}`;
    await app.strapi.service('admin::user').create({ email, firstname: 'Cookie', lastname: 'Editor', password, isActive: true, roles: [superAdmin.id] });
    const login = await app.http().post('/admin/login').send({ email, password });
    expect(login.status).toBe(200);
    const setCookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []);
    const cookie = setCookie.map((line) => line.split(';')[0]!).join('; ');
    expect(cookie).toMatch(/(^|; )strapi_admin_refresh=[^;]+/);
    return { cookie, adminToken: login.body.data.token as string };
  }

  it('the admin\'s session cookie, or a token in a cookie, is no credential on /graphql: a mutation is Forbidden and writes nothing', async () => {
    const { cookie, adminToken } = await editorBrowser();
    const token = await app.strapi.service('admin::api-token').create({ name: 'graphql-cookie', type: 'full-access', lifespan: null, description: '' });
    const before = await topicCount();
    const mutation = 'mutation { createTopic(data: { name: "Cookie topic" }) { name } }';
    const post = (headers: Record<string, string>) =>
      raw(app, '/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: mutation }) });
    const cookies = [
      cookie,
      `${cookie}; jwt=${adminToken}; strapi_jwt=${adminToken}`,
      `token=${token.accessKey}; jwt=${token.accessKey}; authorization=Bearer%20${token.accessKey}`,
    ];
    for (const sent of cookies) {
      const answer = await post({ cookie: sent });
      const codes = json(answer).errors?.map((error: { extensions: { code: string } }) => error.extensions.code);
      expect({ sent, codes }).toEqual({ sent, codes: ['FORBIDDEN'] });
    }
    expect(await topicCount()).toBe(before);

    // The same token in the Authorization header is a credential: the refusals above are
    // about where it was sent, not about the token.
    const bearer = await post({ authorization: `Bearer ${token.accessKey}` });
    expect(json(bearer).errors).toBeUndefined();
    expect(json(bearer).data.createTopic.name).toBe('Cookie topic');
    // (A draft row and, the API publishing by default, a published one.)
    expect(await topicCount()).toBeGreaterThan(before);
  });

  it('a GET with the editor\'s cookies is answered by the app (a miss) with the anonymous public answer', async () => {
    const { cookie, adminToken } = await editorBrowser();
    const url = getUrl('{ topics(locale: "en", sort: "name") { name documentId } }');
    const anonymous = await raw(app, url);
    publicCache(app.strapi).clear();
    const misses = stats().misses;
    const withCookies = await raw(app, url, { headers: { cookie: `${cookie}; jwt=${adminToken}` } });
    expect(stats().misses).toBe(misses + 1);
    sameAnswer(anonymous, withCookies);
    expect(withCookies.headers['cache-control']).toMatch(/^public,/);
    expect(withCookies.headers['set-cookie']).toBeUndefined();
  });
});
