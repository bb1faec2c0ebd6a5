/**
 * The change log's store: the `sync_changes` table, how positions are handed out, and the reads
 * (changes after a position, the head, per-document counts). It knows nothing of who writes
 * changes (public-changes.ts) or who listens to them (change-log.ts).
 *
 * Positions must be handed out in commit order, or a reader at position 11 could miss a
 * transaction that took 10 but committed later. On PostgreSQL each writer takes a
 * transaction-scoped advisory lock before its first log insert and holds it to commit, so ids are
 * allocated in commit order across any number of app instances. SQLite has one writer at a time.
 */
import type { Knex } from 'knex';
import { isPostgres } from '../db/dialect';

export const CHANGE_TABLE = 'sync_changes';
export const CHANGE_ACTIONS = ['created', 'published', 'updated', 'unpublished', 'deleted'] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

/** Any constant works; this one spells "sync" in ASCII. */
export const CHANGE_LOG_LOCK = 0x73796e63;

export interface Change {
  contentType: string;
  documentId: string;
  locale: string;
  action: ChangeAction;
  /** On the tombstone of a merged document: the documentId it was merged into. */
  mergedInto?: string;
  /**
   * The other answers it can alter, as dependency keys (touched.ts); filled in by
   * appendChanges. Absent on rows logged before the column existed: they touch everything.
   */
  touched?: string[];
  /**
   * Logged by the Document Service middleware (public-changes.ts): a write for which Strapi
   * raised its own `entry.*` events. Absent on the changes of writers that bypass it (partner
   * creations, merges), whose events src/lib/strapi-events/ raises. Not stored: only the
   * listeners of the writing process see it.
   */
  viaDocumentService?: true;
}

export interface LoggedChange extends Change {
  position: number;
  occurredAt: Date;
}

interface ChangeRow {
  id: number | string;
  content_type: string;
  document_id: string;
  locale: string;
  action: ChangeAction;
  occurred_at: Date | string | number;
  merged_into?: string | null;
  touched?: string | null;
}

export function toLoggedChange(row: ChangeRow): LoggedChange {
  return {
    position: Number(row.id),
    contentType: row.content_type,
    documentId: row.document_id,
    locale: row.locale,
    action: row.action,
    occurredAt: new Date(row.occurred_at),
    ...(row.merged_into ? { mergedInto: row.merged_into } : {}),
    ...(typeof row.touched === 'string' ? { touched: JSON.parse(row.touched) as string[] } : {}),
  };
}

/** Inserts changes inside the caller's transaction, in array order, and returns them with their positions. */
export async function insertChanges(trx: Knex.Transaction, changes: Change[]): Promise<LoggedChange[]> {
  if (changes.length === 0) return [];
  if (isPostgres(trx)) await trx.raw('select pg_advisory_xact_lock(?)', [CHANGE_LOG_LOCK]);
  const occurredAt = new Date();
  // One multi-row insert. Its rows are numbered in the order given (SQLite's rowid, PostgreSQL's
  // sequence called row by row), so the returned ids, sorted, are the positions in array order.
  const rows = (await trx(CHANGE_TABLE)
    .insert(
      changes.map((change) => ({
        content_type: change.contentType,
        document_id: change.documentId,
        locale: change.locale,
        action: change.action,
        occurred_at: occurredAt,
        merged_into: change.mergedInto ?? null,
        touched: change.touched ? JSON.stringify(change.touched) : null,
      })),
    )
    .returning('id')) as Array<number | { id: number | string }>;
  const positions = rows.map((row) => Number(typeof row === 'object' ? row.id : row)).sort((a, b) => a - b);
  if (positions.length !== changes.length) throw new Error(`change log: ${positions.length} positions for ${changes.length} changes`);
  return changes.map((change, index) => ({ ...change, position: positions[index]!, occurredAt }));
}

/** The newest position, or 0 on an empty log. */
export async function headPosition(knex: Knex): Promise<number> {
  const row = await knex(CHANGE_TABLE).max({ head: 'id' }).first();
  return Number(row?.head ?? 0);
}

/** What the response cache needs of the changes after a position, oldest first. */
export async function touchesAfter(knex: Knex, position: number, limit: number): Promise<LoggedChange[]> {
  const rows = (await knex(CHANGE_TABLE)
    .select('id', 'content_type', 'document_id', 'locale', 'action', 'occurred_at', 'touched')
    .where('id', '>', position)
    .orderBy('id', 'asc')
    .limit(limit)) as ChangeRow[];
  return rows.map(toLoggedChange);
}

/** Changes after a position, oldest first. */
export async function changesAfter(
  knex: Knex,
  position: number,
  options: { limit: number; contentTypes?: string[]; locale?: string },
): Promise<LoggedChange[]> {
  const query = knex(CHANGE_TABLE).where('id', '>', position).orderBy('id', 'asc').limit(options.limit);
  if (options.contentTypes) query.whereIn('content_type', options.contentTypes);
  if (options.locale) query.where('locale', options.locale);
  return (await query).map(toLoggedChange);
}

/**
 * How many public changes each document has had: the iCalendar SEQUENCE. Changes compaction
 * folded into a later one (compaction.ts) count too, so it never goes down.
 */
export async function changeCounts(knex: Knex, contentType: string, documentIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (documentIds.length === 0) return counts;
  const rows = await knex(CHANGE_TABLE)
    .select('document_id')
    .count({ changes: '*' })
    .sum({ folded: 'superseded' })
    .where('content_type', contentType)
    .whereIn('document_id', documentIds)
    .groupBy('document_id');
  for (const row of rows as Array<{ document_id: string; changes: number | string; folded: number | string | null }>) {
    counts.set(row.document_id, Number(row.changes) + Number(row.folded ?? 0));
  }
  return counts;
}
