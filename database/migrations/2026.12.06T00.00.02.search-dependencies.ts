/**
 * What each search index row was built from besides its own document (src/api/search/): the
 * documentIds of the people, quotes, organisations, venues and authors whose text it holds (an
 * article finds "Harbo" through the quote it shows). A change to one of them re-indexes the rows
 * that name it, so renaming a person updates every article quoting her. The index is rebuilt at
 * the next boot (search_state emptied): rows written before this table have no dependencies.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('search_dependencies')) return;
  await knex.schema.createTable('search_dependencies', (table) => {
    table.increments('id');
    table.string('content_type', 100).notNullable();
    table.string('document_id', 64).notNullable();
    table.string('locale', 16).notNullable();
    table.string('depends_on', 64).notNullable();
    table.index(['depends_on'], 'search_dependencies_depends_on_idx');
    table.index(['content_type', 'document_id', 'locale'], 'search_dependencies_row_idx');
  });
  if (await knex.schema.hasTable('search_state')) await knex('search_state').delete();
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('search_dependencies');
}
