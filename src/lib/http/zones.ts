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
  const path = comparablePath(pathOrUrl);
  if (path === '/api/partner' || path.startsWith('/api/partner/')) return 'partner';
  if (path === '/api' || path.startsWith('/api/')) return 'public';
  if (isGraphqlPath(path)) return 'public';
  return 'other';
}

/**
 * Whether a path is GraphQL's (`/graphql`, and below it as for `zoneOf`; the router serves
 * `/graphql` and `/graphql/`), spelled in any case.
 */
export function isGraphqlPath(pathOrUrl: string): boolean {
  const path = comparablePath(pathOrUrl);
  return path === '/graphql' || path.startsWith('/graphql/');
}

/**
 * Whether a path is under the REST API (`/api/*`, partner routes included), spelled in any case:
 * the test every /api-only middleware uses (list sizes, local times, fallback locales, the
 * cache's `no-store`), so `/API/articles` is never an unguarded way in.
 */
export function isRestApiPath(pathOrUrl: string): boolean {
  const path = comparablePath(pathOrUrl);
  return path === '/api' || path.startsWith('/api/');
}

function comparablePath(pathOrUrl: string): string {
  const query = pathOrUrl.indexOf('?');
  return (query === -1 ? pathOrUrl : pathOrUrl.slice(0, query)).toLowerCase();
}
