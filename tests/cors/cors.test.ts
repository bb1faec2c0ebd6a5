/**
 * CORS by zone: the public API and GraphQL answer any origin with `*` and no credentials on
 * every answer (miss, hit, error, 429, preflight); the partner API and the admin answer only the
 * origins in CORS_ORIGINS (the admin with credentials) and nothing to others. No X-Powered-By.
 */
import { startApp, type TestApp } from '../helpers/app';
import { createPartner, type TestPartner } from '../helpers/partners';
import { publicCache } from '../../src/features/delivery/cache/public-cache';
import { raw, rawGraphql, type RawResponse } from '../response-cache/shared';
import { withEnv } from '../rate-limits/shared';

const CMS = 'https://cms.example.dk';
const PARTNER_SITE = 'https://programme.folkemoedet.dk';
const STRANGER = 'https://evil.example';

let app: TestApp;
let partner: TestPartner;
let restoreEnv: () => void;
beforeAll(async () => {
  // A listed origin with a default port and upper case, as an operator might write it.
  restoreEnv = withEnv({ CORS_ORIGINS: ` ${CMS}:443 , ${PARTNER_SITE.toUpperCase()}`, RATE_LIMIT_PUBLIC_POINTS: '1000' });
  app = await startApp({ seed: true });
  partner = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet' });
});
afterAll(async () => {
  await app?.stop();
  restoreEnv?.();
});

const corsOf = (response: RawResponse) =>
  Object.fromEntries(Object.entries(response.headers).filter(([name]) => name.startsWith('access-control-')));

function expectPublic(response: RawResponse) {
  expect(response.headers['access-control-allow-origin']).toBe('*');
  expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  expect(response.headers['x-powered-by']).toBeUndefined();
}

it('public answers say * without credentials whatever the Origin: miss, hit, error, GraphQL', async () => {
  const url = '/api/articles?locale=da';
  publicCache(app.strapi).clear();
  const hitsBefore = publicCache(app.strapi).stats().hits;
  for (const origin of [STRANGER, CMS, undefined]) {
    const headers: Record<string, string> = origin ? { origin } : {};
    const response = await raw(app, url, { headers });
    expect(response.status).toBe(200);
    expectPublic(response);
    expect(response.headers['access-control-expose-headers']).toContain('RateLimit-Remaining');
    expect(response.headers.vary).toBe('Accept-Encoding');
    const notFound = await raw(app, '/api/articles/no-such-document', { headers });
    expect(notFound.status).toBe(404);
    expectPublic(notFound);
    // Not Origin-dependent, so no `Vary: Origin`.
    expect(notFound.headers.vary ?? '').not.toMatch(/origin/i);
    expectPublic(await raw(app, '/api/articles?locale=xx&filters[nope]=1', { headers }));
    const badJson = await raw(app, '/graphql', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': '9' },
      body: '{"query":',
    });
    expect(badJson.status).toBe(400);
    expectPublic(badJson);
    const graphql = await rawGraphql(app, '{ topics(locale: "da") { name } }', undefined, headers);
    expect(graphql.status).toBe(200);
    expectPublic(graphql);
    // One header, not two (GraphQL's own @koa/cors is off).
    expect(graphql.headers['access-control-allow-origin']).toBe('*');
  }
  // The second and third reads of the list and of the GraphQL query were hits, with the same
  // CORS headers as the misses.
  expect(publicCache(app.strapi).stats().hits).toBe(hitsBefore + 4);
});

it('a preflight for a public GET or a GraphQL POST is a 204 allowing any origin, without credentials', async () => {
  for (const [path, method] of [['/api/articles?locale=da', 'GET'], ['/graphql', 'POST']] as const) {
    const response = await raw(app, path, {
      method: 'OPTIONS',
      headers: { origin: STRANGER, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
    });
    expect(response.status).toBe(204);
    expectPublic(response);
    expect(response.headers['access-control-allow-methods']).toContain(method);
    expect(response.headers['access-control-allow-headers']).toBe('content-type');
    expect(Number(response.headers['access-control-max-age'])).toBeGreaterThan(0);
  }
});

it('the partner API answers a listed origin, reflected and without credentials, and nothing to others', async () => {
  const listed = await raw(app, '/api/partner/me', { headers: { origin: PARTNER_SITE, authorization: partner.auth } });
  expect(listed.status).toBe(200);
  expect(listed.headers['access-control-allow-origin']).toBe(PARTNER_SITE);
  expect(listed.headers['access-control-allow-credentials']).toBeUndefined();
  expect(listed.headers.vary).toMatch(/Origin/);
  const stranger = await raw(app, '/api/partner/me', { headers: { origin: STRANGER, authorization: partner.auth } });
  expect(stranger.status).toBe(200);
  expect(corsOf(stranger)).toEqual({});
  const anonymous = await raw(app, '/api/partner/me', { headers: { origin: STRANGER } });
  expect(anonymous.status).toBe(401);
  expect(corsOf(anonymous)).toEqual({});
  const preflight = await raw(app, '/api/partner/events/x', {
    method: 'OPTIONS',
    headers: { origin: STRANGER, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization' },
  });
  expect(preflight.status).toBe(204);
  expect(corsOf(preflight)).toEqual({});
  const listedPreflight = await raw(app, '/api/partner/events/x', {
    method: 'OPTIONS',
    headers: { origin: PARTNER_SITE, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization' },
  });
  expect(listedPreflight.headers['access-control-allow-origin']).toBe(PARTNER_SITE);
  expect(listedPreflight.headers['access-control-allow-methods']).toContain('PUT');
  expect(listedPreflight.headers['access-control-allow-credentials']).toBeUndefined();
});

it('the admin answers a listed origin with credentials, and nothing to others or to no Origin', async () => {
  const listed = await raw(app, '/admin/init', { headers: { origin: CMS } });
  expect(listed.status).toBe(200);
  expect(listed.headers['access-control-allow-origin']).toBe(CMS);
  expect(listed.headers['access-control-allow-credentials']).toBe('true');
  for (const headers of [{ origin: STRANGER }, {}] as Array<Record<string, string>>) {
    const response = await raw(app, '/admin/init', { headers });
    expect(response.status).toBe(200);
    expect(corsOf(response)).toEqual({});
  }
  const login = await raw(app, '/admin/login', {
    method: 'OPTIONS',
    headers: { origin: STRANGER, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  expect(login.status).toBe(204);
  expect(corsOf(login)).toEqual({});
  const content = await raw(app, '/content-manager/init', { headers: { origin: CMS } });
  expect(content.headers['access-control-allow-origin']).toBe(CMS);
  expect(content.headers['access-control-allow-credentials']).toBe('true');
});

it('no answer carries X-Powered-By', async () => {
  const responses = [
    await raw(app, '/api/topics?locale=da'),
    await raw(app, '/api/topics?locale=da'),
    await raw(app, '/api/nothing-here'),
    await rawGraphql(app, '{ topics { name } }'),
    await raw(app, '/api/partner/me'),
    await raw(app, '/api/partner/me', { headers: { authorization: partner.auth } }),
    await raw(app, '/admin/init'),
    await raw(app, '/_health'),
    await raw(app, '/api/topics', { method: 'OPTIONS', headers: { origin: CMS, 'access-control-request-method': 'GET' } }),
  ];
  for (const response of responses) expect(response.headers['x-powered-by']).toBeUndefined();
});
