/**
 * Where requests are counted, each exactly once: the cache's front door counts a request it is
 * about to answer from the cache (hits never reach Koa), and the Koa middleware counts everything
 * else. The front door marks what it counted on the request, so a request it passes on after
 * counting (the entry turned out stale) is not counted again in Koa, only given its headers.
 * Health checks, the admin and everything outside /api and /graphql are never counted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { PUBLIC_CORS_HEADERS } from '../cors/policy';
import { zoneOf } from '../http/zones';
import { rateLimitHeaders, tooManyRequests } from './answer';
import { ipKeyFor, keyFor, proxySettingsOf, rateLimits, type Decision } from './limits';
import { setHeadersThrough } from '../http/headers';

const COUNTED = Symbol.for('hub.rateLimit.counted');
const AUTH_FAILURES = Symbol.for('hub.rateLimit.authFailures');
type MarkedRequest = IncomingMessage & { [COUNTED]?: Decision | null; [AUTH_FAILURES]?: Promise<Decision | undefined> };

/**
 * A refusal when the request's address has spent its failed partner authentications, else
 * undefined. Asked at most once per request: the gate asks for the partner zone, and partner
 * auth asks again for every route that takes a partner token (however its path is written).
 */
export function authFailuresRefusal(strapi: Core.Strapi, request: MarkedRequest): Promise<Decision | undefined> {
  const limits = rateLimits(strapi);
  if (!limits.config.enabled) return Promise.resolve(undefined);
  request[AUTH_FAILURES] ??= limits.authFailuresSpent(ipKeyFor(request, proxySettingsOf(strapi)));
  return request[AUTH_FAILURES];
}

/** Answers a request over a limit in Koa: 429, the RateLimit-* and Retry-After headers, the JSON error. */
export function answerTooMany(ctx: Context, decision: Decision): void {
  const { headers, body } = tooManyRequests(decision);
  ctx.set(headers);
  ctx.status = 429;
  ctx.body = body;
}

async function countOnce(strapi: Core.Strapi, request: MarkedRequest, path: string): Promise<Decision | undefined> {
  if (COUNTED in request) return request[COUNTED] ?? undefined;
  const limits = rateLimits(strapi);
  const zone = zoneOf(path);
  if (!limits.config.enabled || zone === 'other') {
    request[COUNTED] = null;
    return undefined;
  }
  // An address that has used up its failed partner authentications is refused before its
  // token is looked up (or charged: a made-up token has no budget to charge).
  const spent = zone === 'partner' ? await authFailuresRefusal(strapi, request) : undefined;
  const decision = spent ?? (await limits.consume(zone, keyFor(zone, request, proxySettingsOf(strapi))));
  request[COUNTED] = decision ?? null;
  return decision;
}

/**
 * In the front door, before a cache hit is served. Either answers a 429 itself (`answered`) or
 * gives the RateLimit-* headers for the hit.
 */
export async function rateLimitBeforeHit(
  strapi: Core.Strapi,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<{ answered: boolean; headers: Record<string, string> }> {
  const decision = await countOnce(strapi, request, request.url ?? '');
  if (!decision) return { answered: false, headers: {} };
  if (decision.allowed) return { answered: false, headers: rateLimitHeaders(decision) };
  const { headers, body } = tooManyRequests(decision);
  const bytes = Buffer.from(JSON.stringify(body));
  // Hits are public reads only, so the public API's CORS headers apply.
  response.writeHead(429, {
    ...PUBLIC_CORS_HEADERS,
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(bytes.length),
    'x-content-type-options': 'nosniff',
  });
  response.end(request.method === 'HEAD' ? undefined : bytes);
  return { answered: true, headers: {} };
}

/** Global Koa middleware (global::rate-limit): counts what the front door did not. */
export function rateLimitMiddleware(strapi: Core.Strapi) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const decision = await countOnce(strapi, ctx.req, ctx.path);
    if (!decision) return next();
    if (!decision.allowed) return answerTooMany(ctx, decision);
    await setHeadersThrough(ctx, rateLimitHeaders(decision), next);
  };
}
