/** Reads and checks the feed's query parameters; every bad one is a 400 that names it. */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { PUBLIC_CONTENT_TYPES } from '../../../lib/access/content-types';
import { sendJsonError } from '../../../lib/http/json-error';
import { FEED_LOCALES, MAX_PAGE_SIZE, decodeCursor, pluralOf, type FeedFilters, type FeedPosition, type FeedItem } from '../services/sync';

const DEFAULT_PAGE_SIZE = 100;

interface SyncService {
  page(state: { at: FeedPosition | null; filters: FeedFilters }, limit: number): Promise<{ items: FeedItem[]; nextCursor: string; hasMore: boolean }>;
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async page(ctx: Context) {
    const query = ctx.query as Record<string, unknown>;
    const bad = (param: string, message: string) => sendJsonError(ctx, 400, 'ValidationError', message, { param });
    for (const [param, value] of Object.entries(query)) {
      if (!['cursor', 'type', 'locale', 'limit'].includes(param)) return bad(param, `unknown parameter "${param}" (use cursor, type, locale, limit)`);
      if (typeof value !== 'string') return bad(param, `${param} must be given once, as a plain value`);
    }

    const byPlural = new Map<string, string>(PUBLIC_CONTENT_TYPES.map((uid) => [pluralOf(strapi, uid), uid]));
    let types: string[] = [...PUBLIC_CONTENT_TYPES];
    if (query.type !== undefined) {
      const wanted = String(query.type).split(',').map((name) => name.trim());
      const unknown = wanted.filter((name) => !byPlural.has(name));
      if (unknown.length > 0) return bad('type', `type must be a comma-separated list of ${[...byPlural.keys()].join(', ')}; unknown: ${unknown.join(', ')}`);
      types = types.filter((uid) => wanted.includes(pluralOf(strapi, uid)));
    }
    const locale = query.locale === undefined ? null : String(query.locale);
    if (locale !== null && !(FEED_LOCALES as readonly string[]).includes(locale)) return bad('locale', `locale must be one of ${FEED_LOCALES.join(', ')}`);
    const limit = query.limit === undefined ? DEFAULT_PAGE_SIZE : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) return bad('limit', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);

    let state: { at: FeedPosition | null; filters: FeedFilters } = { at: null, filters: { types, locale } };
    if (query.cursor !== undefined) {
      const decoded = decodeCursor(String(query.cursor));
      if (!decoded) return bad('cursor', 'cursor is not one this feed gave out');
      // A cursor keeps the filters it was made with; asking for others with it is a mistake.
      const same = (query.type === undefined || decoded.filters.types.join() === types.join()) && (query.locale === undefined || decoded.filters.locale === locale);
      if (!same) return bad('cursor', 'cursor was made with other type/locale filters: start a new sync for those');
      state = { at: decoded.at, filters: decoded.filters };
    }

    const service = strapi.service('api::sync.sync') as unknown as SyncService;
    const page = await service.page(state, limit);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: page.items, meta: { nextCursor: page.nextCursor, hasMore: page.hasMore } };
  },
});
