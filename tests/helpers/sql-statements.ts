/** Counts the SQL statements the app sends while `work` runs (knex 'query' events). */
import type { Core } from '@strapi/strapi';

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
