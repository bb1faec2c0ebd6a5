/**
 * The change log behind the sync feed, the webhooks and the response cache: one row per change
 * to public content (a published version appearing, being replaced, unpublished or deleted).
 * This file is the log's one way in: `appendChanges` stores changes (change-store.ts, which also
 * holds the reads) and tells whoever subscribed. The changes themselves come from a write rule
 * (public-changes.ts), in the same transaction as the write, on every write path.
 *
 * The log knows none of its consumers: they subscribe with `onChangeLog` (all in src/index.ts),
 * either inside the writing transaction (the webhook outbox: a delivery exists if and only if
 * its change committed) or after the commit (the response cache, CDN purges).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { insertChanges, type Change, type LoggedChange } from './change-store';
import { touchedKeysOf } from './touched';

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
 * Adds to each change what it touches (touched.ts), from its relations after the write and what
 * the writer found before it (`change.touched`, if any), so that every consumer drops the same
 * answers.
 */
async function withTouched(strapi: Core.Strapi, trx: Knex.Transaction, changes: Change[]): Promise<Change[]> {
  const after = new Map<string, Set<string>>();
  const byType = new Map<string, Set<string>>();
  for (const change of changes) byType.set(change.contentType, (byType.get(change.contentType) ?? new Set<string>()).add(change.documentId));
  for (const [contentType, documentIds] of byType) {
    for (const [documentId, keys] of await touchedKeysOf(strapi, trx, contentType, [...documentIds])) after.set(`${contentType}|${documentId}`, keys);
  }
  return changes.map((change) => {
    const now = after.get(`${change.contentType}|${change.documentId}`)!;
    const before = change.touched ? new Set(change.touched) : undefined;
    // An edit of a document that stays public: answers that show it contain its doc: key
    // already; only documents whose links to it were made or dropped gain or lose it. A
    // document appearing or going (or one whose earlier state nobody read): every related one.
    const keys =
      before && change.action === 'updated'
        ? [...now, ...before].filter((key) => key.startsWith('slug:') || before.has(key) !== now.has(key))
        : [...(before ?? []), ...now];
    return { ...change, touched: [...new Set(keys)].sort() };
  });
}

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
): Promise<void> {
  if (changes.length === 0) return;
  const batch = BATCHES.get(trx);
  if (batch) {
    batch.changes.push(...changes);
    return;
  }
  await tell(strapi, trx, await insertChanges(trx, await withTouched(strapi, trx, changes)), onCommit);
}

/** Tells every listener about `logged`: inside the transaction now, after it commits later. */
async function tell(strapi: Core.Strapi, trx: Knex.Transaction, logged: LoggedChange[], onCommit?: OnCommit): Promise<void> {
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
}

/**
 * A transaction that writes many documents (a bulk import's batch of lines) logs their changes
 * once, at `flush`: what each touches is read for all of them at once (as the batch leaves them),
 * their rows inserted in one statement, in the order they were made, and the listeners (search
 * index, webhook outbox, cache) told once with all of them. A part of the batch rolled back to a
 * savepoint drops its changes with `dropAfter(mark())`. Not flushing (the transaction failing)
 * logs and tells nothing, as a rollback should.
 */
export interface ChangeBatch {
  /** Where the batch is now, for `dropAfter`. */
  mark(): number;
  /** Forgets the changes made after `mark` (their rows were rolled back to a savepoint). */
  dropAfter(mark: number): void;
  /** Logs every change of the batch and tells the listeners; call it last in the transaction. */
  flush(): Promise<void>;
}

const BATCHES = new WeakMap<Knex.Transaction, { changes: Change[] }>();

export function batchChangeLog(strapi: Core.Strapi, trx: Knex.Transaction, onCommit?: OnCommit): ChangeBatch {
  const batch = { changes: [] as Change[] };
  BATCHES.set(trx, batch);
  return {
    mark: () => batch.changes.length,
    dropAfter: (mark) => void batch.changes.splice(mark),
    flush: async () => {
      BATCHES.delete(trx);
      await appendChanges(strapi, trx, batch.changes, onCommit);
    },
  };
}
