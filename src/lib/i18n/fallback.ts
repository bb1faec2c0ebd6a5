/**
 * Locale fallback, which Strapi does not have: a read may name a fallback chain
 * (`?locale=en&fallbackLocale=da`). A document missing in the requested locale is then served
 * in the fallback locale, in lists (merged in the requested sort, paginated as one list, counted
 * as one), in single reads and slug lookups. Relations come in the locale their parent is
 * served in. Every served document says what it is: its `locale`, and `fallback: true|false`.
 * Without the parameter nothing changes.
 *
 * The HTTP side (reading the parameter, flagging the answer) is `fallbackRequests`; the reads
 * themselves are a Document Service middleware, `fallbackReads`, so the core controllers, the
 * slug lookups and the default shapes all get it without copies of Strapi's controllers.
 */
import { isRestApiPath } from '../http/zones';
import { boundedTotal, countsAreBounded, TOTAL_BOUND } from '../http/list-total';
import type { Core, Modules, UID } from '@strapi/strapi';
import { DEFAULT_LOCALE, LOCALES } from './locales';
import { ROOT_ALIAS } from '../../strapi-seam/query-root-alias';

export interface LocaleFallback {
  requested: string;
  fallback: string;
}

const KNOWN = new Set<string>(LOCALES.map((locale) => locale.code));

/** Koa middleware for /api reads: takes `fallbackLocale` off the query, and flags the answer. */
export function fallbackRequests(): Core.MiddlewareHandler {
  return async (ctx, next) => {
    const query = ctx.query as Record<string, unknown>;
    if (!isRestApiPath(ctx.path) || query.fallbackLocale === undefined) return next();

    const fallback = query.fallbackLocale;
    delete query.fallbackLocale;
    const requested = typeof query.locale === 'string' ? query.locale : DEFAULT_LOCALE;
    if (typeof fallback !== 'string' || !KNOWN.has(fallback)) {
      return ctx.badRequest(`fallbackLocale must be one of ${[...KNOWN].join(', ')}`, { param: 'fallbackLocale' });
    }
    if (fallback !== requested) ctx.state.localeFallback = { requested, fallback } satisfies LocaleFallback;

    await next();
    const body = ctx.body as { data?: unknown } | undefined;
    if (ctx.state.localeFallback && body && typeof body === 'object' && 'data' in body) {
      ctx.body = { ...body, data: flagFallbacks(body.data, requested) };
    }
  };
}

/** Marks every served document (anything with a documentId and a locale) with `fallback`. */
export function flagFallbacks(value: unknown, requested: string): unknown {
  if (Array.isArray(value)) return value.map((item) => flagFallbacks(item, requested));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(object)) result[key] = flagFallbacks(field, requested);
  if (typeof object.documentId === 'string' && typeof object.locale === 'string') {
    result.fallback = object.locale !== requested;
  }
  return result;
}

type Params = Record<string, unknown>;
/** What a Document Service middleware answers (a document, a list, a count...). */
type MiddlewareResult = Awaited<ReturnType<Modules.Documents.Middleware.Middleware>>;
/** The Document Service's reads, for a uid only known at run time. */
interface Documents {
  findOne(params: Params): Promise<MiddlewareResult>;
  findFirst(params: Params): Promise<MiddlewareResult>;
  findMany(params: Params): Promise<unknown[]>;
  count(params: Params): Promise<number>;
}

function currentFallback(strapi: Core.Strapi): LocaleFallback | undefined {
  const request = strapi.requestContext.get() as { state?: { localeFallback?: LocaleFallback } } | undefined;
  return request?.state?.localeFallback;
}

/** [field, direction] pairs from the Document Service's sort forms; null when one is not a plain field. */
function sortPairs(sort: unknown): Array<[string, 'asc' | 'desc']> | null {
  if (sort === undefined || sort === null) return [];
  const items = Array.isArray(sort) ? sort : [sort];
  const pairs: Array<[string, 'asc' | 'desc']> = [];
  for (const item of items) {
    if (typeof item === 'string') {
      const [field = '', direction = 'asc'] = item.split(':');
      pairs.push([field, direction.toLowerCase() === 'desc' ? 'desc' : 'asc']);
    } else if (item && typeof item === 'object') {
      for (const [field, direction] of Object.entries(item)) {
        if (typeof direction !== 'string') return null;
        pairs.push([field, direction.toLowerCase() === 'desc' ? 'desc' : 'asc']);
      }
    } else return null;
  }
  return pairs.some(([field]) => field.includes('.')) ? null : pairs;
}

function compareBy(pairs: Array<[string, 'asc' | 'desc']>) {
  return (a: Record<string, unknown>, b: Record<string, unknown>): number => {
    for (const [field, direction] of pairs) {
      const x = a[field] instanceof Date ? (a[field] as Date).getTime() : a[field];
      const y = b[field] instanceof Date ? (b[field] as Date).getTime() : b[field];
      if (x === y) continue;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      const order = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y) : (x as number) < (y as number) ? -1 : 1;
      return direction === 'desc' ? -order : order;
    }
    return 0;
  };
}

/**
 * How deep a fallback list may reach and still probe row by row (below): past it, one set of
 * the requested locale's documents is cheaper than a probe for every row walked to get there.
 */
