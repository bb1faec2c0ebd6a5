/**
 * Rate limits in one instance (memory store), behind a proxy (IS_PROXIED=true), so each test
 * takes its own client IP through X-Forwarded-For: the N+1-th request is a 429 with Retry-After
 * and a JSON error naming the limit; cache hits cost nothing, misses cost their work (a page of
 * 100 four points), an API token reads on its own budget, partners are limited per token.
 */
import { startApp, type TestApp } from '../helpers/app';
import { createPartner, type TestPartner } from '../helpers/partners';
import { publicCache } from '../../src/features/delivery/cache/public-cache';
import { json, raw, rawGraphql } from '../response-cache/shared';
import { freshIp, withEnv } from './shared';
import { countStatements } from '../helpers/sql-statements';
import type { PartnerTokenService } from '../../src/api/partner/services/partner-token';

const PUBLIC_POINTS = 5;
const READ_TOKEN_POINTS = 7;
const PARTNER_POINTS = 3;
const AUTH_FAILURES = 4;
const WINDOW = 600; // long enough that no window ends during the file

let app: TestApp;
let restoreEnv: () => void;
let folkemoedet: TestPartner;
let folkemoedetSecond: TestPartner;
let copi: TestPartner;

beforeAll(async () => {
  restoreEnv = withEnv({
    IS_PROXIED: 'true',
    RATE_LIMIT_PUBLIC_POINTS: String(PUBLIC_POINTS),
    RATE_LIMIT_PUBLIC_DURATION: String(WINDOW),
    RATE_LIMIT_READ_TOKEN_POINTS: String(READ_TOKEN_POINTS),
    RATE_LIMIT_READ_TOKEN_DURATION: String(WINDOW),
    RATE_LIMIT_PARTNER_POINTS: String(PARTNER_POINTS),
    RATE_LIMIT_PARTNER_DURATION: String(WINDOW),
    RATE_LIMIT_PARTNER_AUTH_FAILURES: String(AUTH_FAILURES),
    RATE_LIMIT_PARTNER_AUTH_FAILURES_DURATION: String(WINDOW),
  });
  app = await startApp({ seed: true });
  folkemoedet = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet' });
  const tokens = app.strapi.service('api::partner.partner-token') as PartnerTokenService;
  const partner = await app.strapi.db.query('api::partner.partner').findOne({ where: { key: 'folkemoedet' } });
  const second = await tokens.issue(partner.id, 'second');
  folkemoedetSecond = { key: 'folkemoedet', token: second.token, auth: `Bearer ${second.token}` };
  copi = await createPartner(app, { name: 'CO-PI', key: 'copi' });
});
afterAll(async () => {
  await app?.stop();
  restoreEnv?.();
});

const from = (ip: string, headers: Record<string, string> = {}) => ({ headers: { 'x-forwarded-for': ip, ...headers } });

function expectTooMany(response: Awaited<ReturnType<typeof raw>>, limit: 'public' | 'partner' | 'readToken' | 'partnerAuthFailures', points: number) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= WINDOW).toBe(true);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.headers['ratelimit-remaining']).toBe('0');
  expect(response.headers['ratelimit-limit']).toBe(String(points));
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['x-powered-by']).toBeUndefined();
  const body = json(response);
  expect(body.data).toBeNull();
  expect(body.error).toMatchObject({
    status: 429,
    name: 'TooManyRequestsError',
    details: { limit, points, durationSeconds: WINDOW, retryAfterSeconds: retryAfter },
  });
  const unit = limit === 'partnerAuthFailures' ? 'failed authentications' : limit === 'partner' ? 'requests' : 'points';
  expect(body.error.message).toContain(`${points} ${unit} per ${WINDOW} seconds`);
}

