/**
 * The change log behind the sync feed and the webhooks: one row per change to public content
 * (a published version appearing, being replaced, unpublished or deleted), written by a Document
 * Service middleware in the same transaction as the change itself, so a change is logged if and
 * only if it commits.
 *
 * Positions must be handed out in commit order, or a reader at position 11 could miss a
 * transaction that took 10 but committed later. On PostgreSQL each writer takes a
 * transaction-scoped advisory lock before its first log insert and holds it to commit, so ids are
 * allocated in commit order across any number of app instances. SQLite has one writer at a time.
 *
 * The log knows none of its consumers: they subscribe with `onChangeLog` (all in src/index.ts),
 * either inside the writing transaction (the webhook outbox: a delivery exists if and only if
 * its change committed) or after the commit (the response cache, CDN purges).
 */
import type { Core, Modules } from '@strapi/strapi';
import type { Knex } from 'knex';
import { PUBLIC_CONTENT_TYPES } from '../access/content-types';
import { isPostgres } from '../db/dialect';

export const CHANGE_TABLE = 'sync_changes';
export const CHANGE_ACTIONS = ['created', 'published', 'updated', 'unpublished', 'deleted'] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

/** Any constant works; this one spells "sync" in ASCII. */
const CHANGE_LOG_LOCK = 0x73796e63;

export interface Change {
  contentType: string;
  documentId: string;
  locale: string;
  action: ChangeAction;
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
}

export function toLoggedChange(row: ChangeRow): LoggedChange {
  return {
    position: Number(row.id),
    contentType: row.content_type,
    documentId: row.document_id,
    locale: row.locale,
    action: row.action,
    occurredAt: new Date(row.occurred_at),
  };
}


/** What a consumer of the change log is told, and when. */
export interface ChangeLogListener {
  /** Inside the writing transaction, after the log rows: a throw rolls the whole write back. */
  inTransaction?(trx: Knex.Transaction, changes: LoggedChange[]): Promise<void>;
  /**
   * Once the transaction has committed, before the writer carries on (so before its answer is
   * sent). Never after a rollback. Must not throw; errors are logged and swallowed.
   */
  afterCommit?(changes: LoggedChange[]): void;
}

// Per app instance (tests boot several in one process), under a registered symbol so that code
// compiled twice (the app from dist/, a test from src/) shares them.
const LISTENERS = Symbol.for('hub.changeLogListeners');
type WithListeners = Core.Strapi & { [LISTENERS]?: ChangeLogListener[] };

/** Subscribes a consumer to every logged change of this app; returns the unsubscribe. */
export function onChangeLog(strapi: Core.Strapi, listener: ChangeLogListener): () => void {
  const app = strapi as WithListeners;
  const listeners = (app[LISTENERS] ??= []);
  listeners.push(listener);
  return () => {
    const index = listeners.indexOf(listener);
    if (index >= 0) listeners.splice(index, 1);
  };
}

/** Registers a callback for the commit of the transaction a change was logged in. */
export type OnCommit = (callback: () => void) => void;

/**
 * Appends changes inside the caller's transaction and tells the listeners. `onCommit` is
 * Strapi's (from `strapi.db.transaction`), which runs callbacks right after the outermost
 * commit; a plain knex transaction falls back to its execution promise.
 */
export async function appendChanges(
  strapi: Core.Strapi,
  trx: Knex.Transaction,
  changes: Change[],
  onCommit?: OnCommit,
): Promise<LoggedChange[]> {
  if (changes.length === 0) return [];
  if (isPostgres(trx)) await trx.raw('select pg_advisory_xact_lock(?)', [CHANGE_LOG_LOCK]);
  const occurredAt = new Date();
  const logged: LoggedChange[] = [];
  // One insert per row keeps ids in array order on every database (multi-row RETURNING does
  // not promise an order on SQLite).
  for (const change of changes) {
    const [row] = await trx(CHANGE_TABLE)
      .insert({
        content_type: change.contentType,
        document_id: change.documentId,
        locale: change.locale,
        action: change.action,
        occurred_at: occurredAt,
      })
      .returning('id');
    const id = typeof row === 'object' ? row.id : row;
    logged.push({ ...change, position: Number(id), occurredAt });
  }
  const listeners = [...((strapi as WithListeners)[LISTENERS] ?? [])];
  for (const listener of listeners) await listener.inTransaction?.(trx, logged);
  const committed = () => {
    for (const listener of listeners) {
      try {
        listener.afterCommit?.(logged);
      } catch (error) {
        strapi.log.error(`[change-log] an after-commit listener failed: ${(error as Error).message}`);
      }
    }
  };
  if (onCommit) onCommit(committed);
  else trx.executionPromise.then(committed, () => undefined);
  return logged;
}

