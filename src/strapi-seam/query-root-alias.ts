/**
 * Patch "query-root-alias" (a read, nothing is replaced): src/lib/i18n/fallback.ts reads a
 * page of documents missing in the requested locale with a subquery correlated to the row being
 * read (`… not in (select … where e.document_id = t0.document_id)`), which the database answers
 * by probing an index per row and stopping at the page, instead of building the set of every
 * document in the requested locale first. The Document Service's filters cannot name the outer
 * row; Strapi's query builder calls it `t0` (@strapi/database query/query-builder.js: the first
 * alias of a builder). Expects: a new builder's `alias` is `t0`.
 */
import type { Core } from '@strapi/strapi';
import { describeValue, expectShape, markInstalled, sampleQueryBuilder } from './seam';

export const PATCH = 'query-root-alias';

/** The alias Strapi's query builder gives the table a query reads from. */
export const ROOT_ALIAS = 't0';

/** Checks that a new query builder (a real one of Strapi's unless given) reads its table as ROOT_ALIAS; throws a SeamError when not. */
export function checkQueryRootAlias(strapi: Core.Strapi, builder: unknown = sampleQueryBuilder(strapi)): void {
  const alias = (builder as { alias?: unknown } | null | undefined)?.alias;
  expectShape(strapi, PATCH, alias === ROOT_ALIAS, `a new query builder's alias to be "${ROOT_ALIAS}"`, () => `alias is ${typeof alias === 'string' ? `"${alias}"` : describeValue(alias)}`);
  markInstalled(strapi, PATCH);
}
