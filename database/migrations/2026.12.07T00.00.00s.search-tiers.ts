/**
 * PostgreSQL only: the search reads its rank's tiers by index (src/api/search/index-store.ts,
 * lookUpPostgres) instead of ranking every matching row (160 ms p50 on 10,000 bilingual articles,
 * npm run bench:search).
 *
 * - GIN indexes on the title and the lead vectors, beside the one on the weighted whole; all
 *   three without a pending list (fastupdate off): a write puts its words in the index at once,
 *   so a search never also reads up to 4 MB of unsorted entries (which only VACUUM flushed).
 * - Each vector also holds the row's locale and type as lexemes ('~locale:da',
 *   '~type:api::article.article'), so the GIN index alone answers the whole match, and is the
 *   only plan the search leaves PostgreSQL.
 * - Narrow rows: past 128 bytes a row's long values (body, its terms, the weighted vector, the
 *   texts) go to TOAST, while its key and the title and lead vectors, which the tiers test row by
 *   row, stay in the row (storage main). A search reads a match's row for its date and key: ~750
 *   bytes instead of ~5 kB.
 *
 * Existing rows get the lexemes (and the narrow layout: an update writes each row anew) here.
 */
import type { Knex } from 'knex';

const isPostgres = (knex: Knex) => ['postgres', 'pg'].includes(String(knex.client.config.client));

/** What a search reads of every match: its key (a fallback's look for the other locale) and the tiers' vectors. */
const IN_ROW = ['content_type', 'document_id', 'locale', 'slug', 'title_terms', 'lead_terms'];

const LEXEMES = "array_to_tsvector(array['~locale:' || locale, '~type:' || content_type]::text[])";

export async function up(knex: Knex): Promise<void> {
  if (!isPostgres(knex) || !(await knex.schema.hasTable('search_documents'))) return;
  const done = await knex.raw("select 1 from pg_indexes where tablename = 'search_documents' and indexname = 'search_documents_title_terms_idx'");
  if ((done as { rows: unknown[] }).rows.length > 0) return;
  await knex.raw('alter table search_documents set (toast_tuple_target = 128)');
  await knex.raw(`alter table search_documents ${IN_ROW.map((column) => `alter column ${column} set storage main`).join(', ')}`);
  // The rows first, then the indexes: building a GIN index is far faster than 20,000 inserts into one.
  await knex.raw('drop index if exists search_documents_terms_idx');
  await knex.raw(
    'update search_documents set ' +
      `terms = setweight(to_tsvector('simple', terms_title), 'A') || setweight(to_tsvector('simple', terms_lead), 'B') || setweight(to_tsvector('simple', terms_body), 'C') || ${LEXEMES}, ` +
      `title_terms = to_tsvector('simple', terms_title) || ${LEXEMES}, ` +
      `lead_terms = to_tsvector('simple', terms_lead) || ${LEXEMES}`,
  );
  await knex.raw('create index search_documents_terms_idx on search_documents using gin (terms) with (fastupdate = off)');
  await knex.raw('create index search_documents_title_terms_idx on search_documents using gin (title_terms) with (fastupdate = off)');
  await knex.raw('create index search_documents_lead_terms_idx on search_documents using gin (lead_terms) with (fastupdate = off)');
  await knex.raw('analyze search_documents');
}

export async function down(knex: Knex): Promise<void> {
  if (!isPostgres(knex) || !(await knex.schema.hasTable('search_documents'))) return;
  await knex.raw('drop index if exists search_documents_title_terms_idx');
  await knex.raw('drop index if exists search_documents_lead_terms_idx');
  await knex.raw('drop index if exists search_documents_terms_idx');
  await knex.raw('alter table search_documents reset (toast_tuple_target)');
  await knex.raw(`alter table search_documents ${IN_ROW.map((column) => `alter column ${column} set storage extended`).join(', ')}`);
  await knex.raw(
    'update search_documents set ' +
      "terms = setweight(to_tsvector('simple', terms_title), 'A') || setweight(to_tsvector('simple', terms_lead), 'B') || setweight(to_tsvector('simple', terms_body), 'C'), " +
      "title_terms = to_tsvector('simple', terms_title), lead_terms = to_tsvector('simple', terms_lead)",
  );
  await knex.raw('create index search_documents_terms_idx on search_documents using gin (terms)');
}
