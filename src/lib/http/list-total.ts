/**
 * A public list's total is exact up to MAX_LIST_DEPTH (10,000) items; past that it says 10,000
 * and `totalIsLowerBound: true`. Strapi counts every list's total on every request, and a count
 * reads every matching row: on a fifteen-year archive the newest-first list spent most of its
 * time counting 100,000 articles it can never serve (a page reaches at most 10,000 items deep:
 * ./list-size.ts). Counting stops at the depth a client can page to, so `pageCount` is still the
 * number of pages it may ask for. Search does the same at 1,000 (src/api/search/index-store.ts),
 * as Elasticsearch's `track_total_hits` does.
 *
 * Where: counts Strapi makes while it serves a public request (REST `/api/*` but the partner
 * API, GraphQL). Counts for the admin, the partner API and outside a request (scripts, jobs)
 * stay exact, but for the admin list's search (`boundCounts`, from
 * src/features/editorial/admin/search-total.ts). `pagination[withCount]=false` (Strapi's own) skips the count altogether.
 * REST says `meta.pagination.totalIsLowerBound`, GraphQL `pageInfo.totalIsLowerBound`.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { checkCountingQueryBuilder, wrapEntityManagerCount, type CountParams } from '../../strapi-seam/entity-manager-count';
import type { Nexus, ObjectDefinition } from '../graphql/nexus';
import { MAX_LIST_DEPTH } from './list-size';
import { narrowToPublishedTargets } from './published-targets';
import { zoneOf } from './zones';

/** The most a public list's total says; at this or more it is a lower bound. */
export const TOTAL_BOUND = MAX_LIST_DEPTH;

/** Whether a total a public list answered may be short of the true count (it reached the bound). */
export const isLowerBound = (total: number): boolean => total >= TOTAL_BOUND;

/** Whether counts made now are for a public read (REST but partners, or GraphQL). */
export function countsAreBounded(strapi: Core.Strapi): boolean {
  const request = strapi.requestContext.get() as { path?: string } | undefined;
  return typeof request?.path === 'string' && zoneOf(request.path) === 'public';
}

/** A total as a public list may say it: at most TOTAL_BOUND (for totals added up from several counts). */
export function boundedTotal(strapi: Core.Strapi, total: number): number {
  return countsAreBounded(strapi) ? Math.min(total, TOTAL_BOUND) : total;
}

/**
 * How far the counts made now may go: a number (count at most that many rows) or undefined
 * (exact). Every rule is asked; the smallest number wins.
 */
export type CountBoundRule = (uid: string, params: CountParams) => number | undefined;

// On the strapi instance under a registry symbol: the tests load src/ while the app runs from
// dist/, two copies of this module that must share one wrapper and its rules.
const RULES = Symbol.for('innovation-hub.count-bound-rules');
type WithRules = Core.Strapi & { [RULES]?: CountBoundRule[] };

/**
 * Makes the entity manager's count, where `rule` gives a bound, count Strapi's own query (its
 * where clause, its search, joins and `distinct`) inside `limit <bound>`: `select count(*) from
 * (select [distinct] t0.id … limit N)`. The work is then bounded by N, not by the archive.
 * Strapi's count is wrapped once, at the first rule; later rules join it.
 */
export function boundCounts(strapi: Core.Strapi, rule: CountBoundRule): void {
  const holder = strapi as WithRules;
  if (holder[RULES]) {
    holder[RULES].push(rule);
    return;
  }
  const rules: CountBoundRule[] = [rule];
  holder[RULES] = rules;
  checkCountingQueryBuilder(strapi);
  wrapEntityManagerCount(strapi, (count, entityManager) => async (uid: string, params: CountParams = {}) => {
    const bound = boundOf(rules, uid, params);
    if (bound === undefined) return count(uid, params);
    const { _q, where, filters } = params;
    // The limit is set on the knex query, not through Strapi's builder: with a limit, Strapi
    // adds `order by id` for stable pages, which would make the database read in id order.
    // A filter through a relation joins the target's published rows only, where that counts the same (./published-targets.ts).
    const counted = { _q, where: narrowToPublishedTargets(strapi, uid, where), filters, select: ['id'] };
    const rows = entityManager.createQueryBuilder(uid).init(counted).getKnexQuery().limit(bound);
    const knex = strapi.db.connection as Knex;
    // In the Document Service's transaction, as Strapi's own count is (db.transaction joins it).
    const [total] = (await strapi.db.transaction(({ trx }) => knex.count({ count: '*' }).from(rows.as('bounded')).transacting(trx))) as Array<{
      count: number | string;
    }>;
    return Number(total?.count ?? 0);
  });
}

function boundOf(rules: CountBoundRule[], uid: string, params: CountParams): number | undefined {
  const bounds = rules.map((rule) => rule(uid, params)).filter((bound): bound is number => bound !== undefined);
  return bounds.length > 0 ? Math.min(...bounds) : undefined;
}

/** Public reads count up to TOTAL_BOUND (the depth a page may reach). */
export function boundPublicListTotals(strapi: Core.Strapi): void {
  boundCounts(strapi, () => (countsAreBounded(strapi) ? TOTAL_BOUND : undefined));
}

/** REST: `meta.pagination.totalIsLowerBound` beside every public list's `total`. */
export function restListTotal(): Core.MiddlewareHandler {
  return async (ctx, next) => {
    await next();
    if (zoneOf(ctx.path) !== 'public') return;
    const pagination = (ctx.body as { meta?: { pagination?: Record<string, unknown> } } | undefined)?.meta?.pagination;
    if (pagination && typeof pagination.total === 'number' && !('totalIsLowerBound' in pagination)) {
      pagination.totalIsLowerBound = isLowerBound(pagination.total);
    }
  };
}

/** GraphQL: `pageInfo.totalIsLowerBound` (Strapi's Pagination type) beside `total`. */
export function registerGraphqlListTotal(strapi: Core.Strapi): void {
  strapi.plugin('graphql').service('extension').use(({ nexus }: { nexus: Nexus }) => ({
    types: [
      nexus.extendType({
        type: 'Pagination',
        definition(t: ObjectDefinition) {
          t.nonNull.boolean('totalIsLowerBound', {
            description: `True when \`total\` reached ${TOTAL_BOUND}: more may match (public lists count up to the depth a page may reach)`,
            resolve: (parent: { total?: number }) => typeof parent.total === 'number' && isLowerBound(parent.total),
          });
        },
      }),
    ],
    resolversConfig: {},
  }));
}
