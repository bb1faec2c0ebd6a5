/**
 * How this instance learns of the public changes that commit on other instances, so that its
 * cache drops what they touched before serving a hit.
 * - `local`: one instance. Every change commits in this process, whose change-log listener
 *   invalidates right after the commit, before the writer gets its answer; nothing to read.
 * - `database`: several instances on one database. Before a hit is served and before an answer
 *   is built, the change log is read from this instance's last position (what each change
 *   touched, src/lib/sync/touched.ts) and the media library's state, by one query that started
 *   after the request arrived, shared by every request waiting at that moment. A write
 *   acknowledged anywhere has committed, so that query sees it; positions are handed out in
 *   commit order (change-store.ts), so reading from the last one misses nothing.
 */
import type { Core } from '@strapi/strapi';
import { CHANGE_TABLE, touchesAfter } from '../../../lib/sync/change-store';
import { changesTouch, EVERYTHING, type Touched, type TypeGraph } from './dependencies';

export type CoherenceMode = 'local' | 'database';

export interface Coherence {
  readonly mode: CoherenceMode;
  /** Without I/O: true in `local` mode, where this instance already knows every change. */
  readonly upToDate: boolean;
  /** Applies every public change committed before this call (database mode); local: nothing. */
  catchUp(): Promise<void>;
}

const UPLOAD_FILES_TABLE = 'files';
/** More changes than this since the last read: everything is dropped instead of read. */
const MAX_CHANGES_READ = 500;

export function chooseCoherenceMode(configured: '' | CoherenceMode, databaseClient: string): CoherenceMode {
  if (configured) return configured;
  // SQLite serves one instance; PostgreSQL may have several behind a load balancer.
  return databaseClient === 'postgres' || databaseClient === 'pg' ? 'database' : 'local';
}

export function createCoherence(
  strapi: Core.Strapi,
  mode: CoherenceMode,
  cache: { invalidate(touched: Touched): void; typeGraph(): TypeGraph },
): Coherence {
  if (mode === 'local') return { mode, upToDate: true, catchUp: async () => undefined };

  let position: number | undefined;
  let files: string | undefined;

  const readDatabase = async (): Promise<void> => {
    const knex = strapi.db.connection;
    const [row] = (await knex.select(
      knex(CHANGE_TABLE).max('id').as('head'),
      knex(UPLOAD_FILES_TABLE).max('updated_at').as('files_at'),
      knex(UPLOAD_FILES_TABLE).count('*').as('files'),
    )) as Array<{ head: unknown; files_at: unknown; files: unknown }>;
    const head = Number(row?.head ?? 0);
    const filesAt = row?.files_at instanceof Date ? row.files_at.getTime() : String(row?.files_at ?? '');
    const filesNow = `${filesAt}:${String(row?.files ?? 0)}`;

    if (position === undefined) {
      // First read: nothing stored yet was built before it.
      position = head;
      files = filesNow;
      return;
    }
    if (files !== filesNow) {
      files = filesNow;
      cache.invalidate(EVERYTHING);
    }
    if (head <= position) return;
    if (head - position > MAX_CHANGES_READ) {
      position = head;
      cache.invalidate(EVERYTHING);
      return;
    }
    const changes = await touchesAfter(knex, position, head - position);
    if (changes.length > 0) cache.invalidate(changesTouch(changes, cache.typeGraph()));
    position = Math.max(position, ...changes.map((change) => change.position), head);
  };

  // At most one read in flight; a request that arrives while one runs waits for the next one,
  // which starts after it arrived (an earlier one could miss a write it knows of).
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const run = () => {
    const read: Promise<void> = readDatabase().finally(() => {
      if (running === read) running = undefined;
    });
    running = read;
    return read;
  };
  const ignore = () => undefined;

  return {
    mode,
    upToDate: false,
    catchUp() {
      if (!running) return run();
      if (!queued) {
        queued = running.then(ignore, ignore).then(() => {
          queued = undefined;
          return run();
        });
      }
      return queued;
    },
  };
}
