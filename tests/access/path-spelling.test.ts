/**
 * Strapi's router matches paths whatever their case, so every rule that classifies a request by
 * its path must too (issue 29, item 5: `/API/articles` skipped the cache's `private, no-store`
 * and went out with no Cache-Control). Each spelling below either is not routed at all (404) or
 * gets exactly the rules the canonical path gets: no-store on authenticated answers, the list size
 * limit, local times, the locale fallback, rate-limit accounting and the public CORS answer.
 */
import { startApp, type TestApp } from '../helpers/app';

let app: TestApp;
let fullAccess: string;

beforeAll(async () => {
  app = await startApp({ seed: true });
  fullAccess = (await app.strapi.service('admin::api-token').create({ name: 'path spelling', type: 'full-access', lifespan: null, description: '' }))
    .accessKey as string;
});
afterAll(async () => {
  await app?.stop();
});

/** Spellings of `/api/<rest>` a client could send; the router serves some of them. */
const spellings = (rest: string) => [
  `/api/${rest}`,
  `/API/${rest}`,
  `/Api/${rest}`,
  `/aPI/${rest.toUpperCase()}`,
  `/%61pi/${rest}`,
  `/api/%61${rest.slice(1)}`,
  `//api/${rest}`,
  `/api//${rest}`,
  `/api/${rest}/`,
];

let unique = 0;
/** A filter no other request has (matching everything), so no answer comes from the response cache. */
const fresh = () => `filters[title][$ne]=nocache-${++unique}`;

/**
 * The spellings the router serves, with the answer each got. Not served: a 404 (the router does
 * not decode `%61pi`, nor join `//`), and koa-static's 400 for `//api/…` ("Malicious Path").
 */
async function served(rest: string, query: string, headers: Record<string, string> = {}) {
  const answers = [];
  for (const path of spellings(rest)) {
    const response = await app.http().get(`${path}?${query}&${fresh()}`).set(headers);
    const refused = response.status === 404 || response.body?.error?.message === 'Malicious Path';
    if (!refused) answers.push({ path, response });
  }
  // The canonical spelling is always served, or the walk proves nothing.
  expect(answers.map((answer) => answer.path)).toContain(`/api/${rest}`);
  return answers;
}

it('the router serves more than one spelling (otherwise this file tests nothing)', async () => {
  const answers = await served('articles', 'locale=da');
  expect(answers.length).toBeGreaterThan(1);
  expect(answers.map((answer) => answer.path)).toContain('/API/articles');
});

it('an authenticated answer is private, no-store in every spelling (REST and GraphQL)', async () => {
  for (const { path, response } of await served('articles', 'status=draft', { Authorization: `Bearer ${fullAccess}` })) {
    expect([path, response.status]).toEqual([path, 200]);
    expect([path, response.headers['cache-control']]).toEqual([path, 'private, no-store']);
  }
  for (const path of ['/graphql', '/GraphQL', '/GRAPHQL']) {
    const response = await app
      .http()
      .post(path)
      .set({ Authorization: `Bearer ${fullAccess}`, 'Content-Type': 'application/json' })
      .send({ query: '{ articles(status: DRAFT) { documentId } }' });
    if (response.status === 404) continue;
    expect([path, response.status]).toEqual([path, 200]);
    // Apollo says `no-store` itself for a POST; either way no cache keeps it.
    expect([path, response.headers['cache-control']]).toEqual([path, expect.stringMatching(/(^|[\s,])no-store($|,)/)]);
  }
});

it('the list size limit holds in every spelling', async () => {
  for (const { path, response } of await served('articles', 'pagination[pageSize]=1000')) {
    expect([path, response.status]).toEqual([path, 400]);
    expect(response.body.error.details).toMatchObject({ param: 'pagination[pageSize]' });
  }
});

it('local times are added in every spelling', async () => {
  for (const { path, response } of await served('events', 'locale=da')) {
    expect([path, response.status]).toEqual([path, 200]);
    expect(response.body.data.length).toBeGreaterThan(0);
    for (const event of response.body.data) expect([path, typeof event.startsAtLocal]).toEqual([path, 'string']);
  }
});

it('the locale fallback is applied in every spelling, and the answers are the same', async () => {
  const answers = await served('articles', 'locale=en&fallbackLocale=da');
  const canonical = answers.find((answer) => answer.path === '/api/articles')!.response.body;
  expect(canonical.data.length).toBeGreaterThan(0);
  for (const { path, response } of answers) {
    expect([path, response.status]).toEqual([path, 200]);
    expect([path, response.body.data]).toEqual([path, canonical.data]);
  }
});

it('rate limits count and CORS answers with the public policy in every spelling', async () => {
  for (const { path, response } of await served('articles', 'locale=da', { Origin: 'https://front.example' })) {
    expect([path, response.headers['ratelimit-limit']]).toEqual([path, expect.any(String)]);
    expect([path, response.headers['access-control-allow-origin']]).toEqual([path, '*']);
  }
});
