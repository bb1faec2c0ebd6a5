/**
 * Keeps the change log from growing forever (issue 27), the way Kafka compacts a topic: a change
 * older than the retention is dropped when the same document and locale has a later change, and
 * an old tombstone (unpublished, deleted) is dropped last. What stays is every change of the
 * retention window, plus the newest change of every document older than it.
 *
 * Why that is enough for each reader of the log:
 * - the feed (api/sync) hands out each document's current public version, never an old one, so a
 *   reader following an old cursor still ends with every document as it is now. Only a dropped
 *   tombstone could be missed: a cursor below `expired_before` (the newest dropped tombstone's
 *   position) is refused with 410, and the client starts a new sync;
 * - the search index (api/search/indexer.ts) re-reads the documents a change names: the newest
 *   change of each is what it needs. An index behind `expired_before` is rebuilt;
 * - the response caches follow the log from their start, minutes behind at most;
 * - an event's change count (the iCalendar SEQUENCE, change-store.ts `changeCounts`) counts the
 *   folded changes too (`superseded`), so it never goes down.
 * The newest row of the whole log is never dropped, so the head position never goes back.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { isPostgres } from '../db/dialect';
import { CHANGE_TABLE } from './change-store';

export const LOG_STATE_TABLE = 'sync_log_state';
const TOMBSTONES = ['unpublished', 'deleted'];
/** Rows handled per statement batch: short transactions beside live writes. */
const BATCH = 1000;
/** Another constant than the change log's own lock ("sync"): "cmpt". */
const COMPACTION_LOCK = 0x636d7074;

export interface CompactionResult {
  /** Changes folded into a later change of the same document and locale. */
  folded: number;
  /** Tombstones older than the retention that were dropped. */
  tombstones: number;
  /** The newest dropped tombstone's position: a reader that has not read up to it missed one (0: none dropped). */
  expiredBefore: number;
}

/**
 * The position of the newest tombstone dropped (0 when none ever was): a reader whose position is
 * below it may have missed one, and must start again.
 */
export async function expiredBefore(knex: Knex): Promise<number> {
  const row = (await knex(LOG_STATE_TABLE).select('expired_before').where({ id: 1 }).first()) as { expired_before: number | string } | undefined;
  return Number(row?.expired_before ?? 0);
}

type KeyRow = { id: number | string; content_type: string; document_id: string; locale: string; superseded: number | string };

/**
 * Compacts the changes that occurred before `before`. Safe beside live writes and on any number
 * of instances (on PostgreSQL one runs at a time; others return at once with nothing done).
 */
export async function compactChangeLog(knex: Knex, before: Date): Promise<CompactionResult> {
  const result: CompactionResult = { folded: 0, tombstones: 0, expiredBefore: 0 };
  if (isPostgres(knex)) {
    // A session lock on one pooled connection, held across the batches' transactions.
    const connection = await knex.client.acquireConnection();
    try {
      const locked = (await knex.raw('select pg_try_advisory_lock(?) as locked', [COMPACTION_LOCK]).connection(connection)) as { rows: Array<{ locked: boolean }> };
      if (!locked.rows[0]?.locked) return { ...result, expiredBefore: await expiredBefore(knex) };
      try {
        return await compact(knex, before, result);
      } finally {
        await knex.raw('select pg_advisory_unlock(?)', [COMPACTION_LOCK]).connection(connection);
      }
    } finally {
      await knex.client.releaseConnection(connection);
    }
  }
  return compact(knex, before, result);
}

