/** Rate-limit settings: defaults, and bad values (a malformed REDIS_URL above all) refused at start naming the variable. */
import { env } from '@strapi/utils';
import rateLimitConfig from '../../config/rate-limits';
import { startApp } from '../helpers/app';
import { withEnv } from './shared';

const load = () => rateLimitConfig({ env } as never);

const NAMES = [
  'RATE_LIMIT',
  'RATE_LIMIT_PUBLIC_POINTS',
  'RATE_LIMIT_PUBLIC_DURATION',
  'RATE_LIMIT_PARTNER_POINTS',
  'RATE_LIMIT_PARTNER_DURATION',
  'RATE_LIMIT_READ_TOKEN_POINTS',
  'RATE_LIMIT_READ_TOKEN_DURATION',
  'RATE_LIMIT_PARTNER_AUTH_FAILURES',
  'RATE_LIMIT_PARTNER_AUTH_FAILURES_DURATION',
  'REDIS_URL',
  'RATE_LIMIT_REDIS_PREFIX',
];
afterEach(() => {
  for (const name of NAMES) delete process.env[name];
});

const cases: Array<[string, string, RegExp]> = [
  ['RATE_LIMIT', 'sometimes', /RATE_LIMIT must be "on" or "off"; got "sometimes"/],
  ['RATE_LIMIT_PUBLIC_POINTS', '0', /RATE_LIMIT_PUBLIC_POINTS must be a whole number >= 1; got "0"/],
  ['RATE_LIMIT_PUBLIC_DURATION', '1m', /RATE_LIMIT_PUBLIC_DURATION must be a whole number >= 1; got "1m"/],
  ['RATE_LIMIT_PARTNER_POINTS', '-5', /RATE_LIMIT_PARTNER_POINTS must be a whole number >= 1/],
  ['RATE_LIMIT_PARTNER_DURATION', '2.5', /RATE_LIMIT_PARTNER_DURATION must be a whole number >= 1/],
  ['RATE_LIMIT_READ_TOKEN_POINTS', 'many', /RATE_LIMIT_READ_TOKEN_POINTS must be a whole number >= 1; got "many"/],
  ['RATE_LIMIT_READ_TOKEN_DURATION', '0', /RATE_LIMIT_READ_TOKEN_DURATION must be a whole number >= 1/],
  ['RATE_LIMIT_PARTNER_AUTH_FAILURES', 'lots', /RATE_LIMIT_PARTNER_AUTH_FAILURES must be a whole number >= 1; got "lots"/],
  ['RATE_LIMIT_PARTNER_AUTH_FAILURES_DURATION', '0', /RATE_LIMIT_PARTNER_AUTH_FAILURES_DURATION must be a whole number >= 1/],
  ['REDIS_URL', '127.0.0.1:6379', /REDIS_URL is not usable/],
  ['REDIS_URL', 'http://127.0.0.1:6379', /REDIS_URL is not usable/],
  ['REDIS_URL', 'redis://', /REDIS_URL is not usable/],
  ['REDIS_URL', 'redis://127.0.0.1:6379/zero', /REDIS_URL is not usable \(the database after the host must be a number\)/],
];

it.each(cases)('%s=%s is refused, naming the variable', (name, value, message) => {
  process.env[name] = value;
  expect(load).toThrow(message);
});

it('a malformed REDIS_URL is never echoed (it may carry a password)', () => {
  process.env.REDIS_URL = 'http://user:s3cret@cache:6379';
  expect(load).toThrow(/REDIS_URL/);
  expect(load).not.toThrow(/s3cret/);
});

it('defaults: on, 600 per minute per IP, 6000 per minute per API token, 1200 per minute per partner token, 100 failed partner authentications per 10 minutes per IP, memory store', () => {
  expect(load()).toEqual({
    enabled: true,
    public: { points: 600, durationSeconds: 60 },
    partner: { points: 1200, durationSeconds: 60 },
    readToken: { points: 6000, durationSeconds: 60 },
    partnerAuthFailures: { points: 100, durationSeconds: 600 },
    redis: undefined,
  });
});

it('RATE_LIMIT=off, and REDIS_URL with a prefix', () => {
  process.env.RATE_LIMIT = 'off';
  process.env.REDIS_URL = 'rediss://:pw@cache.internal:6380/2';
  process.env.RATE_LIMIT_REDIS_PREFIX = 'hub-staging:rl';
  expect(load()).toMatchObject({ enabled: false, redis: { url: 'rediss://:pw@cache.internal:6380/2', prefix: 'hub-staging:rl' } });
});

it('the app refuses to start with a malformed REDIS_URL, naming it', async () => {
  const restore = withEnv({ REDIS_URL: 'localhost:6379' });
  try {
    await expect(startApp()).rejects.toThrow(/REDIS_URL is not usable/);
  } finally {
    restore();
  }
});
