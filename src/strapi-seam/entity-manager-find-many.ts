/**
 * Patch "entity-manager-find-many": src/lib/http/ids-first.ts reads some public pages (deep ones,
 * ones filtered through a relation) ids first. Strapi reads a page as one `select t0.* … limit n
 * offset m` (or `select distinct t0.*` with joins), which fetches from the table every row the
 * offset skips, and has no hook between a page's ids and its rows. Expects:
 * `findMany` with 2 declared parameters (`(uid, params)`, @strapi/database entity-manager) and
 * `createQueryBuilder(uid)`, whose builder has `init` and `execute`, which the ids read uses.
 */
import type { Core } from '@strapi/strapi';
import { expectMethod, sampleQueryBuilder, wrapEntityManagerMethod } from './seam';

export const PATCH = 'entity-manager-find-many';

export type FindManyParams = Record<string, unknown>;
export type FindMany = (uid: string, params: FindManyParams) => Promise<Array<Record<string, unknown>>>;

/** What the ids read needs of Strapi's query builder. */
export interface ListingQueryBuilder {
  init(params: Record<string, unknown>): ListingQueryBuilder;
  execute(): Promise<unknown>;
}

export interface ListingEntityManager {
  findMany: FindMany;
  createQueryBuilder(uid: string): ListingQueryBuilder;
}

/** Replaces `findMany` of the entity manager (Strapi's unless given) with `makeReplacement(original, entityManager)`. */
export function wrapEntityManagerFindMany(
  strapi: Core.Strapi,
  makeReplacement: (findMany: FindMany, entityManager: ListingEntityManager) => FindMany,
  entityManager: unknown = strapi.db.entityManager,
): void {
  wrapEntityManagerMethod<FindMany, ListingEntityManager>(strapi, PATCH, { name: 'findMany', arity: 2 }, { name: 'createQueryBuilder', arity: 1 }, makeReplacement, entityManager);
}

/** Checks, on a builder (a real one of Strapi's unless given), that it still has what the ids read calls. */
export function checkListingQueryBuilder(strapi: Core.Strapi, builder: unknown = sampleQueryBuilder(strapi)): void {
  expectMethod(strapi, PATCH, builder, 'createQueryBuilder(uid)', 'init', { arity: 0 });
  expectMethod(strapi, PATCH, builder, 'createQueryBuilder(uid)', 'execute', { arity: 0 });
}
