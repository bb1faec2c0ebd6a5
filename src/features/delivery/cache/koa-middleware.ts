/**
 * The Koa half of the public cache (the front door in front-door.ts answers hits). For every
 * public read that reaches Strapi it takes a ticket first (catching up with other instances), lets Strapi answer, then
 * turns a 200 into bytes with a strong ETag, Cache-Control, Vary, surrogate keys
 * and compression, answers 304 to a matching If-None-Match, and stores the answer with what it
 * depends on unless a change that touches it was applied meanwhile. Errors pass through untouched and are never stored.
 * Authenticated answers of the API and GraphQL (in any spelling of their paths) are marked
 * `private, no-store`, so no shared cache keeps them.
 */
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { Stream } from 'node:stream';
import {
  bytesFor,
  cacheControlFor,
  chooseEncoding,
  headersFor,
  makeAnswer,
  notModified,
  replayableHeaders,
  type Answer,
} from './answer';
import { FRONT_DOOR, planRequest, type NotedRequest } from './front-door';
import { publicCache, type PublicCache } from './public-cache';
import type { CachePlan } from './request-plan';
import { answerDependencies, declaredAnswerDependencies, surrogateKeysFor } from './dependencies';
import { zoneOf } from '../../../lib/http/zones';

/** What koa-bodyparser (co-body) would have thrown for a body that is not JSON. */
function invalidJsonError(raw: string, error: Error): Error {
  return Object.assign(new SyntaxError(error.message), { status: 400, body: raw });
}

function answerFrom(ctx: Context, plan: CachePlan, cache: PublicCache): { answer: Answer; dependsOn: string[]; storable: boolean } | undefined {
  const body: unknown = ctx.body;
  if (body === null || body === undefined || body instanceof Stream) return undefined;
  let bytes: Buffer;
  let parsed: unknown;
  if (Buffer.isBuffer(body)) bytes = body;
  else if (typeof body === 'string') bytes = Buffer.from(body);
  else {
    parsed = body;
    // What Koa itself would send for an object body.
    bytes = Buffer.from(JSON.stringify(body));
  }
  const headers = replayableHeaders(ctx.response.headers as Record<string, string | string[] | number | undefined>);
  if (parsed === undefined && /json/i.test(headers['content-type'] ?? '')) {
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      parsed = undefined;
    }
  }
  // A GraphQL answer with errors may be a passing failure: send it, never keep it.
  const hasErrors = plan.kind === 'graphql' && Array.isArray((parsed as { errors?: unknown } | undefined)?.errors);
  const dependsOn = answerDependencies(plan, parsed, cache.typeGraph(), declaredAnswerDependencies(ctx));
  const answer = makeAnswer({
    headers,
    body: bytes,
    surrogateKeys: surrogateKeysFor(plan, dependsOn, cache.typeGraph()),
    cacheControl: cacheControlFor(cache.config.http, !plan.storable),
    compressMinBytes: cache.config.http.compressMinBytes,
    vary: plan.vary,
  });
  return { answer, dependsOn, storable: plan.storable && !hasErrors && !ctx.response.get('set-cookie') };
}

async function sendThroughKoa(ctx: Context, answer: Answer): Promise<void> {
  const encoding = chooseEncoding(ctx.get('accept-encoding') || undefined, answer);
  const unchanged = notModified(ctx.req.headers, answer);
  const bytes = unchanged ? undefined : await bytesFor(answer, encoding);
  // Only the answer's own headers: what Strapi's CORS set per origin is replaced by `*`.
  for (const name of Object.keys(ctx.response.headers)) {
    if (name.toLowerCase().startsWith('access-control-')) ctx.remove(name);
  }
  for (const [name, value] of Object.entries(headersFor(answer, encoding, bytes?.length ?? 0, unchanged))) {
    if (name !== 'content-length') ctx.set(name, value);
  }
  if (unchanged) {
    ctx.status = 304;
    ctx.body = null;
    return;
  }
  ctx.body = bytes;
}

export function publicCacheMiddleware(strapi: Core.Strapi) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const cache = publicCache(strapi);
    const request = ctx.req as NotedRequest;
    const note = request[FRONT_DOOR];
    const graphqlBody = note?.graphqlBody;
    if (graphqlBody) {
      if ('invalid' in graphqlBody) throw invalidJsonError(graphqlBody.invalid, graphqlBody.error);
      // The front door has read the stream; koa-bodyparser skips a body that is already set.
      (ctx.request as { body?: unknown }).body = graphqlBody.parsed;
    }

    const plan = note ? note.plan : planRequest(cache, request);
    if (!plan) {
      await next();
      if (zoneOf(ctx.path) !== 'other' && !isAnonymousContext(ctx) && !ctx.response.get('Cache-Control')) {
        ctx.set('Cache-Control', 'private, no-store');
      }
      return;
    }

    // Taken before Strapi reads the content: a change applied meanwhile that touches this
    // answer keeps it from being stored (with several instances, after catching up).
    let ticket: number | undefined;
    if (plan.storable && cache.config.enabled) {
      ticket = note?.ticket;
      if (ticket === undefined) {
        if (!cache.coherence.upToDate) await cache.coherence.catchUp();
        ticket = cache.ticket();
      }
    }
    await next();
    if (ctx.status !== 200) return;
    const built = answerFrom(ctx, plan, cache);
    if (!built) return;
    await sendThroughKoa(ctx, built.answer);
    // After sending, so the encoding just made is counted in the entry's size.
    if (ticket !== undefined && built.storable) cache.set(plan.key, { answer: built.answer, dependsOn: built.dependsOn }, ticket);
  };
}

const isAnonymousContext = (ctx: Context) => ctx.get('authorization') === '';
