/** One GraphQL request cannot ask for everything: depth, list size, cost, aliases and tokens are bounded. */
import { randomBytes } from 'crypto';
import fs from 'fs';
import path from 'path';
import { GRAPHQL_LIMITS } from '../../src/lib/graphql/limits';
import { MAX_LIST_DEPTH } from '../../src/lib/http/list-size';
import { startApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
  // More published topics than one page may hold (written as rows: this test reads, it does not publish).
  const now = new Date();
  await app.strapi.db.query('api::topic.topic').createMany({
    data: Array.from({ length: GRAPHQL_LIMITS.maxListSize + 20 }, (_, i) => ({
      documentId: randomBytes(12).toString('hex'),
      name: `Emne ${i}`,
      slug: `emne-${i}`,
      locale: 'da',
      publishedAt: now,
    })),
  });
});
afterAll(async () => {
  await app?.stop();
});

function nested(depth: number): string {
  // parent { parent { ... { title } } } under events
  return `{ events { ${'parent { '.repeat(depth)}title${' }'.repeat(depth)} } }`;
}

it('answers a query within the limits (the control)', async () => {
  const { status, body } = await app.graphql(nested(GRAPHQL_LIMITS.depth - 2));
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
});

it('refuses a query nested deeper than the depth limit, saying so', async () => {
  const { status, body } = await app.graphql(nested(GRAPHQL_LIMITS.depth + 2));
  expect(status).toBe(400);
  expect(body.data).toBeUndefined();
  expect(body.errors?.[0]!.message).toMatch(/exceeds maximum operation depth of 10/);
});

it('answers a list of up to the list-size limit, and 25 by default', async () => {
  const all = await app.graphql(`{ topics(pagination: { limit: ${GRAPHQL_LIMITS.maxListSize} }) { slug } }`);
  expect(all.body.errors).toBeUndefined();
  expect(all.body.data.topics).toHaveLength(GRAPHQL_LIMITS.maxListSize);
  const page = await app.graphql('{ topics { slug } }');
  expect(page.body.data.topics).toHaveLength(GRAPHQL_LIMITS.defaultListSize);
});

describe('a list over the size limit is refused with a 400 naming the limit, as REST refuses it', () => {
  const over = GRAPHQL_LIMITS.maxListSize + 1;
  it.each([
    ['a literal limit', `{ topics(pagination: { limit: ${over} }) { slug } }`, undefined],
    ['a literal pageSize', `{ topics(pagination: { page: 1, pageSize: ${over} }) { slug } }`, undefined],
    ['a variable', 'query ($n: Int) { topics(pagination: { limit: $n }) { slug } }', { n: over }],
    ['a whole pagination variable', 'query ($p: PaginationArg) { topics(pagination: $p) { slug } }', { p: { pageSize: over } }],
    ['a nested relation', `{ topics { articles(pagination: { limit: ${over} }) { title } } }`, undefined],
    ['a fragment', `{ ...t } fragment t on Query { topics(pagination: { limit: ${over} }) { slug } }`, undefined],
    ['a fallback list', `{ topicsWithFallback(locale: "en", fallbackLocale: "da", pagination: { limit: ${over} }) { slug } }`, undefined],
  ])('in %s', async (_case, query, variables) => {
    const { status, body } = await app.graphql(query, variables);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]!.message).toMatch(new RegExp(`is ${over}: lists hold at most ${GRAPHQL_LIMITS.maxListSize} items`));
    expect(body.errors?.[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: GRAPHQL_LIMITS.maxListSize });
  });

  it.each(['pagination[pageSize]', 'pagination[limit]'])('REST: %s', async (param) => {
    const response = await app.http().get(`/api/topics?${param}=${over}`);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      status: 400,
      name: 'ValidationError',
      message: expect.stringMatching(new RegExp(`lists hold at most ${GRAPHQL_LIMITS.maxListSize} items`)),
      details: { param, limit: GRAPHQL_LIMITS.maxListSize },
    });
    const within = await app.http().get(`/api/topics?${param}=${GRAPHQL_LIMITS.maxListSize}`);
    expect(within.status).toBe(200);
    expect(within.body.data).toHaveLength(GRAPHQL_LIMITS.maxListSize);
  });
});

