/**
 * Which version of the public content an answer was built from, so that a cached answer is
 * served only while no public change has committed since it was made.
 *
 * The version is read *before* the answer is built. A change that commits while the answer is
 * being built moves the version, so that answer (possibly mixing old and new rows) is never
 * served again. A change moves it at commit, before the writer gets its answer:
 * - `local`: a counter bumped by this process's change-log listener right after the commit
 *   (and by media library writes). Exact for a single instance.
 * - `database`: the change log's head (plus the media library's newest change) read from the
 *   database, by one query that started after the request arrived, shared by every request
 *   waiting at that moment. Exact across any number of instances on one database: a write
 *   acknowledged anywhere has committed, so that query sees it.
 */
import type { Core } from '@strapi/strapi';
import { CHANGE_TABLE } from '../sync/change-store';

export type CoherenceMode = 'local' | 'database';

export interface Coherence {
  readonly mode: CoherenceMode;
  /** The current version, reflecting every public change committed before this call. */
  current(): Promise<string>;
  /** Without I/O: the current version in `local` mode, undefined in `database` mode. */
  currentNow(): string | undefined;
  /** A public change committed in this process. */
  bump(): void;
}

const UPLOAD_FILES_TABLE = 'files';

export function chooseCoherenceMode(configured: '' | CoherenceMode, databaseClient: string): CoherenceMode {
  if (configured) return configured;
  // SQLite serves one instance; PostgreSQL may have several behind a load balancer.
  return databaseClient === 'postgres' || databaseClient === 'pg' ? 'database' : 'local';
}

export function createCoherence(strapi: Core.Strapi, mode: CoherenceMode): Coherence {
  let localGeneration = 0;

  if (mode === 'local') {
    return {
      mode,
      current: async () => String(localGeneration),
      currentNow: () => String(localGeneration),
      bump: () => {
        localGeneration++;
      },
    };
  }

  const readDatabaseVersion = async (): Promise<string> => {
    const generation = localGeneration;
    const knex = strapi.db.connection;
    const [row] = (await knex
      .select(
        knex(CHANGE_TABLE).max('id').as('head'),
        knex(UPLOAD_FILES_TABLE).max('updated_at').as('files_at'),
        knex(UPLOAD_FILES_TABLE).count('*').as('files'),
      )) as Array<{ head: unknown; files_at: unknown; files: unknown }>;
    const filesAt = row?.files_at instanceof Date ? row.files_at.getTime() : String(row?.files_at ?? '');
    return `${generation}:${String(row?.head ?? 0)}:${filesAt}:${String(row?.files ?? 0)}`;
  };

  // At most one version query in flight; a request that arrives while one runs waits for the
  // next one, which starts after it arrived (an earlier one could miss a write it knows of).
  let running: Promise<string> | undefined;
  let queued: Promise<string> | undefined;
  const run = () => {
    const query: Promise<string> = readDatabaseVersion().finally(() => {
      if (running === query) running = undefined;
    });
    running = query;
    return query;
  };
  const ignore = () => undefined;

  return {
    mode,
    current() {
      if (!running) return run();
      if (!queued) {
        queued = running.then(ignore, ignore).then(() => {
          queued = undefined;
          return run();
        });
      }
      return queued;
    },
    currentNow: () => undefined,
    bump: () => {
      localGeneration++;
    },
  };
}
