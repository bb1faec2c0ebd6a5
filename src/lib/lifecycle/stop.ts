/**
 * Owns the one clean way to end a Strapi instance of this app, whoever ends it: the signal drain
 * (./drain.ts), the one-off commands in scripts/ (seed, partner, webhook, contract, bench...) and
 * the tests' helpers all call `stopStrapi`.
 *
 * Why not `strapi.destroy()` alone: Strapi runs a query after each commit without awaiting it (a
 * findOne per written entry, for its document events; @strapi/database runs commit callbacks with
 * forEach). Destroying the pool while one of them still waits for a connection aborts it (tarn's
 * "Error: aborted"), nobody catches that, and the process ends with exit 1: `npm run seed` on
 * PostgreSQL did so every time. So: stop the webhook worker, wait until the database has been
 * quiet for a moment, then destroy.
 */
import type { Core } from '@strapi/strapi';
import { stopWebhookWorker } from '../webhooks/worker';

// On the strapi instance under registry symbols, so a second copy of this module (the tests load
// src/ while the app runs from dist/) sees the same state.
const QUERIES = Symbol.for('innovation-hub.lifecycle.queries');
const STOPPING = Symbol.for('innovation-hub.lifecycle.stopping');

interface QueryActivity {
  /** Resolves once no query is in flight and none has started or ended for `quietMs` (at most `maxWaitMs`). */
  quiet(options?: { quietMs?: number; maxWaitMs?: number }): Promise<void>;
}
type WithLifecycle = Core.Strapi & { [QUERIES]?: QueryActivity; [STOPPING]?: boolean };

const TRANSACTION_STATEMENT = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i;
type KnexQuery = { __knexQueryUid?: string; sql?: string } | undefined;

/**
 * Starts counting the queries in flight on Strapi's connection. Call from register(), before
 * any write: a query that started before it would not be waited for.
 */
export function trackQueryActivity(strapi: Core.Strapi): QueryActivity {
  const holder = strapi as WithLifecycle;
  if (holder[QUERIES]) return holder[QUERIES];
  const knex = strapi.db.connection;
  const inFlight = new Set<string>();
  let lastActivity = Date.now();
  knex.on('query', (query: KnexQuery) => {
    // Transaction statements (BEGIN, COMMIT...) get no response event: activity only.
    if (query?.__knexQueryUid && !TRANSACTION_STATEMENT.test(query.sql ?? '')) inFlight.add(query.__knexQueryUid);
    lastActivity = Date.now();
  });
  const settle = (query: KnexQuery) => {
    if (query?.__knexQueryUid) inFlight.delete(query.__knexQueryUid);
    lastActivity = Date.now();
  };
  knex.on('query-response', (_response: unknown, query: KnexQuery) => settle(query));
  knex.on('query-error', (_error: unknown, query: KnexQuery) => settle(query));
  // A moment of silence, not just none in flight: the after-commit queries wait for a pool
  // connection before they count as started.
  const activity: QueryActivity = {
    async quiet({ quietMs = 300, maxWaitMs = 5000 } = {}) {
      const deadline = Date.now() + maxWaitMs;
      while ((inFlight.size > 0 || Date.now() - lastActivity < quietMs) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
  holder[QUERIES] = activity;
  return activity;
}

/** Waits until the database has gone quiet (see trackQueryActivity); at once if nothing tracks it. */
export async function databaseQuiet(strapi: Core.Strapi, options?: { quietMs?: number; maxWaitMs?: number }): Promise<void> {
  await (strapi as WithLifecycle)[QUERIES]?.quiet(options);
}

/** True once `stopStrapi` has begun on this instance: what fails from then on is the shutdown's doing. */
export const isStopping = (strapi: Core.Strapi): boolean => (strapi as WithLifecycle)[STOPPING] === true;

/**
 * Ends the instance cleanly on both databases: the webhook worker finishes its current delivery,
 * the queries nobody awaits finish, then `strapi.destroy()`. (An instance whose load() failed
 * has nothing to wait for: destroy it directly.)
 */
export async function stopStrapi(strapi: Core.Strapi, options?: { quietMs?: number; maxWaitMs?: number }): Promise<void> {
  (strapi as WithLifecycle)[STOPPING] = true;
  await stopWebhookWorker(strapi);
  await databaseQuiet(strapi, options);
  await strapi.destroy();
}
