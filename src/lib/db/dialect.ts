import type { Knex } from 'knex';

/** Which SQL dialect a connection speaks: PostgreSQL gets row and advisory locks SQLite neither has nor needs. */
export const isPostgres = (knex: Knex) => ['postgres', 'pg'].includes(String(knex.client.config.client));
