/**
 * Owns the life of slugs, for every content type with a `slug` uid field:
 * - on create (or when a draft is saved with an empty slug) the slug is made from the target
 *   field (title/name) with Danish transliteration, and made unique within the locale by a
 *   numeric suffix (`-2`, `-3`, ...);
 * - editing the title never changes the slug;
 * - when a published slug is replaced by publishing a new one, the old one is remembered
 *   (api::slug-history) so old links still resolve to the document.
 */
import type { Core, Modules, UID } from '@strapi/strapi';
import { DEFAULT_LOCALE } from '../i18n/locales';
import { slugify } from './index';
import type { SlugHistoryService } from '../../api/slug-history/services/slug-history';

interface SlugAttribute {
  type: string;
  targetField?: string;
}

export function slugTargetField(strapi: Core.Strapi, uid: string): string | null {
  const attribute = (strapi.getModel(uid as UID.Schema)?.attributes as Record<string, SlugAttribute> | undefined)?.slug;
  return attribute?.type === 'uid' && attribute.targetField ? attribute.targetField : null;
}

/** How many of `base`, `base-2`, ... are looked up by exact value before all of the base's suffixes are. */
const FIRST_CANDIDATES = 10;

/** `base`, or `base-2`, `base-3`... : the first that no other document uses in this locale. */
export async function uniqueSlug(
  strapi: Core.Strapi,
  uid: UID.ContentType,
  base: string,
  locale: string,
  documentId?: string
): Promise<string> {
  const [slug] = await uniqueSlugs(strapi, uid, [{ base, locale }], documentId);
  return slug!;
}

/**
 * uniqueSlug for several locales of one document (each base in its own locale): their first
 * candidates are looked up in one statement.
 */
export async function uniqueSlugs(
  strapi: Core.Strapi,
  uid: UID.ContentType,
  requests: Array<{ base: string; locale: string }>,
  documentId?: string
): Promise<string[]> {
  const others = documentId ? { documentId: { $ne: documentId } } : {};
  const candidate = (base: string, n: number) => (n === 1 ? base : `${base}-${n}`);
  // Exact values first: the (slug, locale) index answers them (schema.json `indexes`); a prefix
  // match (LIKE 'base%') reads every row of the locale, and almost every base is free or nearly.
  const firstOf = (base: string) => Array.from({ length: FIRST_CANDIDATES }, (_, index) => candidate(base, index + 1));
  const taken = (await strapi.db.query(uid).findMany({
    select: ['slug', 'locale'],
    where: { ...others, $or: requests.map(({ base, locale }) => ({ locale, slug: { $in: firstOf(base) } })) },
  })) as Array<{ slug: string; locale: string }>;
  const slugs: string[] = [];
  for (const { base, locale } of requests) {
    const takenHere = new Set(taken.filter((row) => row.locale === locale).map((row) => row.slug));
    const free = firstOf(base).find((slug) => !takenHere.has(slug));
    if (free) {
      slugs.push(free);
      continue;
    }
    const used = new Set(
      (await strapi.db.query(uid).findMany({ select: ['slug'], where: { locale, slug: { $startsWith: base }, ...others } })).map(
        (row: { slug: string }) => row.slug
      )
    );
    let n = FIRST_CANDIDATES + 1;
    while (used.has(candidate(base, n))) n++;
    slugs.push(candidate(base, n));
  }
  return slugs;
}

/**
 * Strapi's edit view proposes a slug once, when the form opens, from a still-empty title:
 * the type's own name ("article", "article-1"), and it does not follow the title typed
 * afterwards. Saved on a new document or locale, that placeholder gives way to the title's slug.
 */
export function isUntitledPlaceholder(strapi: Core.Strapi, uid: string, slug: string): boolean {
  const name = strapi.getModel(uid as UID.Schema)?.modelName;
  return Boolean(name) && new RegExp(`^${name}(-\\d+)?$`).test(slug);
}

type Params = { documentId?: string; locale?: string | string[]; data?: Record<string, unknown> };

export function documentSlugs(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    const targetField = slugTargetField(strapi, context.uid);
    if (!targetField) return next();
    const uid = context.uid as UID.ContentType;
    const params = context.params as Params;

    if ((context.action === 'create' || context.action === 'update') && params.data) {
      const data = params.data;
      const given = typeof data.slug === 'string' && data.slug !== '';
      // A slug given in the write is kept as it is (nothing to look up), unless it is the
      // admin's placeholder for an untitled entry (see below).
      if (given && !isUntitledPlaceholder(strapi, uid, data.slug as string)) return next();
      const locale = typeof params.locale === 'string' ? params.locale : DEFAULT_LOCALE;
      const stored =
        context.action === 'update' && params.documentId
          ? await strapi.db.query(uid).findOne({
              select: ['slug', targetField],
              where: { documentId: params.documentId, locale, publishedAt: null },
            })
          : null;
      if (given && stored) return next();
      // An explicitly emptied slug, or a new document/locale without one (or with only the
      // admin's placeholder), gets one made from its title; an update that does not mention
      // the slug keeps it, whatever happens to the title.
      const missing = given || data.slug === '' || data.slug === null || (data.slug === undefined && !stored);
      const source = data[targetField] ?? stored?.[targetField];
      if (missing && typeof source === 'string' && slugify(source) !== '') {
        data.slug = await uniqueSlug(strapi, uid, slugify(source), locale, params.documentId);
      }
      return next();
    }

    if (context.action === 'publish' && params.documentId) {
      const before = await publishedSlugs(strapi, uid, params.documentId);
      const result = await next();
      const after = await publishedSlugs(strapi, uid, params.documentId);
      const history = strapi.service('api::slug-history.slug-history') as SlugHistoryService;
      for (const [locale, oldSlug] of before) {
        const newSlug = after.get(locale);
        if (newSlug && newSlug !== oldSlug) await history.remember(uid, locale, oldSlug, params.documentId);
      }
      return result;
    }

    return next();
  };
}

async function publishedSlugs(strapi: Core.Strapi, uid: UID.ContentType, documentId: string): Promise<Map<string, string>> {
  const rows = await strapi.db.query(uid).findMany({
    select: ['locale', 'slug'],
    where: { documentId, publishedAt: { $notNull: true } },
  });
  return new Map(rows.map((row: { locale: string; slug: string }) => [row.locale, row.slug]));
}
