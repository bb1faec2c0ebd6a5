/** Counts the SQL statements the app sends while `work` runs (knex 'query' events). */
import type { Core } from '@strapi/strapi';

export async function countStatements(
  strapi: Core.Strapi,
  work: () => Promise<unknown>,
  counts: (sql: string) => boolean = () => true,
  matches: (query: { sql: string; __knexTxId?: string }) => boolean = () => true,
): Promise<number> {
  const knex = strapi.db.connection;
  let count = 0;
  const onQuery = (query: { sql: string; __knexTxId?: string }) => {
    if (counts(query.sql) && matches(query)) count++;
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
