/**
 * Merge records (issue 26, item 1): one row per merge of two documents (src/api/partner/merge/), holding
 * everything needed to undo it within the undo window (config/merge.ts, `MERGE_UNDO_DAYS`):
 * - snapshot: the merged document's full rows before the merge (its main-table rows, components,
 *   relation links and media links), with who each link pointed at, so an undo puts it back;
 * - journal: every row the merge itself wrote elsewhere (the kept document's fields, relations,
 *   components and media; references moved from the merged document; partner mappings, review
 *   candidates, slug history, redirects), with its value before, undone in reverse order;
 * - summary: what was kept, moved, combined and dropped, for the editor (JSON);
 * - versions: the kept document's and every affected document's version right after the merge:
 *   an undo is refused when one has changed since.
 * Internal bookkeeping: a table, not a content type, so neither REST nor GraphQL know it; read
 * only through the admin API under /admin/duplicates/merges (permission api::partner.review-duplicates).
 */
import type { Knex } from 'knex';

export const MERGE_RECORDS_TABLE = 'merge_records';

export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable(MERGE_RECORDS_TABLE)) return;
  await knex.schema.createTable(MERGE_RECORDS_TABLE, (table) => {
    table.increments('id').primary();
    table.string('content_type', 120).notNullable();
    table.string('kept_document_id', 64).notNullable();
    table.string('merged_document_id', 64).notNullable();
    table.integer('candidate_id').nullable();
    table.text('choices').notNullable();
    table.text('summary').notNullable();
    table.text('snapshot', 'longtext').notNullable();
    table.text('journal', 'longtext').notNullable();
    table.text('versions').notNullable();
    table.integer('created_by').nullable();
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
    table.timestamp('expires_at', { useTz: true, precision: 3 }).notNullable();
    table.timestamp('undone_at', { useTz: true, precision: 3 }).nullable();
    table.integer('undone_by').nullable();
    table.index(['content_type', 'kept_document_id'], 'merge_records_kept_idx');
    table.index(['content_type', 'merged_document_id'], 'merge_records_merged_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists(MERGE_RECORDS_TABLE);
}
