/**
 * Owns the query planner's statistics (SQLite's above all).
 *
 * Strapi never runs ANALYZE, and without statistics SQLite guesses: for a default-shape article
 * page it read `articles_cmps` through the index on `field` (a third of the table) instead of the
 * one on `entity_id`, and joined organisations from the wrong side — 2.4 of the 6 ms a 25-article
 * page spent in SQLite. `PRAGMA optimize=0x10002` (SQLite's advice for long-lived connections)
 * analyses every table whose statistics are missing or out of date, with a bounded sample, so it
 * costs milliseconds; run at boot and every few hours as tables grow. PostgreSQL's autovacuum
 * keeps its statistics, except behind a bulk writer (refreshStatistics).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { isPostgres } from './dialect';

const EVERY_MS = 6 * 60 * 60 * 1000;
const TIMER = Symbol.for('innovation-hub.db.sqlite-statistics');

type WithTimer = { [TIMER]?: NodeJS.Timeout };

async function optimize(strapi: Core.Strapi): Promise<void> {
  // 0x10002: consider every table (not only those queried on this connection) and ANALYZE where needed.
  await strapi.db.connection.raw('PRAGMA optimize=0x10002');
}

/** Call from bootstrap (the tables exist); stop with stopSqliteStatistics. No-op on PostgreSQL. */
export async function keepSqliteStatistics(strapi: Core.Strapi): Promise<void> {
  if (isPostgres(strapi.db.connection as Knex)) return;
  await optimize(strapi);
  const timer = setInterval(() => {
    optimize(strapi).catch((error: unknown) => strapi.log.warn(`SQLite statistics: ${(error as Error).message}`));
  }, EVERY_MS);
  timer.unref();
  (strapi as WithTimer)[TIMER] = timer;
}

export function stopSqliteStatistics(strapi: Core.Strapi): void {
  clearInterval((strapi as WithTimer)[TIMER]);
}

/**
 * Fresh planner statistics now, on either database, for a writer that grows tables faster than
 * they are kept (a bulk import: PostgreSQL's autovacuum analyses a table only after 10 % of it
 * changed and a minute has passed, and may be off). Without them PostgreSQL read whole link
 * tables for each batch of an import, which slowed as they grew.
 */
export async function refreshStatistics(knex: Knex): Promise<void> {
  await knex.raw(isPostgres(knex) ? 'analyze' : 'PRAGMA optimize=0x10002');
}
