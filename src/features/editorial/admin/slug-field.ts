/**
 * The edit view fills a slug from the title through the content manager's uid service, which
 * slugifies its own way ("Tør" → "tor", duplicates "-1"). This makes it propose the slug the
 * API would make on save (src/lib/slug: "Tør" → "toer", duplicates "-2"), so what an editor
 * sees in the field is what readers get.
 */
import type { Core, UID } from '@strapi/strapi';
import { DEFAULT_LOCALE } from '../../../lib/i18n/locales';
import { slugify } from '../../../lib/slug';
import { slugTargetField, uniqueSlug } from '../slug/document-slugs';
import { wrapGenerateUIDField } from '../../../strapi-seam/uid-generate-field';

export function adminSlugsLikeTheApi(strapi: Core.Strapi): void {
  wrapGenerateUIDField(strapi, (strapiGenerate) => async (args) => {
    const targetField = args.field === 'slug' ? slugTargetField(strapi, args.contentTypeUID) : null;
    const title = targetField ? args.data?.[targetField] : undefined;
    const base = typeof title === 'string' ? slugify(title) : '';
    if (!base) return strapiGenerate(args);
    const documentId = typeof args.data?.documentId === 'string' ? args.data.documentId : undefined;
    return uniqueSlug(strapi, args.contentTypeUID as UID.ContentType, base, args.locale ?? DEFAULT_LOCALE, documentId);
  });
}
