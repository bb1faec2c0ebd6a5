/**
 * PostgreSQL only: a GIN index of the title vectors per locale (the site's two, da and en, as at
 * this migration). A search counts a tier up to 1,000 before it pages (src/api/search/index-store.ts,
 * wholeWordsFirst); in the one index of every locale, "these words in Danish" is the word's
 * matches in both languages checked against the Danish lexeme's posting tree, which holds every
 * Danish row (3.7 ms for "energi" at 100,000 articles); in the Danish rows' own index it is the
 * word's Danish matches alone (1.5 ms).
 */
import type { Knex } from 'knex';

const isPostgres = (knex: Knex) => ['postgres', 'pg'].includes(String(knex.client.config.client));
const LOCALES = ['da', 'en'];

export async function up(knex: Knex): Promise<void> {
  if (!isPostgres(knex) || !(await knex.schema.hasTable('search_documents'))) return;
  for (const locale of LOCALES) {
    await knex.raw(`create index if not exists search_documents_title_terms_${locale}_idx on search_documents using gin (title_terms) with (fastupdate = off) where locale = '${locale}'`);
  }
}

export async function down(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return;
  for (const locale of LOCALES) await knex.raw(`drop index if exists search_documents_title_terms_${locale}_idx`);
}
