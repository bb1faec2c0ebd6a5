/**
 * Batches relation loading for GraphQL (no N+1). Strapi's GraphQL plugin resolves every
 * relation, component and dynamic zone of every item with its own `entityManager.load(uid,
 * entity, field, params)`: a list of 100 articles with authors, topics and quotes costs a
 * query (and its populate queries) per article and field. Here each `load` made while serving
 * a GraphQL request goes through a DataLoader, so the loads for one field of all the items of a
 * list, made in the same tick, become one `findMany` with that field populated.
 *
 * `limit`/`offset` of a relation's pagination apply per parent; Strapi's populate would run a
 * query per parent for them, so the batch fetches the related rows whole and slices per parent.
 * Loaders never cache (`cache: false`): they only batch, so nothing outlives the tick.
 */
import DataLoader from 'dataloader';
import type { Core } from '@strapi/strapi';
import { publishedOnlyLoadParams } from '../access/published-only';
import { wrapEntityManagerLoad, type Entity, type EntityManager, type Load, type LoadParams as Params } from '../../strapi-seam/entity-manager-load';

function isGraphqlRequest(strapi: Core.Strapi): boolean {
  const request = strapi.requestContext.get() as { path?: string } | undefined;
  return request?.path === strapi.plugin('graphql').config('endpoint');
}

export function batchGraphqlRelationLoads(strapi: Core.Strapi): void {
  wrapEntityManagerLoad(strapi, (load, entityManager) => batchedLoad(strapi, load, entityManager));
}

function batchedLoad(strapi: Core.Strapi, load: Load, entityManager: EntityManager): Load {
  const loaders = new Map<string, DataLoader<Entity, unknown>>();

  function loaderFor(uid: string, field: string, params: Params): DataLoader<Entity, unknown> {
    const key = `${uid}\u0000${field}\u0000${JSON.stringify(params ?? null)}`;
    let loader = loaders.get(key);
    if (!loader) {
      const { limit, offset, ...rest } = (params ?? {}) as { limit?: number; offset?: number };
      const paginated = limit !== undefined || offset !== undefined;
      loader = new DataLoader<Entity, unknown>(
        async (entities) => {
          // The batch is done: the next tick's loads start a new one.
          loaders.delete(key);
          const ids = [...new Set(entities.map((entity) => entity.id))];
          const rows = await entityManager.findMany(uid, {
            select: ['id'],
            where: { id: { $in: ids } },
            populate: { [field]: Object.keys(rest).length > 0 ? rest : true },
          });
          const byId = new Map(rows.map((row) => [row.id, row[field]]));
          return entities.map((entity) => {
            if (!byId.has(entity.id)) return null;
            const value = byId.get(entity.id);
            if (paginated && Array.isArray(value)) {
              const start = offset ?? 0;
              return value.slice(start, limit === undefined ? undefined : start + limit);
            }
            return value;
          });
        },
        { cache: false }
      );
      loaders.set(key, loader);
    }
    return loader;
  }

  return (uid, entity, fields, params) => {
    if (typeof fields !== 'string' || !isGraphqlRequest(strapi)) return load(uid, entity, fields, params);
    return loaderFor(uid, fields, publishedOnlyLoadParams(strapi, uid, fields, params)).load(entity);
  };
}
