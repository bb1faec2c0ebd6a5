import type { Core } from '@strapi/strapi';
import { ensureLocales } from './lib/i18n/locales';
import { syncPublicPermissions } from './lib/access/public-permissions';
import { publishedOnlyForContentApi } from './lib/access/published-only';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    strapi.documents.use(publishedOnlyForContentApi(strapi));
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await ensureLocales(strapi);
    await syncPublicPermissions(strapi);
  },
};
