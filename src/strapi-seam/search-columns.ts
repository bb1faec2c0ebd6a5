/**
 * Patch "search-columns": src/features/editorial/admin/search-indexes.ts takes `locale` out of
 * the columns Strapi's search (`_q`) reads. Strapi's search (@strapi/database
 * query/helpers/search.js) ORs `<column>::text ILIKE '%term%'` over the row's id and every scalar
 * string attribute of the database metadata whose `searchable` is not false; the i18n plugin adds
 * `locale` to every content type as such an attribute (@strapi/i18n server/register.js). So a
 * search for "da" matched every Danish row by its locale, and no index can serve the OR while
 * one of its columns has none (a trigram index on `locale` would be chosen for `locale = 'da'`).
 * Strapi offers `searchable: false` on an attribute in a schema, but `locale` is not in ours.
 * Expects: `strapi.db.metadata.get(uid).attributes.locale` to be `{ type: 'string' }`.
 */
import type { Core } from '@strapi/strapi';
import { describeValue, expectShape, markInstalled } from './seam';
import { modelMetadata } from './db-metadata';

export const PATCH = 'search-columns';

interface SearchableAttribute {
  type: string;
  searchable?: boolean;
}

/** Marks attribute `name` of each content type in `uids` `searchable: false` in Strapi's database metadata. */
export function leaveOutOfSearch(strapi: Core.Strapi, uids: readonly string[], name: string, metadata: (uid: string) => unknown = (uid) => modelMetadata(strapi, uid)): void {
  const attributes = uids.map((uid) => {
    const attribute = (metadata(uid) as { attributes?: Record<string, unknown> } | undefined)?.attributes?.[name] as Partial<SearchableAttribute> | undefined;
    expectShape(strapi, PATCH, attribute?.type === 'string', `${uid}'s database attribute "${name}" to be { type: 'string' }`, () => `it is ${describeValue(attribute)}${attribute?.type ? ` of type ${attribute.type}` : ''}`);
    return attribute as SearchableAttribute;
  });
  for (const attribute of attributes) attribute.searchable = false;
  markInstalled(strapi, PATCH);
}