it('the public N+1-th request is a 429 with Retry-After and a JSON error naming the limit; allowed answers carry RateLimit-*', async () => {
  const ip = freshIp();
  // Different pages: every request is a miss, counted in Koa.
  for (let i = 1; i <= PUBLIC_POINTS; i++) {
    const response = await raw(app, `/api/articles?locale=da&pagination[page]=${i}`, from(ip));
    expect(response.status).toBe(200);
    expect(response.headers['ratelimit-limit']).toBe(String(PUBLIC_POINTS));
    expect(response.headers['ratelimit-remaining']).toBe(String(PUBLIC_POINTS - i));
    const reset = Number(response.headers['ratelimit-reset']);
    expect(reset >= 1 && reset <= WINDOW).toBe(true);
    expect(response.headers['ratelimit-policy']).toBe(`${PUBLIC_POINTS};w=${WINDOW}`);
  }
  const over = await raw(app, '/api/articles?locale=da&pagination[page]=99', from(ip));
  expectTooMany(over, 'public', PUBLIC_POINTS);
  // The public API's CORS rules hold for the 429 too, so the page that caused it can read it.
  expect(over.headers['access-control-allow-origin']).toBe('*');
  // Errors are counted and carry the headers; another client is not affected.
  const bad = await raw(app, '/api/articles?locale=xx&filters[nope]=1', from(ip));
  expect(bad.status).toBe(429);
  const other = freshIp();
  const error = await raw(app, '/api/articles?filters[nope]=1', from(other));
  expect(error.status).toBe(400);
  expect(error.headers['ratelimit-remaining']).toBe(String(PUBLIC_POINTS - 1));
  expect((await raw(app, '/api/articles?locale=da', from(freshIp()))).status).toBe(200);
});

it('cache hits cost nothing: after priming, twice the budget in hits is served, without RateLimit-*; the next miss is charged', async () => {
  const ip = freshIp();
  const url = '/api/topics?locale=da';
  const primed = await raw(app, url, from(ip));
  expect(primed.status).toBe(200);
  expect(primed.headers['ratelimit-remaining']).toBe(String(PUBLIC_POINTS - 1));
  const hitsBefore = publicCache(app.strapi).stats().hits;
  for (let i = 0; i < PUBLIC_POINTS * 2; i++) {
    const response = await raw(app, url, from(ip));
    expect([response.status, response.headers['ratelimit-remaining']]).toEqual([200, undefined]);
    expect(response.body.equals(primed.body)).toBe(true);
  }
  expect(publicCache(app.strapi).stats().hits).toBe(hitsBefore + PUBLIC_POINTS * 2);
  // A miss is still charged: the priming miss took one point, this one the second.
  const miss = await raw(app, '/api/topics?locale=en', from(ip));
  expect(miss.headers['ratelimit-remaining']).toBe(String(PUBLIC_POINTS - 2));
});

it('a miss costs its work: a page of 100 four points, a calendar four, one document one; a cost beyond what is left is a 429', async () => {
  const ip = freshIp();
  const big = await raw(app, '/api/articles?locale=da&pagination[pageSize]=100', from(ip));
  expect([big.status, big.headers['ratelimit-remaining']]).toEqual([200, String(PUBLIC_POINTS - 4)]);
  const small = await raw(app, '/api/articles?locale=da&pagination[pageSize]=10&pagination[page]=2', from(ip));
  expect([small.status, small.headers['ratelimit-remaining']]).toEqual([200, String(PUBLIC_POINTS - 5)]);
  expectTooMany(await raw(app, '/api/articles?locale=en&pagination[pageSize]=100', from(ip)), 'public', PUBLIC_POINTS);
  // A calendar from a fresh address: four points, so one is left and a second calendar is refused.
  const other = freshIp();
  const calendar = await raw(app, '/api/events.ics?locale=en', from(other));
  expect([calendar.status, calendar.headers['ratelimit-remaining']]).toEqual([200, String(PUBLIC_POINTS - 4)]);
  expectTooMany(await raw(app, '/api/events.ics?locale=da&when=upcoming', from(other)), 'public', PUBLIC_POINTS);
});

it('a front-end server reading with a Strapi API token has its own budget; a token Strapi does not know buys nothing', async () => {
  const tokens = app.strapi.service('admin::api-token') as unknown as {
    create(attributes: Record<string, unknown>): Promise<{ accessKey: string }>;
  };
  const { accessKey } = await tokens.create({ name: `front end ${freshIp()}`, type: 'read-only', lifespan: null, description: '' });
  const ip = freshIp();
  // The address's own budget is spent…
  for (let i = 0; i < PUBLIC_POINTS; i++) await raw(app, `/api/people?locale=da&pagination[page]=${i + 1}`, from(ip));
  expectTooMany(await raw(app, '/api/people?locale=en', from(ip)), 'public', PUBLIC_POINTS);
  // …the token's is not: READ_TOKEN_POINTS requests from the same address, then a 429 naming it.
  for (let i = 0; i < READ_TOKEN_POINTS; i++) {
    const response = await raw(app, `/api/topics?locale=da&pagination[page]=${i + 1}`, from(ip, { authorization: `Bearer ${accessKey}` }));
    expect([response.status, response.headers['ratelimit-limit'], response.headers['ratelimit-remaining']]).toEqual([200, String(READ_TOKEN_POINTS), String(READ_TOKEN_POINTS - 1 - i)]);
  }
  expectTooMany(await raw(app, '/api/topics?locale=en', from(ip, { authorization: `Bearer ${accessKey}` })), 'readToken', READ_TOKEN_POINTS);
  // A made-up token is charged to its address (spent here), and Strapi would refuse it anyway.
  expectTooMany(await raw(app, '/api/topics?locale=da', from(ip, { authorization: 'Bearer made-up' })), 'public', PUBLIC_POINTS);
  const other = await raw(app, '/api/topics?locale=da', from(freshIp(), { authorization: 'Bearer made-up' }));
  expect([other.status, other.headers['ratelimit-limit'], other.headers['ratelimit-remaining']]).toEqual([401, String(PUBLIC_POINTS), String(PUBLIC_POINTS - 1)]);
});