async function compact(knex: Knex, before: Date, result: CompactionResult): Promise<CompactionResult> {
  // 1. Changes with a later change of the same document and locale: folded into the newest one.
  for (;;) {
    const rows = (await knex({ c: CHANGE_TABLE })
      .select('c.id', 'c.content_type', 'c.document_id', 'c.locale', 'c.superseded')
      .where('c.occurred_at', '<', before)
      .whereExists(function later() {
        void this.select(1)
          .from({ n: CHANGE_TABLE })
          .whereRaw('n.content_type = c.content_type and n.document_id = c.document_id and n.locale = c.locale and n.id > c.id');
      })
      .orderBy('c.id')
      .limit(BATCH)) as KeyRow[];
    if (rows.length === 0) break;
    const byKey = new Map<string, { row: KeyRow; count: number; ids: number[] }>();
    for (const row of rows) {
      const key = `${row.content_type}\u0000${row.document_id}\u0000${row.locale}`;
      const group = byKey.get(key) ?? { row, count: 0, ids: [] };
      group.count += 1 + Number(row.superseded);
      group.ids.push(Number(row.id));
      byKey.set(key, group);
    }
    await knex.transaction(async (trx) => {
      for (const { row, count, ids } of byKey.values()) {
        // The count goes onto the newest change of the key (a change written meanwhile is newer
        // still: the count moves on when that one is folded in turn).
        const newest = trx(CHANGE_TABLE).max('id').where({ content_type: row.content_type, document_id: row.document_id, locale: row.locale });
        await trx(CHANGE_TABLE).where('id', newest).increment('superseded', count);
        await trx(CHANGE_TABLE).whereIn('id', ids).delete();
      }
    });
    result.folded += rows.length;
  }

  // 2. Tombstones older than the retention (each now its document's only old change), except
  // the newest row of the log: the head never goes back.
  for (;;) {
    const head = knex(CHANGE_TABLE).max('id');
    const rows = (await knex(CHANGE_TABLE)
      .select('id')
      .where('occurred_at', '<', before)
      .whereIn('action', TOMBSTONES)
      .where('id', '<', head)
      .orderBy('id')
      .limit(BATCH)) as Array<{ id: number | string }>;
    if (rows.length === 0) break;
    const ids = rows.map((row) => Number(row.id));
    const last = Math.max(...ids);
    await knex.transaction(async (trx) => {
      await trx(CHANGE_TABLE).whereIn('id', ids).delete();
      // The floor moves with the deletion, in one transaction: no reader sees one without the other.
      const updated = await trx(LOG_STATE_TABLE).where({ id: 1 }).where('expired_before', '<', last).update({ expired_before: last });
      if (updated === 0 && !(await trx(LOG_STATE_TABLE).where({ id: 1 }).first())) await trx(LOG_STATE_TABLE).insert({ id: 1, expired_before: last });
    });
    result.tombstones += ids.length;
  }

  const now = new Date();
  const updated = await knex(LOG_STATE_TABLE).where({ id: 1 }).update({ compacted_at: now });
  if (updated === 0) await knex(LOG_STATE_TABLE).insert({ id: 1, expired_before: 0, compacted_at: now });
  result.expiredBefore = await expiredBefore(knex);
  return result;
}

interface ChangeLogSettings {
  retentionDays: number;
  compactEveryMinutes: number;
}

const settingsOf = (strapi: Core.Strapi) => strapi.config.get('change-log') as ChangeLogSettings;

/** The changes older than this are compacted now. */
export const retentionStart = (strapi: Core.Strapi, now = new Date()) => new Date(now.getTime() - settingsOf(strapi).retentionDays * 86_400_000);

const timers = new WeakMap<Core.Strapi, NodeJS.Timeout>();

/** Compacts every CHANGE_LOG_COMPACT_EVERY_MINUTES (config/change-log.ts), first one interval after start. */
export function startChangeLogCompaction(strapi: Core.Strapi): void {
  const minutes = settingsOf(strapi).compactEveryMinutes;
  if (minutes === 0) return;
  const timer = setInterval(() => {
    compactChangeLog(strapi.db.connection, retentionStart(strapi)).then(
      (result) => {
        if (result.folded + result.tombstones > 0) strapi.log.info(`change log compacted: ${result.folded} changes folded, ${result.tombstones} tombstones dropped`);
      },
      (error: unknown) => strapi.log.warn(`change log compaction failed (the next run tries again): ${error instanceof Error ? error.message : String(error)}`),
    );
  }, minutes * 60_000);
  timer.unref();
  timers.set(strapi, timer);
}

export function stopChangeLogCompaction(strapi: Core.Strapi): void {
  clearInterval(timers.get(strapi));
  timers.delete(strapi);
}
