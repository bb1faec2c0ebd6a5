/**
 * Which part of the app a request path belongs to, for the rules that differ between them (CORS,
 * rate limits): the public API (`/api/*` except partner routes, and GraphQL), the partner API
 * (`/api/partner/*`), and everything else (the admin and its APIs, uploads, health checks).
 * One function, so CORS and rate limits can never disagree about where the partner API starts.
 */
export type Zone = 'public' | 'partner' | 'other';

/**
 * `path` without the query string (Koa's ctx.path); a raw URL is cut at `?` here too. Compared
 * in lower case: Strapi's router matches routes whatever the case (`/API/Partner/me` reaches the
 * partner API), so a zone must not be escaped by spelling its path otherwise.
 */
export function zoneOf(pathOrUrl: string): Zone {
  const query = pathOrUrl.indexOf('?');
  const path = (query === -1 ? pathOrUrl : pathOrUrl.slice(0, query)).toLowerCase();
  if (path === '/api/partner' || path.startsWith('/api/partner/')) return 'partner';
  if (path === '/api' || path.startsWith('/api/')) return 'public';
  if (path === '/graphql' || path.startsWith('/graphql/')) return 'public';
  return 'other';
}
