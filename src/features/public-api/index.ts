/**
 * Public API: what the front ends' REST and GraphQL add to Strapi's own. The two locales (da
 * first), the public role's read permissions, and in GraphQL: internal types hidden, local times
 * beside instants, locale fallback (lists, single reads, the `fallback` flag), reverse relations
 * (Person.events, Organisation.people) and relation loads batched per request; list totals
 * counted up to the list depth (src/lib/http/list-total.ts), deep pages and pages filtered
 * through a relation read ids first (src/lib/http/ids-first.ts), the default shapes' growing
 * lists bounded (src/lib/shapes/bounded-lists.ts). The code lives in
 * src/lib/ (i18n, access, time, graphql), shared with REST's middlewares; this is its wiring.
 */
import type { Core } from '@strapi/strapi';
import type { Feature } from '../../lib/feature';
import { ensureLocales } from '../../lib/i18n/locales';
import { syncPublicPermissions } from '../../lib/access/public-permissions';
import { registerLocalTimeFields } from '../../lib/time/graphql';
import { batchGraphqlRelationLoads } from '../../lib/graphql/batched-relations';
import { registerFallbackFlag, registerFallbackListQueries, registerFallbackSingleReads } from '../../lib/i18n/graphql-fallback';
import { registerReverseRelationFields } from '../../lib/graphql/reverse-relations';
import { hideInternalTypesFromGraphql } from '../../lib/graphql/internal-types';
import { boundPublicListTotals, registerGraphqlListTotal } from '../../lib/http/list-total';
import { readPublicPagesIdsFirst } from '../../lib/http/ids-first';
import { ensureBoundedListLinks, keepBoundedListLinks } from '../../lib/shapes/bounded-list-links';

const publicApi: Feature = {
  name: 'public-api',

  register(strapi: Core.Strapi) {
    hideInternalTypesFromGraphql(strapi);
    registerLocalTimeFields(strapi);
    registerFallbackListQueries(strapi);
    registerFallbackSingleReads(strapi); // article(documentId:, locale:, fallbackLocale:)
    registerFallbackFlag(strapi); // fallback: Boolean! on every localised type
    registerReverseRelationFields(strapi); // Person.events, Organisation.people
    registerGraphqlListTotal(strapi); // pageInfo.totalIsLowerBound
    keepBoundedListLinks(strapi); // SQLite: the bounded lists' triggers dropped before the schema sync, made again at bootstrap
  },

  async bootstrap(strapi: Core.Strapi) {
    batchGraphqlRelationLoads(strapi);
    boundPublicListTotals(strapi); // a public list's total counts up to 10,000
    readPublicPagesIdsFirst(strapi); // deep pages and pages filtered through a relation: ids first, then rows
    await ensureLocales(strapi);
    await syncPublicPermissions(strapi);
    await ensureBoundedListLinks(strapi); // the default shapes' bounded lists: their links beside each target's order
  },
};

export default publicApi;