describe('a page past the depth limit is refused with a 400 saying how to read on (keyset or the change feed)', () => {
  // The last page within the limit, and the first past it, for 100 a page and for start/limit.
  const lastPage = MAX_LIST_DEPTH / 100;
  it.each([
    ['page', `pagination[page]=${lastPage + 1}&pagination[pageSize]=100`, 'pagination[page]', MAX_LIST_DEPTH + 100],
    ['page at the default size', `pagination[page]=${MAX_LIST_DEPTH / 25 + 1}`, 'pagination[page]', MAX_LIST_DEPTH + 25],
    ['start', `pagination[start]=${MAX_LIST_DEPTH}&pagination[limit]=1`, 'pagination[start]', MAX_LIST_DEPTH + 1],
  ])('REST: %s', async (_case, query, param, depth) => {
    const response = await app.http().get(`/api/topics?locale=da&${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      status: 400,
      name: 'ValidationError',
      message: expect.stringContaining(`${param} reaches item ${depth}: lists are read at most ${MAX_LIST_DEPTH} items deep`),
      details: { param, maxDepth: MAX_LIST_DEPTH },
    });
    expect(response.body.error.message).toContain('filters[publishedAt][$lt]');
    expect(response.body.error.message).toContain('GET /api/sync');
  });

  it('REST: the deepest page within the limit is answered (empty here: there are fewer topics)', async () => {
    const within = await app.http().get(`/api/topics?locale=da&pagination[page]=${lastPage}&pagination[pageSize]=100`);
    expect(within.status).toBe(200);
    expect(within.body.data).toEqual([]);
    const byStart = await app.http().get(`/api/topics?locale=da&pagination[start]=${MAX_LIST_DEPTH - 1}&pagination[limit]=1`);
    expect(byStart.status).toBe(200);
  });

  it.each([
    ['a literal page', `{ topics(pagination: { page: ${lastPage + 1}, pageSize: 100 }) { slug } }`, undefined],
    ['a variable start', 'query ($s: Int) { topics(pagination: { start: $s, limit: 10 }) { slug } }', { s: MAX_LIST_DEPTH }],
    ['a fallback list', `{ topicsWithFallback(locale: "en", fallbackLocale: "da", pagination: { page: ${lastPage + 1}, pageSize: 100 }) { slug } }`, undefined],
  ])('GraphQL: in %s', async (_case, query, variables) => {
    const { status, body } = await app.graphql(query, variables);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]!.message).toMatch(new RegExp(`lists are read at most ${MAX_LIST_DEPTH} items deep`));
    expect(body.errors?.[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', maxDepth: MAX_LIST_DEPTH });
  });

  it('GraphQL: the deepest page within the limit is answered', async () => {
    const { status, body } = await app.graphql(`{ topics(pagination: { page: ${lastPage}, pageSize: 100 }) { slug } }`);
    expect([status, body.errors, body.data?.topics]).toEqual([200, undefined, []]);
  });
});

it('refuses a query over the cost limit, naming the limit and the cost', async () => {
  // Within the depth, alias and token limits, but wide and deep enough to cost too much.
  const fields = 'title slug summary startsAt endsAt kind eventStatus attendanceMode timeZone programmeUrl';
  const chain = (depth: number): string => (depth === 0 ? fields : `${fields} parent { ${chain(depth - 1)} }`);
  const aliases = Array.from({ length: 12 }, (_, i) => `e${i}: events { ${chain(7)} }`).join('\n');
  const { status, body } = await app.graphql(`{ ${aliases} }`);
  expect(status).toBe(400);
  expect(body.errors?.[0]!.message).toMatch(new RegExp(`Query Cost limit of ${GRAPHQL_LIMITS.maxCost} exceeded, found \\d+`));
  expect(body.errors?.[0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
});

it('refuses more aliases than allowed', async () => {
  const aliases = Array.from({ length: GRAPHQL_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: topics { slug }`).join(' ');
  const { status, body } = await app.graphql(`{ ${aliases} }`);
  expect(status).toBe(400);
  expect(body.errors?.[0]!.message).toMatch(/Aliases limit of 15 exceeded/);
});

it('refuses a document with more tokens than allowed', async () => {
  const fields = Array.from({ length: GRAPHQL_LIMITS.maxTokens }, () => 'slug').join(' ');
  const { status, body } = await app.graphql(`{ topics { ${fields} } }`);
  expect(status).toBe(400);
  expect(body.errors?.[0]).toMatchObject({
    message: expect.stringMatching(/Document contains more that 3000 tokens/),
    extensions: { code: 'GRAPHQL_PARSE_FAILED' },
  });
});

it('is served by Apollo Server 5: the plugin pins 4.13 (end of life 2026-01-26), package.json overrides it', async () => {
  // The @apollo/server the plugin itself resolves, not merely one installed somewhere.
  // Node's lookup from the plugin's folder up (package exports hide package.json from require).
  let dir = path.dirname(require.resolve('@strapi/plugin-graphql/package.json'));
  let apolloManifest: string | undefined;
  for (; !apolloManifest && dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', '@apollo', 'server', 'package.json');
    if (fs.existsSync(candidate)) apolloManifest = candidate;
  }
  const { version } = JSON.parse(fs.readFileSync(apolloManifest!, 'utf8')) as { version: string };
  expect(Number(version.split('.')[0])).toBe(5);
  // And the plugin serves with it: a query, and a refusal in Apollo's shape.
  const answer = await app.graphql<{ topics: Array<{ name: string }> }>('{ topics(locale: "da") { name } }');
  expect(answer.status).toBe(200);
  expect(answer.body.data?.topics.length).toBeGreaterThan(0);
  const refused = await app.http().post('/graphql').send({ query: '{ topics { nosuchfield } }' });
  expect(refused.status).toBe(400);
  expect(refused.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
});