it('a request is counted once: a miss the front door passed on is not counted again in Koa', async () => {
  const ip = freshIp();
  const url = '/api/people?locale=da';
  await raw(app, url, from(ip));
  // A public change makes the stored answer stale: the front door finds it, counts, passes on.
  publicCache(app.strapi).changedOutsideLog();
  const missesBefore = publicCache(app.strapi).stats().misses;
  const stale = await raw(app, url, from(ip));
  expect(stale.status).toBe(200);
  expect(stale.headers['ratelimit-remaining']).toBe(String(PUBLIC_POINTS - 2));
  expect(publicCache(app.strapi).stats().misses).toBe(missesBefore + 1);
});

it('GraphQL shares the public budget of the client IP', async () => {
  const ip = freshIp();
  // Different queries each time: every one a miss (a hit would cost nothing).
  const query = (limit: number) => `{ topics(locale: "da", pagination: { limit: ${limit} }) { name } }`;
  for (let i = 0; i < 3; i++) expect((await raw(app, `/api/topics?locale=en&pagination[page]=${i + 1}`, from(ip))).status).toBe(200);
  for (let i = 0; i < 2; i++) {
    const response = await rawGraphql(app, query(i + 1), undefined, { 'x-forwarded-for': ip });
    expect(response.status).toBe(200);
    expect(response.headers['ratelimit-remaining']).toBe(String(PUBLIC_POINTS - 4 - i));
  }
  expectTooMany(await rawGraphql(app, query(3), undefined, { 'x-forwarded-for': ip }), 'public', PUBLIC_POINTS);
});

it('partners are limited per token: two tokens of one partner and two partners are independent, and apart from the public budget', async () => {
  const ip = freshIp();
  const me = (partner: TestPartner) => raw(app, '/api/partner/me', from(ip, { authorization: partner.auth }));
  for (let i = 1; i <= PARTNER_POINTS; i++) {
    const response = await me(folkemoedet);
    expect(response.status).toBe(200);
    expect(response.headers['ratelimit-limit']).toBe(String(PARTNER_POINTS));
    expect(response.headers['ratelimit-remaining']).toBe(String(PARTNER_POINTS - i));
  }
  expectTooMany(await me(folkemoedet), 'partner', PARTNER_POINTS);
  // Same partner, its other token; another partner; the public API: each its own budget.
  expect((await me(folkemoedetSecond)).headers['ratelimit-remaining']).toBe(String(PARTNER_POINTS - 1));
  expect((await me(copi)).headers['ratelimit-remaining']).toBe(String(PARTNER_POINTS - 1));
  expect((await raw(app, '/api/topics?locale=da', from(ip))).status).toBe(200);
});

it('partner calls without a token are counted per IP', async () => {
  const ip = freshIp();
  for (let i = 1; i <= PARTNER_POINTS; i++) {
    const refused = await raw(app, '/api/partner/me', from(ip));
    expect(refused.status).toBe(401);
    // Error answers carry the headers too.
    expect(refused.headers['ratelimit-remaining']).toBe(String(PARTNER_POINTS - i));
  }
  expectTooMany(await raw(app, '/api/partner/me', from(ip)), 'partner', PARTNER_POINTS);
  // A token from the same IP has its own budget.
  expect((await raw(app, '/api/partner/me', from(ip, { authorization: copi.auth }))).status).toBe(200);
});

