/**
 * Editorial: what editors work with. Danish slugs, their history and the find-by-slug routes
 * (slug/), the signed preview page `/preview/...` (preview/), and the admin: labels, views,
 * editorial roles, the first admin user, the slug field, a search's total and indexes (admin/).
 */
import type { Core } from '@strapi/strapi';
import type { Feature } from '../../lib/feature';
import { registerSlugQueries } from './slug/graphql';
import { registerPreviewRoutes } from './preview/routes';
import { checkPreviewLinkRequests } from './preview/link';
import { applyAdminViews } from './admin/views';
import { ensureEditorialRoles } from './admin/roles';
import { ensureFirstAdmin } from './admin/first-admin';
import { adminSlugsLikeTheApi } from './admin/slug-field';
import { boundAdminSearchTotals } from './admin/search-total';
import { ensureTrigramIndexes, leaveLocaleOutOfSearch } from './admin/search-indexes';

/** The slugs' write rule, run in the order of WRITE_RULES (src/lib/write-rules/order.ts). */
export { slugRule } from './slug/document-slugs';

const editorial: Feature = {
  name: 'editorial',

  register(strapi: Core.Strapi) {
    registerSlugQueries(strapi); // articleBySlug, … : the GraphQL side of GET /api/<type>/slug/:slug
    // GET /preview/:type/:documentId, the page the admin's preview button opens (signed link).
    registerPreviewRoutes(strapi);
  },

  async bootstrap(strapi: Core.Strapi) {
    adminSlugsLikeTheApi(strapi);
    boundAdminSearchTotals(strapi); // the admin list's search counts to 1,000, then says 'more than'
    leaveLocaleOutOfSearch(strapi); // a search for "da" no longer matches every Danish row
    await ensureTrigramIndexes(strapi); // PostgreSQL: a rare word's search by index, not by reading every draft
    checkPreviewLinkRequests(strapi); // a refused preview link is a 4xx saying why (preview/admin-access.ts)
    await applyAdminViews(strapi);
    await ensureEditorialRoles(strapi);
    await ensureFirstAdmin(strapi);
  },

  async destroy() {
    // Nothing to stop: editorial starts no timers or connections.
  },
};

export default editorial;
