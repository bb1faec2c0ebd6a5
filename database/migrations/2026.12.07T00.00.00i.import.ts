/**
 * Bulk import (issue 27, item 1; src/lib/import/):
 * - import_documents: one row per document an import made, by its type and the key the NDJSON
 *   line gives it, with the hash of the line's content. A line seen again with the same hash is
 *   skipped (idempotence); later lines find their relations' targets here by key.
 * - import_checkpoints: per imported file (by the SHA-256 of its content), the next line to read.
 *   Advanced in each line's own transaction, so a run stopped anywhere resumes after the last
 *   line that committed, never half-way through one.
 * Internal bookkeeping: tables, not content types, so neither REST nor GraphQL know them.
 */
import type { Knex } from 'knex';

export const IMPORT_DOCUMENTS_TABLE = 'import_documents';
export const IMPORT_CHECKPOINTS_TABLE = 'import_checkpoints';

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable(IMPORT_DOCUMENTS_TABLE))) {
    await knex.schema.createTable(IMPORT_DOCUMENTS_TABLE, (table) => {
      table.increments('id').primary();
      table.string('content_type', 120).notNullable();
      table.string('import_key', 200).notNullable();
      table.string('document_id', 64).notNullable();
      table.string('content_hash', 64).notNullable();
      table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
      table.unique(['content_type', 'import_key'], { indexName: 'import_documents_key_unique' });
    });
  }
  if (!(await knex.schema.hasTable(IMPORT_CHECKPOINTS_TABLE))) {
    await knex.schema.createTable(IMPORT_CHECKPOINTS_TABLE, (table) => {
      table.increments('id').primary();
      table.string('file_hash', 64).notNullable().unique({ indexName: 'import_checkpoints_file_unique' });
      table.string('file_name', 500).notNullable();
      table.integer('next_line').notNullable();
      table.timestamp('started_at', { useTz: true, precision: 3 }).notNullable();
      table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable();
      table.timestamp('finished_at', { useTz: true, precision: 3 }).nullable();
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists(IMPORT_CHECKPOINTS_TABLE);
  await knex.schema.dropTableIfExists(IMPORT_DOCUMENTS_TABLE);
}
