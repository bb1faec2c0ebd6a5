/**
 * Finds one published document by its slug in a locale, for `GET /api/<type>/slug/:slug` and
 * the GraphQL `<type>BySlug` queries. A slug the document was published under before still
 * resolves (see document-slugs.ts); the answer then says which slug is current.
 */
import type { Core, UID } from '@strapi/strapi';
import type { Context } from 'koa';
import { DEFAULT_LOCALE } from '../../../lib/i18n/locales';
import type { SlugHistoryService } from '../../../api/slug-history/services/slug-history';

export interface SlugMatch<T = Record<string, unknown>> {
  document: T;
  requestedSlug: string;
  currentSlug: string;
  moved: boolean;
}

export async function findPublishedBySlug(
  strapi: Core.Strapi,
  uid: UID.ContentType,
  slug: string,
  options: { locale?: string; query?: Record<string, unknown> } = {}
): Promise<SlugMatch | null> {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const documents = strapi.documents(uid) as {
    findFirst(params: Record<string, unknown>): Promise<Record<string, unknown> | null>;
  };
  const base = { ...options.query, locale, status: 'published' };

  const direct = await documents.findFirst({ ...base, filters: { slug } });
  if (direct) return { document: direct, requestedSlug: slug, currentSlug: slug, moved: false };

  const history = strapi.service('api::slug-history.slug-history') as SlugHistoryService;
  const documentId = await history.resolve(uid, locale, slug);
  if (!documentId) return null;
  const moved = await documents.findFirst({ ...base, filters: { documentId } });
  if (!moved) return null;
  return { document: moved, requestedSlug: slug, currentSlug: String(moved.slug), moved: true };
}

interface CoreController {
  validateQuery(ctx: Context): Promise<void>;
  sanitizeQuery(ctx: Context): Promise<Record<string, unknown>>;
  sanitizeOutput(data: unknown, ctx: Context): Promise<unknown>;
  transformResponse(data: unknown, meta?: Record<string, unknown>): unknown;
}

/** A controller action for `GET /api/<type>/slug/:slug`, built on the core controller's own sanitising. */
export function findBySlugAction(strapi: Core.Strapi, uid: UID.ContentType) {
  return async function findBySlug(this: CoreController, ctx: Context) {
    await this.validateQuery(ctx);
    const { locale, ...query } = await this.sanitizeQuery(ctx);
    const match = await findPublishedBySlug(strapi, uid, ctx.params.slug, {
      locale: typeof locale === 'string' ? locale : undefined,
      query,
    });
    if (!match) return ctx.notFound(`No published ${uid.split('.').pop()} with slug "${ctx.params.slug}"`);
    const sanitized = await this.sanitizeOutput(match.document, ctx);
    return this.transformResponse(sanitized, {
      slug: { requested: match.requestedSlug, current: match.currentSlug, moved: match.moved },
    });
  };
}
