/** Counts the SQL statements the app sends while `work` runs (knex 'query' events). */
import type { Core } from '@strapi/strapi';

export async function countStatements(strapi: Core.Strapi, work: () => Promise<unknown>): Promise<number> {
  const knex = strapi.db.connection;
  let count = 0;
  const onQuery = () => {
    count++;
  };
  knex.on('query', onQuery);
  try {
    await work();
  } finally {
    knex.off('query', onQuery);
  }
  return count;
}