it('made-up tokens share one budget of failed authentications per IP: spent, the IP is refused before any token is looked up', async () => {
  const ip = freshIp();
  // Well-formed tokens (ptk_<8>_<43>), so each one costs the token lookup the limit is there to spare.
  const guess = (n: number) => raw(app, '/api/partner/me', from(ip, { authorization: `Bearer ptk_guess${String(n).padStart(3, '0')}_${'x'.repeat(43)}` }));
  for (let n = 1; n <= AUTH_FAILURES; n++) {
    const refused = await guess(n);
    expect(refused.status).toBe(401);
    // A token of its own each, each with a whole partner budget: that alone would never stop the loop.
    expect(refused.headers['ratelimit-remaining']).toBe(String(PARTNER_POINTS - 1));
  }
  // A guess is looked up (one statement on partner_tokens)...
  const lookups = (work: () => Promise<unknown>) => countStatements(app.strapi, work, (sql) => sql.includes('partner_tokens'));
  expect(await lookups(() => raw(app, '/api/partner/me', from(freshIp(), { authorization: `Bearer ptk_guess999_${'y'.repeat(43)}` })))).toBe(1);
  // ...until the address has spent its failures: then nothing is.
  expect(await lookups(async () => expectTooMany(await guess(AUTH_FAILURES + 1), 'partnerAuthFailures', AUTH_FAILURES))).toBe(0);
  // However the path is written (Strapi's router ignores case).
  expectTooMany(await raw(app, '/API/Partner/me', from(ip, { authorization: `Bearer ptk_guess000_${'z'.repeat(43)}` })), 'partnerAuthFailures', AUTH_FAILURES);
  // The address waits out the window, a good token included; other addresses do not.
  expectTooMany(await raw(app, '/api/partner/me', from(ip, { authorization: copi.auth })), 'partnerAuthFailures', AUTH_FAILURES);
  expect((await raw(app, '/api/partner/me', from(freshIp(), { authorization: copi.auth }))).status).toBe(200);
  // The public API is another budget.
  expect((await raw(app, '/api/topics?locale=da', from(ip))).status).toBe(200);
});

it('behind the proxy, the client is the address the proxy added: addresses a client writes before it buy no budget', async () => {
  const client = freshIp();
  const statuses: number[] = [];
  for (let i = 0; i < PUBLIC_POINTS + 1; i++) {
    const response = await raw(app, `/api/topics?locale=da&pagination[page]=${i + 1}`, { headers: { 'x-forwarded-for': `198.51.100.${i + 1}, ${client}` } });
    statuses.push(response.status);
  }
  expect(statuses).toEqual([...Array(PUBLIC_POINTS).fill(200), 429]);
  expect(app.strapi.server.app.maxIpsCount).toBe(1);
});

it('a path written in other letters is counted in its zone, not let through uncounted', async () => {
  const ip = freshIp();
  const statuses: number[] = [];
  for (let i = 0; i < PUBLIC_POINTS + 1; i++) statuses.push((await raw(app, `/API/Topics?locale=da&pagination[page]=${i + 1}`, from(ip))).status);
  expect(statuses.at(-1)).toBe(429);
});

it('a good token never spends the failed-authentication budget', async () => {
  const ip = freshIp();
  // Fresh tokens (partner budgets are per token, across addresses): more good calls than failures allowed.
  const tokens = app.strapi.service('api::partner.partner-token') as PartnerTokenService;
  const partner = await app.strapi.db.query('api::partner.partner').findOne({ where: { key: 'copi' } });
  const fresh = [await tokens.issue(partner.id, 'good-1'), await tokens.issue(partner.id, 'good-2')];
  for (const { token } of fresh) {
    for (let n = 0; n < PARTNER_POINTS; n++) expect((await raw(app, '/api/partner/me', from(ip, { authorization: `Bearer ${token}` }))).status).toBe(200);
  }
  expect(fresh.length * PARTNER_POINTS).toBeGreaterThan(AUTH_FAILURES);
});

it('health checks, the admin and paths outside /api and /graphql are never limited', async () => {
  const ip = freshIp();
  for (let i = 0; i < PUBLIC_POINTS + 2; i++) {
    for (const path of ['/_health', '/admin/init', '/favicon.ico']) {
      const response = await raw(app, path, from(ip));
      expect([path, response.status === 429]).toEqual([path, false]);
      expect(response.headers['ratelimit-limit']).toBeUndefined();
    }
  }
  // A miss (a URL no one asked for before): the first point this address spends.
  expect((await raw(app, '/api/topics?locale=da&pagination[page]=77', from(ip))).headers['ratelimit-remaining']).toBe(String(PUBLIC_POINTS - 1));
});
