/**
 * A public list's deep page reads its ids first, then its rows (a deferred join). Strapi reads a
 * page as one `select t0.* … order by … limit 25 offset 9975`, and the database fetches from the
 * table every row the offset skips: item 10,000 of the Danish articles in Strapi's default order
 * (id) read 36,000 rows, every locale and draft among them (17 ms at 10,000 articles, 29 ms at
 * 100,000). From item DEFERRED_FROM on, the page is first `select t0.id …` with Strapi's own
 * where clause, joins, order, limit and offset, which an index answers alone (`(id, locale,
 * published_at)` on articles and events: 17 → 4 ms), then its rows, populate and all, by id,
 * put back in the page's order. Shallower pages skip too little to gain from a second statement.
 *
 * Where: reads Strapi makes while it serves a public request (REST `/api/*` but the partner API,
 * GraphQL), as list-total.ts. A list deeper than the list depth (10,000) is refused before it
 * gets here (list-size.ts). The ids read runs no database lifecycle (`beforeFindMany`), which
 * the rows read still does; this app subscribes to none for reads.
 */
import type { Core } from '@strapi/strapi';
import { checkListingQueryBuilder, wrapEntityManagerFindMany } from '../../strapi-seam/entity-manager-find-many';
import { countsAreBounded } from './list-total';

/** The offset from which a public page reads its ids first. */
export const DEFERRED_FROM = 1000;

export function readDeepPagesByIdFirst(strapi: Core.Strapi): void {
  checkListingQueryBuilder(strapi);
  wrapEntityManagerFindMany(strapi, (findMany, entityManager) => async (uid, params) => {
    const offset = Number(params?.offset ?? 0);
    if (!(offset >= DEFERRED_FROM) || !countsAreBounded(strapi)) return findMany(uid, params);
    const { _q, where, filters, orderBy, limit } = params;
    const page = (await entityManager.createQueryBuilder(uid).init({ _q, where, filters, orderBy, limit, offset, select: ['id'] }).execute()) as Array<{ id: unknown }>;
    if (page.length === 0) return [];
    const ids = page.map((row) => row.id);
    const rows = await findMany(uid, { ...params, _q: undefined, filters: undefined, where: { id: { $in: ids } }, orderBy: undefined, limit: undefined, offset: undefined });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id): Array<Record<string, unknown>> => {
      const row = byId.get(id);
      return row ? [row] : [];
    });
  });
}
