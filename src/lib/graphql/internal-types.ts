/** Content types that are internal bookkeeping: kept out of the GraphQL schema entirely. */
import type { Core } from '@strapi/strapi';

const INTERNAL_TYPES = ['api::slug-history.slug-history', 'api::partner.partner', 'api::partner.partner-token'];

export function hideInternalTypesFromGraphql(strapi: Core.Strapi): void {
  const extension = strapi.plugin('graphql').service('extension');
  for (const uid of INTERNAL_TYPES) extension.shadowCRUD(uid).disable();
}
