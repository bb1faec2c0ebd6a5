/**
 * Patch "entity-manager-count": src/lib/http/list-total.ts bounds the totals of public lists and
 * of the admin list's search (rules registered with `boundCounts`).
 * Strapi counts every list's `meta.pagination.total` (REST) and `pageInfo.total` (GraphQL) with
 * `strapi.db.entityManager.count(uid, params)`, which reads every matching row, and offers no
 * hook to count "up to N". Expects: `count` with 1 declared parameter (`(uid, params = {})`) and
 * `createQueryBuilder(uid)`, whose builder has `init`, `getKnexQuery` (@strapi/database), which
 * the bounded count uses to send Strapi's own where clause, joins and `distinct` inside a limit.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { expectMethod, sampleQueryBuilder, wrapEntityManagerMethod } from './seam';

export const PATCH = 'entity-manager-count';

export type CountParams = Record<string, unknown> | undefined;
export type Count = (uid: string, params?: CountParams) => Promise<number>;

/** What a bounded count needs of Strapi's query builder. */
export interface CountingQueryBuilder {
  init(params: Record<string, unknown>): CountingQueryBuilder;
  getKnexQuery(): Knex.QueryBuilder;
}

export interface CountingEntityManager {
  count: Count;
  createQueryBuilder(uid: string): CountingQueryBuilder;
}

/** Replaces `count` of the entity manager (Strapi's unless given) with `makeReplacement(original, entityManager)`. */
export function wrapEntityManagerCount(
  strapi: Core.Strapi,
  makeReplacement: (count: Count, entityManager: CountingEntityManager) => Count,
  entityManager: unknown = strapi.db.entityManager,
): void {
  wrapEntityManagerMethod<Count, CountingEntityManager>(strapi, PATCH, { name: 'count', arity: 1 }, { name: 'createQueryBuilder', arity: 1 }, makeReplacement, entityManager);
}

/** Checks, on a builder (a real one of Strapi's unless given), that it still has what the bounded count calls. */
export function checkCountingQueryBuilder(strapi: Core.Strapi, builder: unknown = sampleQueryBuilder(strapi)): void {
  expectMethod(strapi, PATCH, builder, 'createQueryBuilder(uid)', 'init', { arity: 0 });
  expectMethod(strapi, PATCH, builder, 'createQueryBuilder(uid)', 'getKnexQuery', { arity: 0 });
}
