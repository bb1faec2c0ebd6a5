/**
 * Some public pages read their ids first, then their rows (a deferred join): deep ones, and ones
 * filtered through a relation.
 *
 * - Deep: Strapi reads a page as one `select t0.* … order by … limit 25 offset 9975`, and the
 *   database fetches from the table every row the offset skips: item 10,000 of the Danish
 *   articles in Strapi's default order (id) read 36,000 rows, every locale and draft among them
 *   (17 ms at 10,000 articles). From item DEFERRED_FROM on, the page is first `select t0.id …`
 *   with Strapi's own where clause, joins, order, limit and offset, which an index answers alone
 *   (`(id, locale, published_at)` on articles and events: 17 → 4 ms), then its rows, populate and
 *   all, by id, put back in the page's order. Shallower pages skip too little to gain from a
 *   second statement.
 * - Filtered through a relation or a component (a topic's articles), at any depth: Strapi reads
 *   the page as `select distinct t0.* … left join …`, making wide rows distinct and sorting them,
 *   often in parallel workers; its ids alone come from the indexes (`select distinct t0.id`:
 *   12.7 → 1.0 ms for a topic's first page at 10,000 articles).
 *
 * Where: reads Strapi makes while it serves a public request (REST `/api/*` but the partner API,
 * GraphQL), as list-total.ts. A list deeper than the list depth (10,000) is refused before it
 * gets here (list-size.ts). The rows read keeps every parameter but the page's (where, order,
 * limit, offset): the status filter Strapi passes as `filters` also filters the populated
 * relations. The ids read runs no database lifecycle (`beforeFindMany`), which the rows read
 * still does; this app subscribes to none for reads.
 */
import type { Core, UID } from '@strapi/strapi';
import { checkListingQueryBuilder, wrapEntityManagerFindMany } from '../../strapi-seam/entity-manager-find-many';
import { countsAreBounded } from './list-total';

/** The offset from which a public page reads its ids first. */
export const DEFERRED_FROM = 1000;

const JOINED = new Set(['relation', 'component', 'dynamiczone', 'media']);

/** Whether a where clause filters through a relation or a component (Strapi joins their tables). */
function filtersThroughJoins(strapi: Core.Strapi, uid: string, where: unknown): boolean {
  if (Array.isArray(where)) return where.some((part) => filtersThroughJoins(strapi, uid, part));
  if (!where || typeof where !== 'object') return false;
  const attributes = (strapi.getModel(uid as UID.Schema)?.attributes ?? {}) as Record<string, { type?: string }>;
  return Object.entries(where).some(([key, value]) =>
    key === '$and' || key === '$or' || key === '$not' ? filtersThroughJoins(strapi, uid, value) : JOINED.has(attributes[key]?.type ?? ''),
  );
}

/** Whether a page reads its ids first: a deep one, or one filtered through a relation. */
function readsIdsFirst(strapi: Core.Strapi, uid: string, params: Record<string, unknown>): boolean {
  if (!(typeof params.limit === 'number' && params.limit > 0) || !countsAreBounded(strapi)) return false;
  // The rows are put back in order by id: a read that selects columns must select it.
  const { select } = params;
  if (select !== undefined && !(select === 'id' || (Array.isArray(select) && select.includes('id')))) return false;
  return Number(params.offset ?? 0) >= DEFERRED_FROM || filtersThroughJoins(strapi, uid, params.where) || filtersThroughJoins(strapi, uid, params.filters);
}

export function readPublicPagesIdsFirst(strapi: Core.Strapi): void {
  checkListingQueryBuilder(strapi);
  wrapEntityManagerFindMany(strapi, (findMany, entityManager) => async (uid, params) => {
    if (!params || !readsIdsFirst(strapi, uid, params)) return findMany(uid, params);
    const { _q, where, filters, orderBy, limit, offset } = params;
    const page = (await entityManager.createQueryBuilder(uid).init({ _q, where, filters, orderBy, limit, offset, select: ['id'] }).execute()) as Array<{ id: unknown }>;
    if (page.length === 0) return [];
    const ids = page.map((row) => row.id);
    // `filters` stays: it is Strapi's status filter (a function), which the populated relations
    // inherit; without it a relation from a type without drafts would list drafts too.
    const rows = await findMany(uid, { ...params, where: { id: { $in: ids } }, orderBy: undefined, limit: undefined, offset: undefined });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id): Array<Record<string, unknown>> => {
      const row = byId.get(id);
      return row ? [row] : [];
    });
  });
}