/** The newest position, or 0 on an empty log. */
export async function headPosition(knex: Knex): Promise<number> {
  const row = await knex(CHANGE_TABLE).max({ head: 'id' }).first();
  return Number(row?.head ?? 0);
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

/** How many public changes each document has had: the iCalendar SEQUENCE. */
export async function changeCounts(knex: Knex, contentType: string, documentIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (documentIds.length === 0) return counts;
  const rows = await knex(CHANGE_TABLE)
    .select('document_id')
    .count({ changes: '*' })
    .where('content_type', contentType)
    .whereIn('document_id', documentIds)
    .groupBy('document_id');
  for (const row of rows as Array<{ document_id: string; changes: number | string }>) {
    counts.set(row.document_id, Number(row.changes));
  }
  return counts;
}

// --- Recording changes from Document Service writes -------------------------------------------

const WRITE_ACTIONS = new Set(['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft']);
const LOGGED_TYPES = new Set<string>(PUBLIC_CONTENT_TYPES);

interface PublicVersion {
  id: number;
  locale: string;
  updatedAt: string | Date | null;
}

/** The published rows of a document, by locale: what the public can currently see. */
async function publicVersions(strapi: Core.Strapi, uid: string, documentId: string): Promise<Map<string, PublicVersion>> {
  const rows = (await strapi.db.query(uid as any).findMany({
    where: { documentId, publishedAt: { $notNull: true } },
    select: ['id', 'locale', 'updatedAt'],
  })) as PublicVersion[];
  return new Map(rows.map((row) => [row.locale, row]));
}

/** What changed for the public between two sets of published versions of one document. */
export function diffPublicVersions(
  before: Map<string, PublicVersion>,
  after: Map<string, PublicVersion>,
  context: { contentType: string; documentId: string; draftAndPublish: boolean; deleting: boolean },
): Change[] {
  const changes: Change[] = [];
  const base = { contentType: context.contentType, documentId: context.documentId };
  for (const [locale, version] of after) {
    const previous = before.get(locale);
    if (!previous) {
      changes.push({ ...base, locale, action: context.draftAndPublish ? 'published' : 'created' });
    } else if (previous.id !== version.id || String(previous.updatedAt) !== String(version.updatedAt)) {
      changes.push({ ...base, locale, action: 'updated' });
    }
  }
  for (const locale of before.keys()) {
    if (!after.has(locale)) {
      changes.push({ ...base, locale, action: context.deleting || !context.draftAndPublish ? 'deleted' : 'unpublished' });
    }
  }
  return changes.sort((a, b) => a.locale.localeCompare(b.locale));
}

/**
 * Document Service middleware: compares a document's published versions before and after each
 * write and logs the difference, in one transaction with the write (joining the caller's
 * transaction when there is one).
 */
export function recordPublicChanges(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    if (!WRITE_ACTIONS.has(context.action) || !LOGGED_TYPES.has(context.uid)) return next();
    const uid = context.uid;
    const draftAndPublish = Boolean(strapi.contentType(uid)?.options?.draftAndPublish);
    const params = context.params as { documentId?: string };

    return strapi.db.transaction(async ({ trx, onCommit }) => {
      const before = params.documentId ? await publicVersions(strapi, uid, params.documentId) : new Map();
      const result = await next();
      const documentId = params.documentId ?? (result as { documentId?: string } | null)?.documentId;
      if (!documentId) return result;
      const after = await publicVersions(strapi, uid, documentId);
      const changes = diffPublicVersions(before, after, {
        contentType: uid,
        documentId,
        draftAndPublish,
        deleting: context.action === 'delete',
      });
      await appendChanges(strapi, trx as Knex.Transaction, changes, onCommit);
      return result;
    });
  };
}
