/**
 * Remembers the slugs a document was published under, per content type and locale, so links
 * to an old slug keep resolving after an editor renames it.
 */
import { factories } from '@strapi/strapi';

const UID = 'api::slug-history.slug-history';

/** The service's methods: `strapi.service('api::slug-history.slug-history') as SlugHistoryService`. */
export interface SlugHistoryService {
  resolve(contentType: string, locale: string, slug: string): Promise<string | null>;
  remember(contentType: string, locale: string, slug: string, targetDocumentId: string): Promise<void>;
}

export default factories.createCoreService(UID, ({ strapi }) => ({
  /** The document an old slug pointed to, or null. */
  async resolve(contentType: string, locale: string, slug: string): Promise<string | null> {
    const entry = await strapi.db.query(UID).findOne({
      where: { contentType, locale, slug },
      orderBy: { id: 'desc' },
    });
    return entry?.targetDocumentId ?? null;
  },

  async remember(contentType: string, locale: string, slug: string, targetDocumentId: string): Promise<void> {
    const known = await strapi.db.query(UID).findOne({ where: { contentType, locale, slug, targetDocumentId } });
    if (!known) await strapi.db.query(UID).create({ data: { contentType, locale, slug, targetDocumentId } });
  },
}));
