/**
 * Owns the life of slugs, for every content type with a `slug` uid field:
 * - on create (or when a draft is saved with an empty slug) the slug is made from the target
 *   field (title/name) with Danish transliteration, and made unique within the locale by a
 *   numeric suffix (`-2`, `-3`, ...);
 * - editing the title never changes the slug;
 * - when a published slug is replaced by publishing a new one, the old one is remembered
 *   (api::slug-history) so old links still resolve to the document.
 */
import type { Core, UID } from '@strapi/strapi';
import { slugify } from '../../../lib/slug';
import type { SlugHistoryService } from '../../../api/slug-history/services/slug-history';
import { WRITE_PATHS, type WriteRule } from '../../../lib/write-rules/registry';

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

/**
 * The write rule (src/lib/write-rules/), on every write path. On create and update, each locale
 * written without a slug gets one (every locale's looked up together); on publish, the slugs a
 * publish replaces are remembered.
 */
export const slugRule: WriteRule = {
  name: 'slugs',
  paths: WRITE_PATHS,
  actions: ['create', 'update', 'publish'],
  appliesTo: (strapi, uid) => slugTargetField(strapi, uid) !== null,

  async prepare(write) {
    if (write.action !== 'create' && write.action !== 'update') return;
    const { strapi, uid, documentId } = write;
    const targetField = slugTargetField(strapi, uid)!;
    const wanted: Array<{ data: Record<string, unknown>; base: string; locale: string }> = [];
    for (const { locale, data } of write.versions) {
      const given = typeof data.slug === 'string' && data.slug !== '';
      // A slug given in the write is kept as it is (nothing to look up), unless it is the
      // admin's placeholder for an untitled entry (see below).
      if (given && !isUntitledPlaceholder(strapi, uid, data.slug as string)) continue;
      const stored =
        write.action === 'update' && documentId
          ? await strapi.db.query(uid).findOne({
              select: ['slug', targetField],
              where: { documentId, locale, publishedAt: null },
            })
          : null;
      if (given && stored) continue;
      // An explicitly emptied slug, or a new document/locale without one (or with only the
      // admin's placeholder), gets one made from its title; an update that does not mention
      // the slug keeps it, whatever happens to the title.
      const missing = given || data.slug === '' || data.slug === null || (data.slug === undefined && !stored);
      const source = data[targetField] ?? stored?.[targetField];
      if (missing && typeof source === 'string' && slugify(source) !== '') wanted.push({ data, base: slugify(source), locale });
    }
    if (wanted.length === 0) return;
    const slugs = await uniqueSlugs(strapi, uid, wanted, documentId);
    wanted.forEach(({ data }, index) => (data.slug = slugs[index]));
  },

  async around(write, next) {
    if (write.action !== 'publish' || !write.documentId) {
      await next();
      return;
    }
    const { strapi, uid, documentId } = write;
    const before = await publishedSlugs(strapi, uid, documentId);
    await next();
    const after = await publishedSlugs(strapi, uid, documentId);
    const history = strapi.service('api::slug-history.slug-history') as SlugHistoryService;
    for (const [locale, oldSlug] of before) {
      const newSlug = after.get(locale);
      if (newSlug && newSlug !== oldSlug) await history.remember(uid, locale, oldSlug, documentId);
    }
  },
};

async function publishedSlugs(strapi: Core.Strapi, uid: UID.ContentType, documentId: string): Promise<Map<string, string>> {
  const rows = await strapi.db.query(uid).findMany({
    select: ['locale', 'slug'],
    where: { documentId, publishedAt: { $notNull: true } },
  });
  return new Map(rows.map((row: { locale: string; slug: string }) => [row.locale, row.slug]));
}
