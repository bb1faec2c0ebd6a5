/**
 * Cross-origin rules by zone (src/lib/http/zones.ts). The public API is readable from any web
 * page: `Access-Control-Allow-Origin: *` and never credentials, on every answer (cache hits,
 * misses, errors, 429s, preflights alike), so the answer does not depend on `Origin` and one
 * cached copy serves every site. The partner API and the admin answer only origins listed in
 * CORS_ORIGINS, reflected (the admin with credentials, for its cookies; partners use bearer
 * tokens and get none), and say nothing to any other origin, so its browser refuses the answer.
 */
import type { Context, Next } from 'koa';
import { zoneOf } from '../../../lib/http/zones';
import { setHeadersThrough } from '../../../lib/http/headers';

/** Headers a front end may read besides the CORS-safelisted ones. */
const EXPOSED = 'ETag, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy, Retry-After';

export const PUBLIC_CORS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'access-control-allow-origin': '*',
  'access-control-expose-headers': EXPOSED,
});

const PREFLIGHT_MAX_AGE = '86400';
const PUBLIC_METHODS = 'GET, HEAD, POST, OPTIONS';
const LISTED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const PARTNER_EXPOSED = `${EXPOSED}, Location, Idempotent-Replayed`;

function corsHeadersFor(ctx: Context, listed: ReadonlySet<string>): Record<string, string> {
  const zone = zoneOf(ctx.path);
  if (zone === 'public') return { ...PUBLIC_CORS_HEADERS };
  // The answer depends on Origin from here on: shared caches must keep one copy per origin.
  ctx.vary('Origin');
  const origin = ctx.get('origin');
  if (!origin || !listed.has(origin)) return {};
  return zone === 'partner'
    ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': PARTNER_EXPOSED }
    : { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' };
}

/** Global Koa middleware (global::cors), right after an inert strapi::cors (config/middlewares.ts). */
export function corsMiddleware(origins: readonly string[]) {
  const listed = new Set(origins);
  return async (ctx: Context, next: Next): Promise<void> => {
    // The inert strapi::cors before us still says `*` to a request without Origin: ours decide.
    for (const name of Object.keys(ctx.response.headers)) {
      if (name.toLowerCase().startsWith('access-control-')) ctx.remove(name);
    }
    const headers = corsHeadersFor(ctx, listed);
    // strapi::cors adds `Vary: Origin` to everything; public answers do not depend on Origin, and
    // saying so would make shared caches keep one copy per site.
    if (zoneOf(ctx.path) === 'public' && /^\s*origin\s*$/i.test(ctx.response.get('Vary'))) ctx.remove('Vary');
    if (ctx.method === 'OPTIONS' && ctx.get('access-control-request-method')) {
      // A preflight is answered here, allowed or not: nothing behind us routes OPTIONS.
      if (headers['access-control-allow-origin']) {
        ctx.set(headers);
        ctx.set('Access-Control-Allow-Methods', zoneOf(ctx.path) === 'public' ? PUBLIC_METHODS : LISTED_METHODS);
        const requested = ctx.get('access-control-request-headers');
        if (requested) ctx.set('Access-Control-Allow-Headers', requested);
        ctx.set('Access-Control-Max-Age', PREFLIGHT_MAX_AGE);
      }
      ctx.status = 204;
      ctx.body = null;
      return;
    }
    await setHeadersThrough(ctx, headers, next);
  };
}
