import type { Core } from '@strapi/strapi';
import { parseRedisUrl } from '../src/lib/env/redis-url';

/**
 * Rate limits (src/features/delivery/rate-limit/): how many requests a client may make per window.
 *
 * - RATE_LIMIT: `on` (default) or `off` (nothing is counted, no RateLimit-* headers).
 * - RATE_LIMIT_PUBLIC_POINTS / RATE_LIMIT_PUBLIC_DURATION: points per window (seconds) per client
 *   IP for the public API (`/api/*` except partner routes) and GraphQL, one budget for both.
 *   Only requests that reach Strapi are charged (cache hits are free), by their work
 *   (src/features/delivery/rate-limit/cost.ts: 1 a read, up to 4 for a page of 100 or a calendar).
 *   Default 600 per 60 s: a browser rendering a page makes a handful of calls, so 10/s sustained
 *   leaves room for many people behind one office or festival NAT, while one client scraping in a
 *   loop is stopped within a minute.
 * - RATE_LIMIT_READ_TOKEN_POINTS / RATE_LIMIT_READ_TOKEN_DURATION: the same, per Strapi API token,
 *   for a front-end server that reads with one (all its users come from its one address). Default
 *   6000 per 60 s. A token Strapi does not know buys nothing: the request is charged to its IP.
 * - RATE_LIMIT_PARTNER_POINTS / RATE_LIMIT_PARTNER_DURATION: per partner token (partner calls
 *   without a token: per IP). Default 1200 per 60 s: a programme sync pushes one event per PUT (or
 *   500 per batch) and pages the change feed; 20/s is far beyond that and still bounds a loop.
 * - RATE_LIMIT_PARTNER_AUTH_FAILURES / RATE_LIMIT_PARTNER_AUTH_FAILURES_DURATION: failed partner
 *   authentications (401s: no, a wrong, expired or revoked token) per window per client IP;
 *   beyond it every partner call from that IP is a 429 until the window ends, before any token
 *   is looked up. Without it each made-up token would get a budget of its own. Default 100 per
 *   600 s: far more than a partner fixing its configuration needs; a good token sent from the
 *   same address as a token-guessing loop waits with it (Retry-After says how long).
 * - REDIS_URL: `redis://` or `rediss://`; when set, every instance counts in Redis (one budget
 *   across instances), with an in-memory fallback while Redis is unreachable. Without it each
 *   instance counts in its own memory.
 * - RATE_LIMIT_REDIS_PREFIX: key prefix in Redis (default `hub:rl`), so several apps can share one.
 */
const ON_OFF = new Set(['on', 'off', 'true', 'false']);

export interface RateLimitRule {
  points: number;
  durationSeconds: number;
}

export interface RateLimitConfig {
  enabled: boolean;
  public: RateLimitRule;
  partner: RateLimitRule;
  readToken: RateLimitRule;
  partnerAuthFailures: RateLimitRule;
  redis?: { url: string; prefix: string };
}

export default ({ env }: Core.Config.Shared.ConfigParams): RateLimitConfig => {
  const enabledRaw = env('RATE_LIMIT', 'on').trim().toLowerCase();
  if (!ON_OFF.has(enabledRaw)) throw new Error(`RATE_LIMIT must be "on" or "off"; got "${enabledRaw}"`);

  const positive = (name: string, fallback: number) => {
    const raw = env(name, String(fallback)).trim();
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
      throw new Error(`${name} must be a whole number >= 1; got "${raw}"`);
    }
    return value;
  };

  const redisUrl = parseRedisUrl(env('REDIS_URL', ''));

  return {
    enabled: enabledRaw === 'on' || enabledRaw === 'true',
    public: {
      points: positive('RATE_LIMIT_PUBLIC_POINTS', 600),
      durationSeconds: positive('RATE_LIMIT_PUBLIC_DURATION', 60),
    },
    partner: {
      points: positive('RATE_LIMIT_PARTNER_POINTS', 1200),
      durationSeconds: positive('RATE_LIMIT_PARTNER_DURATION', 60),
    },
    readToken: {
      points: positive('RATE_LIMIT_READ_TOKEN_POINTS', 6000),
      durationSeconds: positive('RATE_LIMIT_READ_TOKEN_DURATION', 60),
    },
    partnerAuthFailures: {
      points: positive('RATE_LIMIT_PARTNER_AUTH_FAILURES', 100),
      durationSeconds: positive('RATE_LIMIT_PARTNER_AUTH_FAILURES_DURATION', 600),
    },
    redis: redisUrl ? { url: redisUrl, prefix: env('RATE_LIMIT_REDIS_PREFIX', 'hub:rl').trim() || 'hub:rl' } : undefined,
  };
};