const PROBE_DEPTH = 1000;

/**
 * The fallback-locale part of a read: documents missing in the requested locale, as a Document
 * Service query. Those that exist in the requested locale (in the status asked for) are never
 * served twice. By a subquery, not the list of their ids: that list grows with the archive (and
 * past 32,766 ids SQLite refuses the statement); Strapi's query engine passes a knex query on to
 * `not in`. `probe` (a page near the top of the list) correlates it with the row being read
 * (`… where e.document_id = t0.document_id`): the database then walks the fallback locale in
 * the requested order and checks each row by index, stopping at the page, instead of first
 * collecting every document of the requested locale (80,000 in an archive: 9.5 → 2 ms at 20,000
 * articles on PostgreSQL). Counting (every row) and deep pages keep the one set.
 */
async function missingInRequested(strapi: Core.Strapi, uid: UID.ContentType, params: Params, fallback: LocaleFallback, probe = false): Promise<Params> {
  const status = params.status ?? 'draft';
  const table = strapi.getModel(uid).collectionName;
  const present = strapi.db.connection({ present: table }).select('present.document_id').where('present.locale', fallback.requested);
  if (status === 'published') present.whereNotNull('present.published_at');
  else present.whereNull('present.published_at');
  if (probe) present.whereRaw('?? = ??', ['present.document_id', `${ROOT_ALIAS}.document_id`]);
  return {
    ...params,
    locale: fallback.fallback,
    filters: { $and: [params.filters ?? {}, { documentId: { $notIn: present } }] },
  };
}

/**
 * One list from two: enough of each locale to fill the page, merged in the requested order
 * (concatenated when the sort is not on plain fields), cut to the page.
 * `readRequested` reads the requested locale (the middleware's `next`, or the Document Service).
 */
export async function findManyWithFallback(
  strapi: Core.Strapi,
  uid: UID.ContentType,
  params: Params,
  fallback: LocaleFallback,
  readRequested: (params: Params) => Promise<unknown>
): Promise<Array<Record<string, unknown>>> {
  const documents = strapi.documents(uid) as Documents;
  const start = Number(params.start ?? params.offset ?? 0);
  const limit = params.limit === undefined ? undefined : Number(params.limit);
  const pairs = sortPairs(params.sort);
  const { fields, added } = withSortFields(params.fields, pairs ?? []);
  const read = { ...params, ...(limit === undefined ? {} : { start: 0, limit: start + limit }), ...(fields ? { fields } : {}) };
  const requestedItems = (await readRequested({ ...read, locale: fallback.requested })) as unknown[];
  const probe = limit !== undefined && start + limit <= PROBE_DEPTH;
  const fallbackItems: unknown[] = await documents.findMany(await missingInRequested(strapi, uid, read, fallback, probe));
  const merged = [...requestedItems, ...fallbackItems] as Array<Record<string, unknown>>;
  if (pairs && pairs.length > 0) merged.sort(compareBy(pairs));
  const page = merged.slice(start, limit === undefined ? undefined : start + limit);
  for (const item of page) for (const field of added) delete item[field];
  return page;
}

/** Always on a document, whatever `fields` says. */
const ALWAYS_READ = new Set(['id', 'documentId']);

/**
 * The merge compares the sort's fields on every row, so a `fields` list that leaves one out gets
 * it added for the reads (and `added` says which to remove from the answer again).
 */
function withSortFields(fields: unknown, pairs: Array<[string, 'asc' | 'desc']>): { fields?: string[]; added: string[] } {
  if (pairs.length === 0 || fields === undefined || fields === null || fields === '*') return { added: [] };
  const listed = (Array.isArray(fields) ? fields : String(fields).split(',')).map((field) => String(field).trim());
  if (listed.includes('*')) return { added: [] };
  const added = [...new Set(pairs.map(([field]) => field))].filter((field) => !listed.includes(field) && !ALWAYS_READ.has(field));
  return added.length === 0 ? { added } : { fields: [...listed, ...added], added };
}

export function fallbackReads(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    const fallback = currentFallback(strapi);
    const params = context.params as Params;
    if (!fallback || params.locale !== fallback.requested) return next();
    if (!['findOne', 'findFirst', 'findMany', 'count'].includes(context.action)) return next();
    const i18n = (strapi.getModel(context.uid)?.pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n;
    if (!i18n?.localized) return next();

    const uid = context.uid as UID.ContentType;
    const documents = strapi.documents(uid) as Documents;

    if (context.action === 'findOne' || context.action === 'findFirst') {
      const found = await next();
      return found ?? documents[context.action]({ ...params, locale: fallback.fallback });
    }
    if (context.action === 'count') {
      // Each part is bounded for a public read; so is their sum (src/lib/http/list-total.ts).
      // When the requested locale alone reaches the bound, the fallback part changes nothing.
      const requested = (await next()) as number;
      if (countsAreBounded(strapi) && requested >= TOTAL_BOUND) return TOTAL_BOUND;
      const missing = await missingInRequested(strapi, uid, params, fallback);
      return boundedTotal(strapi, requested + (await documents.count(missing)));
    }
    const page = await findManyWithFallback(strapi, uid, params, fallback, (windowed) => {
      context.params = windowed;
      return next();
    });
    return page as MiddlewareResult;
  };
}
