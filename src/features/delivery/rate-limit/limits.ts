/**
 * The rate limiters of one app instance: one budget per client IP for the public API and
 * GraphQL, one per partner token for the partner API, and one of failed partner
 * authentications per client IP (spent, it refuses the IP's partner calls before any token is
 * looked up: made-up tokens must not each get a budget), counted in Redis when REDIS_URL is set
 * (shared by every instance) and in memory otherwise. `consume` charges one request and says
 * whether it may go on, with what the RateLimit-* headers need.
 *
 * A Redis outage must not take the API down: each Redis limiter has an in-memory insurance
 * limiter that counts while Redis is unreachable (per instance, so briefly more generous), and
 * commands fail at once instead of queueing while disconnected, so requests never wait on it.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Core } from '@strapi/strapi';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitConfig, RateLimitRule } from '../../../../config/rate-limits';
import type { Zone } from '../../../lib/http/zones';
import { clientIp, type ProxySettings } from './client-ip';

export type Scope = Exclude<Zone, 'other'> | 'readToken';

/** What a decision counted: a zone's requests (a read token's own), or failed partner authentications. */
export type Budget = Scope | 'partnerAuthFailures';

export interface Decision {
  scope: Budget;
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends and the budget is full again. */
  resetSeconds: number;
  durationSeconds: number;
}

export interface RateLimits {
  config: RateLimitConfig;
  /** Charges `cost` points to `key` in `scope`; undefined when it could not be counted at all. */
  consume(scope: Scope, key: string, cost?: number): Promise<Decision | undefined>;
  /** A refusal when this client IP key has no failed partner authentications left, else undefined. */
  authFailuresSpent(ipKey: string): Promise<Decision | undefined>;
  /** Charges one failed partner authentication to the client IP key. */
  chargeAuthFailure(ipKey: string): Promise<void>;
  /** Resolves once Redis is ready or has failed once (so boot never waits on an outage). */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

const instances = new WeakMap<Core.Strapi, RateLimits>();

export function rateLimits(strapi: Core.Strapi): RateLimits {
  let limits = instances.get(strapi);
  if (!limits) {
    limits = createRateLimits(strapi, strapi.config.get('rate-limits') as RateLimitConfig);
    instances.set(strapi, limits);
  }
  return limits;
}

/** Closes the Redis connection, if this app ever opened one (a boot that failed early did not). */
export async function stopRateLimits(strapi: Core.Strapi): Promise<void> {
  await instances.get(strapi)?.stop();
  instances.delete(strapi);
}

/** The limiter key of a request: the partner token's SHA-256 when one is sent, else the IP. */
export function keyFor(scope: Scope, request: Pick<IncomingMessage, 'headers' | 'socket'>, proxy: ProxySettings): string {
  if (scope === 'partner') {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    // The hash, never the token: limiter keys end up in Redis and in memory dumps.
    if (token) return `token:${createHash('sha256').update(token).digest('hex')}`;
  }
  return ipKeyFor(request, proxy);
}

/** The limiter key of the request's client IP. */
export const ipKeyFor = (request: Pick<IncomingMessage, 'headers' | 'socket'>, proxy: ProxySettings): string => `ip:${clientIp(request, proxy)}`;

export const proxySettingsOf = (strapi: Core.Strapi): ProxySettings => {
  const app = strapi.server.app as { proxy: boolean; proxyIpHeader: string; maxIpsCount: number };
  return { proxy: Boolean(app.proxy), proxyIpHeader: app.proxyIpHeader || 'X-Forwarded-For', maxIpsCount: app.maxIpsCount || 0 };
};

function createRateLimits(strapi: Core.Strapi, config: RateLimitConfig): RateLimits {
  let redis: Redis | undefined;
  let redisReady: Promise<void> = Promise.resolve();
  if (config.enabled && config.redis) {
    const client = new Redis(config.redis.url, {
      // Fail commands at once while disconnected (the insurance limiter counts instead) rather
      // than holding requests in ioredis' offline queue until Redis is back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
    });
    redis = client;
    let down = false;
    client.on('error', (error: Error) => {
      if (down) return;
      down = true;
      strapi.log.error(
        `[rate-limit] Redis unreachable (${error.message}): counting in this instance's memory until it is back`,
      );
    });
    client.on('ready', () => {
      if (!down) return;
      down = false;
      strapi.log.info('[rate-limit] Redis is back: counting in Redis again');
    });
    redisReady = new Promise<void>((resolve) => {
      client.once('ready', () => resolve());
      client.once('error', () => resolve());
    });
  }

  const limiterFor = (scope: Budget, rule: RateLimitRule): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ keyPrefix: scope, points: rule.points, duration: rule.durationSeconds });
    if (!redis) return memory;
    return new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.redis!.prefix}:${scope}`,
      points: rule.points,
      duration: rule.durationSeconds,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  };
  const limiters: Record<Budget, RateLimiterAbstract> = {
    public: limiterFor('public', config.public),
    partner: limiterFor('partner', config.partner),
    readToken: limiterFor('readToken', config.readToken),
    partnerAuthFailures: limiterFor('partnerAuthFailures', config.partnerAuthFailures),
  };

  const decision = (scope: Budget, allowed: boolean, result: RateLimiterRes): Decision => {
    const rule = config[scope];
    return {
      scope,
      allowed,
      limit: rule.points,
      remaining: Math.max(0, result.remainingPoints),
      resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
      durationSeconds: rule.durationSeconds,
    };
  };

  return {
    config,
    async consume(scope, key, cost = 1) {
      try {
        return decision(scope, true, await limiters[scope].consume(key, cost));
      } catch (error) {
        if (error instanceof RateLimiterRes) return decision(scope, false, error);
        // Only without insurance (never configured so): let the request through, say why.
        strapi.log.error(`[rate-limit] could not count a ${scope} request: ${(error as Error).message}`);
        return undefined;
      }
    },
    async authFailuresSpent(ipKey) {
      try {
        const spent = await limiters.partnerAuthFailures.get(ipKey);
        if (!spent || spent.consumedPoints < config.partnerAuthFailures.points) return undefined;
        return decision('partnerAuthFailures', false, spent);
      } catch (error) {
        strapi.log.error(`[rate-limit] could not read failed partner authentications: ${(error as Error).message}`);
        return undefined;
      }
    },
    async chargeAuthFailure(ipKey) {
      try {
        await limiters.partnerAuthFailures.consume(ipKey);
      } catch (error) {
        // Over the budget already (the next call is refused at the gate), or not countable.
        if (!(error instanceof RateLimiterRes)) strapi.log.error(`[rate-limit] could not count a failed partner authentication: ${(error as Error).message}`);
      }
    },
    ready: () => redisReady,
    async stop() {
      if (redis) redis.disconnect();
    },
  };
}
