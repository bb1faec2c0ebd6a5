/**
 * The cache's front door: the HTTP server's request listener, put in front of Strapi's Koa app.
 * A cache hit is answered here, without Koa, its middleware stack or its AsyncLocalStorage
 * contexts (Strapi's own stack alone caps a request at ~1,600/s on this machine). Everything
 * else goes on to Strapi untouched, carrying what was learnt here (the cache plan, a GraphQL
 * body already read) for the Koa half in src/middlewares/public-cache.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '@strapi/strapi';
import { takeOverRequestListener } from '../../../strapi-seam/http-request-listener';
import { sendAnswer } from './answer';
import type { PublicCache } from './public-cache';
import { sizeOf } from './public-cache';
import {
  GRAPHQL_MAX_CACHED_BODY,
  GRAPHQL_PATH,
  isAnonymous,
  graphqlGetIsServed,
  planGraphqlGet,
  planGraphqlRead,
  planRestRead,
  type CachePlan,
} from './request-plan';

export const FRONT_DOOR = Symbol.for('hub.cache.frontDoor');

export interface FrontDoorNote {
  plan?: CachePlan;
  /** A GraphQL POST body read here: parsed, or the raw text that did not parse. */
  graphqlBody?: { parsed: unknown } | { invalid: string; error: Error };
  /** Where invalidation stood once caught up after the request arrived, for the Koa half to reuse. */
  ticket?: number;
}

export type NotedRequest = IncomingMessage & { [FRONT_DOOR]?: FrontDoorNote };

/** The cache plan of a GET/HEAD, or undefined when the cache may not answer it. */
export function planRequest(cache: PublicCache, request: IncomingMessage): CachePlan | undefined {
  if (!isAnonymous(request.headers)) return undefined;
  const url = request.url ?? '';
  if (url === GRAPHQL_PATH || url.startsWith(`${GRAPHQL_PATH}?`)) {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    return graphqlGetIsServed(request.headers) ? planGraphqlGet(url, request.headers.accept) : undefined;
  }
  return planRestRead(request.method ?? '', url, cache.publicPluralNames);
}

function isCacheableGraphqlPost(request: IncomingMessage): boolean {
  if (request.method !== 'POST' || request.url !== GRAPHQL_PATH || !isAnonymous(request.headers)) return false;
  const length = Number(request.headers['content-length']);
  return (
    Number.isInteger(length) &&
    length > 0 &&
    length <= GRAPHQL_MAX_CACHED_BODY &&
    /^application\/json\b/i.test(request.headers['content-type'] ?? '') &&
    !request.headers['content-encoding']
  );
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export function installFrontDoor(strapi: Core.Strapi, cache: PublicCache): void {
  // Only Strapi's own handler (the one createServer registered, first) moves behind the front
  // door; other listeners (the shutdown drain's bookkeeping) keep seeing every request.
  takeOverRequestListener(strapi, (strapiListener) => frontDoor(strapi, cache, strapiListener));
}

function frontDoor(
  strapi: Core.Strapi,
  cache: PublicCache,
  strapiListener: (request: IncomingMessage, response: ServerResponse) => void,
): (request: NotedRequest, response: ServerResponse) => void {
  const passOn = (request: IncomingMessage, response: ServerResponse) => strapiListener(request, response);

  const handle = async (request: NotedRequest, response: ServerResponse): Promise<void> => {
    const note: FrontDoorNote = {};
    request[FRONT_DOOR] = note;
    if (!cache.config.enabled) {
      note.plan = planRequest(cache, request);
      return passOn(request, response);
    }

    if (isCacheableGraphqlPost(request)) {
      let raw: string;
      try {
        raw = await readBody(request);
      } catch {
        // The client went away mid-body: nobody is left to answer.
        response.destroy();
        return;
      }
      try {
        const parsed: unknown = JSON.parse(raw);
        note.graphqlBody = { parsed };
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) note.plan = planGraphqlRead(parsed, request.headers.accept);
      } catch (error) {
        note.graphqlBody = { invalid: raw, error: error as Error };
      }
    } else {
      note.plan = planRequest(cache, request);
    }

    const plan = note.plan;
    if (!plan?.storable || !cache.get(plan.key)) {
      if (plan?.storable) cache.countMiss();
      return passOn(request, response);
    }
    // Hits cost nothing and are not charged to any rate limit (src/features/delivery/rate-limit/cost.ts).
    // With several instances, what committed elsewhere is applied first: the entry may go.
    if (!cache.coherence.upToDate) await cache.coherence.catchUp();
    note.ticket = cache.ticket();
    const stored = cache.get(plan.key);
    if (!stored) {
      cache.countMiss();
      return passOn(request, response);
    }
    cache.countHit();
    const sizeBefore = sizeOf(plan.key, stored);
    await sendAnswer(request, response, stored.answer);
    if (sizeOf(plan.key, stored) !== sizeBefore) cache.resize(plan.key, stored);
  };

  return (request: NotedRequest, response: ServerResponse) => {
    handle(request, response).catch((error: Error) => {
      // A failed catch-up (database down) is a miss: Strapi answers, or says why it cannot.
      strapi.log.warn(`[cache] front door: ${error.message}`);
      if (!response.headersSent) passOn(request, response);
      else response.destroy(error);
    });
  };
}
