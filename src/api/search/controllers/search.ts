/** GET /api/search and /api/search/suggest: parameters read by ../request.ts; every bad one is a 400 that names it. */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { sendJsonError } from '../../../lib/http/json-error';
import { declareAnswerDependencies, typeKey } from '../../../features/delivery/cache/dependencies';
import { SEARCHABLE, textSourceTypes, type SearchableType } from '../indexed-documents';
import { readSearchRequest, readSuggestRequest } from '../request';
import type { SearchService } from '../services/search';
import type { SearchLocale } from '../text';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** The cached answer is dropped by a change to any type whose text the searched rows hold. */
  const answerDependsOnTextOf = (ctx: Context, types: SearchableType[]) =>
    declareAnswerDependencies(ctx, [...new Set(types.flatMap((type) => textSourceTypes(strapi, type)))].map(typeKey));
  const service = () => strapi.service('api::search.search') as unknown as SearchService;
  return {
    async search(ctx: Context) {
      const parsed = readSearchRequest(ctx.query as Record<string, unknown>);
      if (!parsed.ok) return sendJsonError(ctx, 400, 'ValidationError', parsed.message, { param: parsed.param });
      // fallbackLocale was read (and checked) by the locale fallback middleware, which also flags each hit.
      const fallback = (ctx.state as { localeFallback?: { fallback: SearchLocale } }).localeFallback?.fallback;
      if (fallback && fallback !== parsed.request.locale) parsed.request.fallbackLocale = fallback;
      answerDependsOnTextOf(ctx, parsed.request.types);
      const { hits, total, totalIsLowerBound, terms } = await service().search(parsed.request);
      const { page, pageSize } = parsed.request;
      ctx.body = { data: hits, meta: { pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize), totalIsLowerBound }, terms } };
    },

    async suggest(ctx: Context) {
      const parsed = readSuggestRequest(ctx.query as Record<string, unknown>);
      if (!parsed.ok) return sendJsonError(ctx, 400, 'ValidationError', parsed.message, { param: parsed.param });
      answerDependsOnTextOf(ctx, Object.keys(SEARCHABLE) as SearchableType[]);
      ctx.body = { data: await service().suggest(parsed.request.q, parsed.request.locale) };
    },
  };
};
