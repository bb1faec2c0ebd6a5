/** Reads the feed's query parameters; every bad one is a 400 that names it (rules: src/lib/sync/feed-request.ts). */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { sendJsonError } from '../../../lib/http/json-error';
import { feedService, readFeedRequest } from '../../../lib/sync/feed-request';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async page(ctx: Context) {
    const query = ctx.query as Record<string, unknown>;
    const bad = (param: string, message: string) => sendJsonError(ctx, 400, 'ValidationError', message, { param });
    for (const [param, value] of Object.entries(query)) {
      if (!['cursor', 'type', 'locale', 'limit'].includes(param)) return bad(param, `unknown parameter "${param}" (use cursor, type, locale, limit)`);
      if (typeof value !== 'string') return bad(param, `${param} must be given once, as a plain value`);
    }
    const request = readFeedRequest(strapi, {
      cursor: query.cursor as string | undefined,
      types: query.type === undefined ? undefined : String(query.type).split(','),
      locale: query.locale as string | undefined,
      limit: query.limit === undefined ? undefined : Number(query.limit),
    });
    if (!request.ok) return bad(request.param, request.message);

    const page = await feedService(strapi).page(request.state, request.limit);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: page.items, meta: { nextCursor: page.nextCursor, hasMore: page.hasMore } };
  },
});
