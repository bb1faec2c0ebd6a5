import type { Core } from '@strapi/strapi';
import { ensureLocales } from './lib/i18n/locales';
import { syncPublicPermissions } from './lib/access/public-permissions';
import { publishedOnlyForContentApi } from './lib/access/published-only';
import { eventDocumentRules } from './api/event/document-rules';
import { dynamicZoneComponentsOnly } from './lib/validation/dynamic-zones';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    strapi.documents.use(publishedOnlyForContentApi(strapi));
    strapi.documents.use(dynamicZoneComponentsOnly(strapi));
    strapi.documents.use(eventDocumentRules(strapi));
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await ensureLocales(strapi);
    await syncPublicPermissions(strapi);
  },
};
