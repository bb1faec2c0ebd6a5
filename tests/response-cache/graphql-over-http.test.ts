/**
 * GraphQL answers are made in the media type the client's Accept asks for (GraphQL over HTTP:
 * `application/graphql-response+json` or `application/json`), so the response cache keys them by
 * Accept and says `Vary: Accept`. The audit suite that ships with `graphql-http` gives the same
 * results with the cache on as with it off; before the key had Accept in it, audit 4655 failed
 * with the cache on (a client asking for JSON got an answer made for another client).
 */
import { serverAudits, type AuditResult } from 'graphql-http';
import { publicCache } from '../../src/features/delivery/cache/public-cache';
import { startApp, type TestApp } from '../helpers/app';
import { listen, raw } from './shared';

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/** Every audit of the suite against this app: its id, and ok/notice/warn/error. */
async function audit(app: TestApp): Promise<Record<string, AuditResult['status']>> {
  const url = `${await listen(app)}/graphql`;
  const results: Record<string, AuditResult['status']> = {};
  for (const { id, fn } of serverAudits({ url })) results[id] = (await fn()).status;
  return results;
}

async function withApp<T>(cache: 'on' | 'off', work: (app: TestApp) => Promise<T>): Promise<T> {
  process.env.RESPONSE_CACHE = cache;
  const app = await startApp({ seed: true });
  try {
    return await work(app);
  } finally {
    await app.stop();
    delete process.env.RESPONSE_CACHE;
  }
}

it('the GraphQL over HTTP audits give the same results with the response cache on as with it off, and none fails', async () => {
  const off = await withApp('off', audit);
  const on = await withApp('on', audit);
  expect(Object.keys(on).length).toBeGreaterThan(20);
  expect(Object.entries(on).filter(([, status]) => status === 'error')).toEqual([]);
  expect(on).toEqual(off);
});

it('keys a GraphQL answer by Accept: each client gets the media type it asked for, each from its own entry', async () => {
  await withApp('on', async (app) => {
    const body = JSON.stringify({ query: '{ topics(locale: "da", sort: "name") { name } }' });
    const post = (accept: string) => raw(app, '/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept }, body });
    const stats = () => publicCache(app.strapi).stats();

    const first = await post(GRAPHQL_RESPONSE);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^application\/graphql-response\+json/);
    expect(first.headers.vary).toBe('Accept, Accept-Encoding');

    const hitsBefore = stats().hits;
    const json = await post('application/json');
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body.equals(first.body)).toBe(true);
    expect(stats().hits).toBe(hitsBefore);

    // Each is a hit for its own kind of client now; case and spaces do not make a new entry.
    expect((await post('Application/JSON')).headers['content-type']).toMatch(/^application\/json/);
    expect((await post(GRAPHQL_RESPONSE)).headers['content-type']).toMatch(/^application\/graphql-response\+json/);
    expect(stats().hits).toBe(hitsBefore + 2);

    // The same query as a GET: a public read, the same answer with or without Apollo's CSRF
    // header (tests/response-cache/graphql-get.test.ts); a content type other than JSON is a
    // 415, cached or not.
    const get = (headers: Record<string, string>) =>
      raw(app, `/graphql?query=${encodeURIComponent('{ topics(locale: "da", sort: "name") { name } }')}`, { headers: { accept: 'application/json', ...headers } });
    const plain = await get({});
    expect(plain.status).toBe(200);
    expect(plain.body.equals(json.body)).toBe(true);
    expect((await get({ 'content-type': 'text/plain' })).status).toBe(415);
    expect((await get({ 'content-type': 'application/xml' })).status).toBe(415);
    const withHeader = await get({ 'apollo-require-preflight': 'true' });
    expect(withHeader.status).toBe(200);
    expect(withHeader.body.equals(json.body)).toBe(true);
    expect((await get({})).body.equals(json.body)).toBe(true);
    // A parameter twice, or variables that are not an object: Apollo's 400, never a cached 200.
    const twice = await raw(app, `/graphql?query=${encodeURIComponent('{ topics(locale: "da", sort: "name") { name } }')}&query=x`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(twice.status).toBe(400);
    const arrayVariables = await raw(app, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ topics(locale: "da", sort: "name") { name } }', variables: [] }),
    });
    expect(arrayVariables.status).toBe(400);

    // A REST answer does not depend on Accept.
    expect((await raw(app, '/api/topics?locale=da')).headers.vary).toBe('Accept-Encoding');
  });
});
