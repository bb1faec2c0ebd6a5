/**
 * Events by time, for `GET /api/events`:
 * - `when=upcoming`: not yet ended (or, without an end, not yet started), soonest first;
 * - `when=past`: ended, latest first;
 * - `from` / `to`: starts within the range; a date (2023-06-16) means that whole day in
 *   Copenhagen time, a date-time must carry its offset (2023-06-16T11:30:00+02:00).
 * Combines with any other filters; an explicit `sort` wins. Bad values are a 400 naming the parameter.
 */
import type { Core } from '@strapi/strapi';
import { startOfLocalDay } from '../../../lib/time/format';

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

type Bound = { instant: Date } | { error: string };

function parseBound(name: 'from' | 'to', value: unknown): Bound {
  if (typeof value !== 'string') return { error: `${name} must be a date (YYYY-MM-DD) or a date-time with offset` };
  const dayStart = startOfLocalDay(value);
  if (dayStart) {
    // `to` as a day includes that whole day.
    return { instant: name === 'to' ? startOfLocalDay(nextDay(value))! : dayStart };
  }
  if (WITH_OFFSET.test(value) && !Number.isNaN(new Date(value).getTime())) return { instant: new Date(value) };
  return { error: `${name} must be a date (YYYY-MM-DD) or a date-time with offset, such as 2023-06-16T11:30:00+02:00; got "${value}"` };
}

/**
 * The earliest start an upcoming event can have: now, or the start of the earliest event still
 * running (its end is after now). Every event the upcoming condition admits starts at or after
 * it, so adding `startsAt >= it` changes no answer. The running events are read through the
 * ends_at index first (a materialised CTE): asked directly for min(starts_at), PostgreSQL walks
 * the starts_at index from the first event ever, the very walk this bound is there to avoid.
 */
async function earliestUpcomingStart(now: string): Promise<Date> {
  const knex = strapi.db.connection;
  const table = strapi.getModel('api::event.event').collectionName;
  const present = new Date(now);
  // A Date, as Strapi's query engine binds dates (SQLite keeps them as milliseconds).
  const running = knex(table).select('starts_at').where('ends_at', '>=', present);
  const [row] = (await knex.withMaterialized('running', running).from('running').min({ earliest: 'starts_at' })) as Array<{ earliest: Date | string | number | null }>;
  if (row?.earliest === null || row?.earliest === undefined) return present;
  const earliest = new Date(row.earliest);
  return earliest < present ? earliest : present;
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

export default (): Core.MiddlewareHandler => async (ctx, next) => {
  const query = ctx.query as Record<string, unknown>;
  const { when, from, to } = query;
  delete query.when;
  delete query.from;
  delete query.to;

  const conditions: Record<string, unknown>[] = [];
  let defaultSort: string | undefined;
  const now = new Date().toISOString();

  if (when !== undefined) {
    if (when === 'upcoming') {
      conditions.push({ $or: [{ endsAt: { $gte: now } }, { $and: [{ endsAt: { $null: true } }, { startsAt: { $gte: now } }] }] });
      // Implied by the condition above, and what lets the database start reading at the
      // present: without it, the soonest-first list walked starts_at from the first event ever
      // and threw away every past one (41 ms at 10,000 events, growing with the archive).
      conditions.push({ startsAt: { $gte: (await earliestUpcomingStart(now)).toISOString() } });
      defaultSort = 'startsAt:asc';
    } else if (when === 'past') {
      conditions.push({ $or: [{ endsAt: { $lt: now } }, { $and: [{ endsAt: { $null: true } }, { startsAt: { $lt: now } }] }] });
      defaultSort = 'startsAt:desc';
    } else {
      return ctx.badRequest(`when must be "upcoming" or "past"; got "${String(when)}"`, { param: 'when' });
    }
  }

  for (const [name, value, operator] of [
    ['from', from, '$gte'],
    ['to', to, '$lt'],
  ] as const) {
    if (value === undefined) continue;
    const bound = parseBound(name, value);
    if ('error' in bound) return ctx.badRequest(bound.error, { param: name });
    conditions.push({ startsAt: { [operator]: bound.instant.toISOString() } });
    defaultSort ??= 'startsAt:asc';
  }

  if (conditions.length > 0) {
    query.filters = query.filters ? { $and: [query.filters, ...conditions] } : { $and: conditions };
    if (query.sort === undefined && defaultSort) query.sort = defaultSort;
  }
  await next();
};
