/**
 * What a public request that reaches Strapi costs, in points of its budget. Cache hits cost
 * nothing (the front door serves them without counting: they cost the server nothing, as with
 * DatoCMS and Storyblok, which limit uncached requests only); a miss costs its work, which grows
 * with the number of documents it reads:
 * - a list costs one point per 25 items asked for (`pagination[pageSize]` or `[limit]`; Strapi's
 *   default page is 25, one point), at most 4 (a page of 100, the most a list gives);
 * - a calendar (`.ics`) lists every event of its range: 4, as the largest list;
 * - anything else (one document, a slug lookup, a feed page, GraphQL): 1.
 */
const ITEMS_PER_POINT = 25;
const MAX_COST = 4;

export function costOf(url: string): number {
  const queryStart = url.indexOf('?');
  const path = (queryStart < 0 ? url : url.slice(0, queryStart)).toLowerCase();
  if (path.endsWith('.ics')) return MAX_COST;
  if (queryStart < 0) return 1;
  const params = new URLSearchParams(url.slice(queryStart + 1));
  const size = Number(params.get('pagination[pageSize]') ?? params.get('pagination[limit]') ?? ITEMS_PER_POINT);
  if (!Number.isFinite(size) || size <= ITEMS_PER_POINT) return 1;
  return Math.min(MAX_COST, Math.ceil(size / ITEMS_PER_POINT));
}
