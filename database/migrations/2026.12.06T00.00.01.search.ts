/**
 * The search index (src/api/search/): one row per published document and locale, with its
 * display text and its index terms (stemmed and folded in the app, src/api/search/text.ts),
 * in three weighted fields: title, lead, body. SQLite searches them with an FTS5 table whose
 * rowid is the row's id; PostgreSQL with a weighted tsvector (the 'simple' configuration: the
 * terms are already stems) and a GIN index. search_state keeps which change-log position the
 * index reflects, so a reindex knows where it stands.
 */
import type { Knex } from 'knex';

const isPostgres = (knex: Knex) => ['postgres', 'pg'].includes(String(knex.client.config.client));

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('search_documents'))) {
    await knex.schema.createTable('search_documents', (table) => {
      table.increments('id');
      table.string('content_type', 100).notNullable();
      table.string('document_id', 64).notNullable();
      table.string('locale', 16).notNullable();
      table.string('slug', 255);
      table.text('title').notNullable();
      table.text('lead');
      table.text('body');
      table.timestamp('starts_at', { useTz: true });
      table.timestamp('published_at', { useTz: true });
      table.text('terms_title').notNullable();
      table.text('terms_lead').notNullable();
      table.text('terms_body').notNullable();
      table.unique(['content_type', 'document_id', 'locale'], { indexName: 'search_documents_document_uq' });
      table.index(['document_id'], 'search_documents_document_idx');
    });
    if (isPostgres(knex)) {
      await knex.raw('alter table search_documents add column terms tsvector');
      await knex.raw('create index search_documents_terms_idx on search_documents using gin (terms)');
    } else {
      await knex.raw("create virtual table search_fts using fts5(terms_title, terms_lead, terms_body, tokenize = 'unicode61')");
    }
  }
  if (!(await knex.schema.hasTable('search_state'))) {
    await knex.schema.createTable('search_state', (table) => {
      table.integer('id').primary();
      table.bigInteger('position').notNullable();
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists search_fts');
  await knex.schema.dropTableIfExists('search_documents');
  await knex.schema.dropTableIfExists('search_state');
}
