/** GET /api/search and /api/search/suggest: parameters read by ../request.ts; every bad one is a 400 that names it. */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { sendJsonError } from '../../../lib/http/json-error';
import { readSearchRequest, readSuggestRequest } from '../request';
import type { SearchService } from '../services/search';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => strapi.service('api::search.search') as unknown as SearchService;
  return {
    async search(ctx: Context) {
      const parsed = readSearchRequest(ctx.query as Record<string, unknown>);
      if (!parsed.ok) return sendJsonError(ctx, 400, 'ValidationError', parsed.message, { param: parsed.param });
      const { hits, total, terms } = await service().search(parsed.request);
      const { page, pageSize } = parsed.request;
      ctx.body = { data: hits, meta: { pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) }, terms } };
    },

    async suggest(ctx: Context) {
      const parsed = readSuggestRequest(ctx.query as Record<string, unknown>);
      if (!parsed.ok) return sendJsonError(ctx, 400, 'ValidationError', parsed.message, { param: parsed.param });
      ctx.body = { data: await service().suggest(parsed.request.q, parsed.request.locale) };
    },
  };
};
