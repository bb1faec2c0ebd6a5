import type { Core } from '@strapi/strapi';

const config: Core.Config.Middlewares = [
  'strapi::logger',
  'strapi::errors',
  'global::http-errors', // an HttpError (src/lib/http/http-error.ts): its status and JSON error, in one place
  'global::database-unavailable', // database unreachable: 503 with Retry-After, not a 500
  'strapi::security',
  // Strapi refuses to start without strapi::cors, but its options cannot say "`*` without
  // credentials for the public API, listed origins only for the rest" (it reflects the origin
  // where we want `*`). So it is made inert (no origin ever matches) and ours decides, right
  // after it (src/features/delivery/cors/policy.ts, config/cors.ts).
  { name: 'strapi::cors', config: { origin: () => [], credentials: false } },
  'global::cors',
  // Ours: rate limits per client IP (public API, GraphQL) and per partner token, before any body
  // is read or any answer built (src/features/delivery/rate-limit/, config/rate-limits.ts). After CORS, so a
  // 429 can be read by the page that caused it.
  'global::rate-limit',
  // Ours: public reads as bytes with ETag, Cache-Control and compression, kept by the response
  // cache (src/features/delivery/cache/). After security and CORS, whose headers it keeps for cache hits.
  // No strapi::poweredBy: the answers do not advertise the stack.
  'global::public-cache',
  'strapi::query',
  // Ours: a list over the size limit (100) is a 400 that names it, as in GraphQL (src/lib/http/list-size.ts).
  'global::list-size',
  // Ours: a public list's total is exact up to 10,000, then a lower bound, and says which (src/lib/http/list-total.ts).
  'global::list-total',
  // Ours: GET (and HEAD) /graphql is a public read, served without Apollo's CSRF preflight
  // header, so the app, its cache and a CDN give one answer per URL (src/lib/graphql/public-get.ts).
  'global::graphql-get',
  // Partner batches carry up to 500 events in one JSON body.
  { name: 'strapi::body', config: { jsonLimit: '10mb' } },
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
  // Ours: local times with offset beside every datetime in /api answers, and locale fallback.
  'global::local-times',
  'global::locale-fallback',
  // Ours: /api/openapi.json completed with what Strapi's generator cannot know (src/contract/).
  'global::openapi-completion',
];

export default config;
