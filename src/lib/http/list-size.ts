/**
 * Owns the one rule for how many items a list may hold, for REST and GraphQL alike: 25 when the
 * client does not say, at most 100. Asking for more is an error that names the limit (REST: a
 * 400 `ValidationError` with `details: { param, limit }`; GraphQL: a 400 with
 * `extensions: { code: "BAD_USER_INPUT", limit }`), never a silently shorter list. `-1`
 * ("as many as allowed", Strapi's own convention) still means 100.
 * A page may also reach at most MAX_LIST_DEPTH items deep (a 400 with `details: { param,
 * maxDepth }`, GraphQL `extensions.maxDepth`).
 * GraphQL's side is `listSizeLimit` in src/lib/graphql/limits.ts.
 */
import { isRestApiPath } from './zones';
import type { Core } from '@strapi/strapi';
import { sendJsonError } from './json-error';

export const DEFAULT_LIST_SIZE = 25;
export const MAX_LIST_SIZE = 100;
/**
 * How deep into a list a page may reach (its last item), as search engines' APIs bound it: an
 * offset makes the database read and skip every item before the page, so page 2,000 of an
 * archive costs what 2,000 pages do. Past it, a client reads on by filtering on the sort field
 * (keyset: `filters[publishedAt][$lt]=<the last item's publishedAt>`), or pulls everything from
 * the change feed (`GET /api/sync`), which pages by cursor.
 */
export const MAX_LIST_DEPTH = 10_000;

/** The first of `pageSize`/`limit` above the limit, as `[key, value]`, in a pagination object (REST query or GraphQL argument). */
export function overLimit(pagination: unknown): [string, number] | null {
  if (!pagination || typeof pagination !== 'object') return null;
  for (const key of ['pageSize', 'limit']) {
    const value = Number((pagination as Record<string, unknown>)[key]);
    if (Number.isFinite(value) && value > MAX_LIST_SIZE) return [key, value];
  }
  return null;
}

/** The parameter and the depth (last item) of a page reaching past MAX_LIST_DEPTH, or null. */
export function overDepth(pagination: unknown): [string, number] | null {
  if (!pagination || typeof pagination !== 'object') return null;
  const { page, pageSize, start, limit } = pagination as Record<string, unknown>;
  const number = (value: unknown, fallback: number) => (value === undefined || value === null || value === '' ? fallback : Number(value));
  if (page !== undefined) {
    const depth = Math.max(0, number(page, 1) - 1) * number(pageSize, DEFAULT_LIST_SIZE) + number(pageSize, DEFAULT_LIST_SIZE);
    return Number.isFinite(depth) && depth > MAX_LIST_DEPTH ? ['page', depth] : null;
  }
  if (start !== undefined) {
    const depth = number(start, 0) + number(limit, DEFAULT_LIST_SIZE);
    return Number.isFinite(depth) && depth > MAX_LIST_DEPTH ? ['start', depth] : null;
  }
  return null;
}

export const overDepthMessage = (name: string, depth: number) =>
  `${name} reaches item ${depth}: lists are read at most ${MAX_LIST_DEPTH} items deep (list depth limit); read on by filtering on the sort field, e.g. filters[publishedAt][$lt]=<the last item's publishedAt>, or pull everything from the change feed, GET /api/sync`;

export const overLimitMessage = (name: string, value: number) =>
  `${name} is ${value}: lists hold at most ${MAX_LIST_SIZE} items (list size limit); ask for the next page instead`;

/** Koa middleware for /api: `pagination[pageSize]` or `pagination[limit]` over the limit is a 400. */
export function restListSize(): Core.MiddlewareHandler {
  return async (ctx, next) => {
    if (!isRestApiPath(ctx.path)) return next();
    const pagination = (ctx.query as Record<string, unknown>).pagination;
    const found = overLimit(pagination);
    if (found) {
      const param = `pagination[${found[0]}]`;
      return sendJsonError(ctx, 400, 'ValidationError', overLimitMessage(param, found[1]), { param, limit: MAX_LIST_SIZE });
    }
    const deep = overDepth(pagination);
    if (deep) {
      const param = `pagination[${deep[0]}]`;
      return sendJsonError(ctx, 400, 'ValidationError', overDepthMessage(param, deep[1]), { param, maxDepth: MAX_LIST_DEPTH });
    }
    return next();
  };
}
