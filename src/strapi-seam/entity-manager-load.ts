/**
 * Patch "entity-manager-load": src/lib/graphql/batched-relations.ts batches the relation loads
 * of a GraphQL request (no N+1). The GraphQL plugin resolves every relation with its own
 * `strapi.db.entityManager.load(uid, entity, field, params)` and has no batching hook. Expects:
 * `load` with 4 parameters and `findMany` (@strapi/database entity-manager), which the batch uses.
 */
import type { Core } from '@strapi/strapi';
import { wrapEntityManagerMethod } from './seam';

export const PATCH = 'entity-manager-load';

export type Entity = { id: number | string };
export type LoadParams = Record<string, unknown> | undefined;
export type Load = (uid: string, entity: Entity, fields: string | string[], params?: LoadParams) => Promise<unknown>;

export interface EntityManager {
  load: Load;
  findMany(uid: string, params: Record<string, unknown>): Promise<Array<Record<string, unknown>>>;
}

/** Replaces `load` of the entity manager (Strapi's unless given) with `makeReplacement(original, entityManager)`. */
export function wrapEntityManagerLoad(
  strapi: Core.Strapi,
  makeReplacement: (load: Load, entityManager: EntityManager) => Load,
  entityManager: unknown = strapi.db.entityManager,
): void {
  wrapEntityManagerMethod<Load, EntityManager>(strapi, PATCH, { name: 'load', arity: 4 }, { name: 'findMany', arity: 2 }, makeReplacement, entityManager);
}
