/**
 * PostgreSQL only: the search's rank (title above lead above elsewhere, src/api/search/
 * index-store.ts) tested each matching row's title and lead by building their tsvector at query
 * time, for every row that matched: 420 ms p50 on 10,000 bilingual articles (npm run
 * bench:search). They are stored now, beside the weighted `terms`, and filled for existing rows.
 */
import type { Knex } from 'knex';

const isPostgres = (knex: Knex) => ['postgres', 'pg'].includes(String(knex.client.config.client));

export async function up(knex: Knex): Promise<void> {
  if (!isPostgres(knex) || !(await knex.schema.hasTable('search_documents'))) return;
  if (await knex.schema.hasColumn('search_documents', 'title_terms')) return;
  await knex.raw('alter table search_documents add column title_terms tsvector, add column lead_terms tsvector');
  await knex.raw("update search_documents set title_terms = to_tsvector('simple', terms_title), lead_terms = to_tsvector('simple', terms_lead)");
}

export async function down(knex: Knex): Promise<void> {
  if (!isPostgres(knex) || !(await knex.schema.hasTable('search_documents'))) return;
  await knex.raw('alter table search_documents drop column if exists title_terms, drop column if exists lead_terms');
}
