/**
 * With REDIS_URL the budget lives in Redis: two app instances (this process and a `strapi start`
 * process) with one key prefix share it, keys hold the token's SHA-256 and never the token, and
 * an unreachable Redis leaves the API up, counting in memory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startApp, type TestApp } from '../helpers/app';
import { startAppProcess, type AppProcess } from '../helpers/app-process';
import { tail } from '../helpers/server-process';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../helpers/database';
import { createPartner, tokenSecret } from '../helpers/partners';
import { raw } from '../response-cache/shared';
import { withEnv } from './shared';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const PREFIX = `hub-test:${process.pid}:${randomBytes(4).toString('hex')}`;
const POINTS = 6;
const AUTH_FAILURES = 3;

const redis = new Redis(REDIS_URL, { lazyConnect: true });
let app: TestApp;
let other: AppProcess;
let otherDb: TestDatabase;
let restoreEnv: () => void;

beforeAll(async () => {
  await redis.connect();
  const limits = {
    REDIS_URL,
    RATE_LIMIT_REDIS_PREFIX: PREFIX,
    RATE_LIMIT_PUBLIC_POINTS: String(POINTS),
    RATE_LIMIT_PUBLIC_DURATION: '600',
    RATE_LIMIT_PARTNER_POINTS: String(POINTS),
    RATE_LIMIT_PARTNER_DURATION: '600',
    RATE_LIMIT_PARTNER_AUTH_FAILURES: String(AUTH_FAILURES),
    RATE_LIMIT_PARTNER_AUTH_FAILURES_DURATION: '600',
  };
  restoreEnv = withEnv(limits);
  app = await startApp();
  otherDb = await createTestDatabase(TEST_DB_KIND, 'schema');
  other = await startAppProcess({ ...otherDb.env, PUBLIC_DIR: otherDb.publicDir, ...limits });
});
afterAll(async () => {
  await other?.stop();
  await otherDb?.drop();
  await app?.stop();
  restoreEnv?.();
  const keys = await redis.keys(`${PREFIX}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

it('two instances sharing a Redis prefix share one budget per client', async () => {
  const base = other.baseUrl;
  const statuses: number[] = [];
  for (let i = 0; i < POINTS + 2; i++) {
    // Alternate the instances; both see this client as 127.0.0.1.
    if (i % 2 === 0) statuses.push((await raw(app, `/api/topics?locale=da&pagination[page]=${i + 1}`)).status);
    else statuses.push((await fetch(`${base}/api/topics?locale=da&pagination[page]=${i + 1}`)).status);
  }
  expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
  const over = await fetch(`${base}/api/topics?locale=en`);
  expect(over.status).toBe(429);
  expect(((await over.json()) as { error: unknown }).error).toMatchObject({ status: 429, name: 'TooManyRequestsError', details: { limit: 'public' } });
  expect(await redis.get(`${PREFIX}:public:ip:127.0.0.1`)).toBe(String(POINTS + 3));
});

it('partner budgets are keyed by the SHA-256 of the token, never the token', async () => {
  const partner = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet' });
  const response = await raw(app, '/api/partner/me', { headers: { authorization: partner.auth } });
  expect(response.status).toBe(200);
  expect(response.headers['ratelimit-remaining']).toBe(String(POINTS - 1));
  const digest = createHash('sha256').update(partner.token).digest('hex');
  const keys = await redis.keys(`${PREFIX}:partner:*`);
  expect(keys).toEqual([`${PREFIX}:partner:token:${digest}`]);
  const secret = tokenSecret(partner.token);
  for (const key of await redis.keys(`${PREFIX}:*`)) expect(key).not.toContain(secret);
});

it('failed partner authentications are counted in Redis too: guesses on one instance spend the address\'s budget on the other', async () => {
  const statuses: number[] = [];
  for (let n = 0; n <= AUTH_FAILURES; n++) {
    const headers = { authorization: `Bearer ptk_guess${n}` };
    if (n % 2 === 0) statuses.push((await raw(app, '/api/partner/me', { headers })).status);
    else statuses.push((await fetch(`${other.baseUrl}/api/partner/me`, { headers })).status);
  }
  expect(statuses).toEqual([401, 401, 401, 429]);
  expect(await redis.get(`${PREFIX}:partnerAuthFailures:ip:127.0.0.1`)).toBe(String(AUTH_FAILURES));
});

it('an unreachable Redis does not take the API down: limits count in memory and the outage is logged', async () => {
  const db = await createTestDatabase(TEST_DB_KIND, 'schema');
  const down = await startAppProcess({
    ...db.env,
    PUBLIC_DIR: db.publicDir,
    // Port 1: nothing listens there, and no port the OS or freePort() hands out can be it (one
    // CI run, when freePort() still asked the OS: the app got that port, answered /_health, then
    // refused the first request).
    REDIS_URL: 'redis://127.0.0.1:1/0',
    RATE_LIMIT_PUBLIC_POINTS: '3',
    RATE_LIMIT_PUBLIC_DURATION: '600',
  });
  try {
    const statuses: number[] = [];
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${down.baseUrl}/api/topics?locale=da&pagination[page]=${i + 1}`).catch((error: unknown) => {
        throw new Error(`request ${i + 1}: ${String(error)}; the app printed:\n${tail(down.output())}`);
      });
      statuses.push(response.status);
      remaining.push(response.headers.get('ratelimit-remaining'));
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(remaining).toEqual(['2', '1', '0', '0', '0']);
    expect(down.output()).toMatch(/\[rate-limit\] Redis unreachable .*counting in this instance's memory/);
  } finally {
    await down.stop();
    await db.drop();
  }
});
