/**
 * Where requests are counted: in Koa, once each, by what they cost (cost.ts). Cache hits are
 * answered by the front door before Koa and cost nothing, so they are never counted (and carry
 * no RateLimit-* headers). A public request with a Strapi API token is charged to the token's
 * budget (read-tokens.ts), anything else public to its client IP, a partner call to its token.
 * Health checks, the admin and everything outside /api and /graphql are never counted.
 */
import type { IncomingMessage } from 'node:http';
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { zoneOf } from '../../../lib/http/zones';
import { rateLimitHeaders, tooManyRequests } from './answer';
import { costOf } from './cost';
import { ipKeyFor, keyFor, proxySettingsOf, rateLimits, type Decision } from './limits';
import { createReadTokens, type ReadTokens } from './read-tokens';
import { setHeadersThrough } from '../../../lib/http/headers';

const COUNTED = Symbol.for('hub.rateLimit.counted');
const AUTH_FAILURES = Symbol.for('hub.rateLimit.authFailures');
type MarkedRequest = IncomingMessage & { [COUNTED]?: Decision | null; [AUTH_FAILURES]?: Promise<Decision | undefined> };

const readTokens = new WeakMap<Core.Strapi, ReadTokens>();
const readTokensOf = (strapi: Core.Strapi) => {
  let tokens = readTokens.get(strapi);
  if (!tokens) readTokens.set(strapi, (tokens = createReadTokens(strapi)));
  return tokens;
};

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
  let decision: Decision | undefined;
  if (zone === 'partner') {
    // An address that has used up its failed partner authentications is refused before its
    // token is looked up (or charged: a made-up token has no budget to charge).
    decision = (await authFailuresRefusal(strapi, request)) ?? (await limits.consume('partner', keyFor('partner', request, proxySettingsOf(strapi))));
  } else {
    const cost = costOf(request.url ?? path);
    const token = await readTokensOf(strapi).keyOf(request.headers.authorization);
    decision = token ? await limits.consume('readToken', token, cost) : await limits.consume('public', keyFor('public', request, proxySettingsOf(strapi)), cost);
  }
  request[COUNTED] = decision ?? null;
  return decision;
}

/** Global Koa middleware (global::rate-limit): counts every request that reaches Strapi. */
export function rateLimitMiddleware(strapi: Core.Strapi) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const decision = await countOnce(strapi, ctx.req, ctx.path);
    if (!decision) return next();
    if (!decision.allowed) return answerTooMany(ctx, decision);
    await setHeadersThrough(ctx, rateLimitHeaders(decision), next);
  };
}
