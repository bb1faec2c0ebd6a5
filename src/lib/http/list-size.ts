/**
 * Owns the one rule for how many items a list may hold, for REST and GraphQL alike: 25 when the
 * client does not say, at most 100. Asking for more is an error that names the limit (REST: a
 * 400 `ValidationError` with `details: { param, limit }`; GraphQL: a 400 with
 * `extensions: { code: "BAD_USER_INPUT", limit }`), never a silently shorter list. `-1`
 * ("as many as allowed", Strapi's own convention) still means 100.
 * GraphQL's side is `listSizeLimit` in src/lib/graphql/limits.ts.
 */
import { isRestApiPath } from './zones';
import type { Core } from '@strapi/strapi';
import { sendJsonError } from './json-error';

export const DEFAULT_LIST_SIZE = 25;
export const MAX_LIST_SIZE = 100;

/** The first of `pageSize`/`limit` above the limit, as `[key, value]`, in a pagination object (REST query or GraphQL argument). */
export function overLimit(pagination: unknown): [string, number] | null {
  if (!pagination || typeof pagination !== 'object') return null;
  for (const key of ['pageSize', 'limit']) {
    const value = Number((pagination as Record<string, unknown>)[key]);
    if (Number.isFinite(value) && value > MAX_LIST_SIZE) return [key, value];
  }
  return null;
}

export const overLimitMessage = (name: string, value: number) =>
  `${name} is ${value}: lists hold at most ${MAX_LIST_SIZE} items (list size limit); ask for the next page instead`;

/** Koa middleware for /api: `pagination[pageSize]` or `pagination[limit]` over the limit is a 400. */
export function restListSize(): Core.MiddlewareHandler {
  return async (ctx, next) => {
    if (!isRestApiPath(ctx.path)) return next();
    const found = overLimit((ctx.query as Record<string, unknown>).pagination);
    if (!found) return next();
    const param = `pagination[${found[0]}]`;
    return sendJsonError(ctx, 400, 'ValidationError', overLimitMessage(param, found[1]), { param, limit: MAX_LIST_SIZE });
  };
}
