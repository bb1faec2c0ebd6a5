/** Counts the SQL statements the app sends while `work` runs (knex 'query' events). */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

export async function countStatements(
  strapi: Core.Strapi,
  work: () => Promise<unknown>,
  counts: (sql: string) => boolean = () => true,
  matches: (query: { sql: string; __knexTxId?: string }) => boolean = () => true,
  /** Receives each counted statement, for a failure message that shows what differed. */
  seen?: string[],
): Promise<number> {
  const knex = strapi.db.connection;
  let count = 0;
  const onQuery = (query: { sql: string; __knexTxId?: string }) => {
    if (!counts(query.sql) || !matches(query)) return;
    count++;
    seen?.push(query.sql);
  };
  knex.on('query', onQuery);
  try {
    await work();
  } finally {
    knex.off('query', onQuery);
  }
  return count;
}

const WRITE_STATEMENT = /^\s*(insert|update|delete)\b/i;

/** Counts the INSERT/UPDATE/DELETE statements sent while `work` runs. */
export const countWrites = (strapi: Core.Strapi, work: () => Promise<unknown>) =>
  countStatements(strapi, work, (sql) => WRITE_STATEMENT.test(sql));

/**
 * Counts per run of `work`, for an assertion that they are all the same. When they are not, each
 * run's statements are printed (a count that varies is a batch that split or a statement from
 * elsewhere, such as a timer's job: the list says which).
 */
export async function statementCountsPerRun(strapi: Core.Strapi, runs: Array<() => Promise<unknown>>): Promise<{ counts: number[] }> {
  const counts: number[] = [];
  const lists: string[][] = [];
  for (const work of runs) {
    const seen: string[] = [];
    counts.push(await countStatements(strapi, work, undefined, undefined, seen));
    lists.push(seen);
  }
  if (new Set(counts).size !== 1) {
    const statements = lists.map((list, index) => `run ${index + 1} (${list.length}):\n  ${list.map((sql) => sql.slice(0, 200)).join('\n  ')}`);
    console.log(`statement counts ${counts.join(', ')} differ:\n${statements.join('\n')}`);
  }
  return { counts };
}

export interface SentStatement {
  sql: string;
  bindings: unknown[];
}

/** The statements the app sends while `work` runs, with their bindings (for EXPLAIN or a closer look). */
export async function statementsSent(strapi: Core.Strapi, work: () => Promise<unknown>): Promise<SentStatement[]> {
  const seen: SentStatement[] = [];
  const onQuery = (query: { sql: string; bindings?: unknown[] }) => seen.push({ sql: query.sql, bindings: query.bindings ?? [] });
  strapi.db.connection.on('query', onQuery);
  try {
    await work();
  } finally {
    strapi.db.connection.off('query', onQuery);
  }
  return seen;
}

export interface PlanOptions {
  /**
   * PostgreSQL plans as if sorting rows cost more than any other way (`enable_sort = off`):
   * whether an index can give the statement's order. On a test's thousand rows sorting them is
   * as cheap as walking an index, and the planner's choice between the two turns on its
   * statistics; at 100,000 it walks the index (docs/scale.md). Without such an index the plan
   * still sorts, and a check for the index fails.
   */
  sortsAsLastResort?: boolean;
}

/** The database's plan for a statement as the app sent it (EXPLAIN; SQLite's EXPLAIN QUERY PLAN). */
export async function planOf(strapi: Core.Strapi, { sql, bindings }: SentStatement, options: PlanOptions = {}): Promise<string> {
  const knex = strapi.db.connection as Knex;
  if (strapi.db.dialect.client === 'sqlite') {
    const rows = (await knex.raw(`explain query plan ${sql}`, bindings as Knex.RawBinding[])) as Array<{ detail: string }>;
    return rows.map((row) => row.detail).join('\n');
  }
  return knex.transaction(async (trx) => {
    if (options.sortsAsLastResort) await trx.raw('set local enable_sort = off');
    // The statement as sent has PostgreSQL's $n placeholders; knex.raw takes ?.
    const result = (await trx.raw(`explain ${sql.replace(/\$\d+/g, '?')}`, bindings as Knex.RawBinding[])) as { rows: Array<{ 'QUERY PLAN': string }> };
    return result.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}
