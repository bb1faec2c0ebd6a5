/**
 * Review and merge (issue 13, item 3):
 * - document_redirects: a merged document's documentId and the document it was merged into, so
 *   REST findOne and GraphQL single queries by the old documentId still answer (src/api/partner/merge/redirects.ts);
 * - sync_changes.merged_into: on the tombstone of a merged document, the documentId it went into
 *   (the feed and webhooks add it as `mergedInto`).
 * Review decisions live in partner_match_candidates.status: `dismissed` ("not the same", never
 * proposed again) and `merged`, beside pending/superseded/withdrawn.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('document_redirects'))) {
    await knex.schema.createTable('document_redirects', (table) => {
      table.increments('id').primary();
      table.string('content_type', 120).notNullable();
      table.string('from_document_id', 64).notNullable();
      table.string('to_document_id', 64).notNullable();
      table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
      table.unique(['content_type', 'from_document_id'], { indexName: 'document_redirects_from_uq' });
      table.index(['to_document_id'], 'document_redirects_to_idx');
    });
  }
  if (!(await knex.schema.hasColumn('sync_changes', 'merged_into'))) {
    await knex.schema.alterTable('sync_changes', (table) => {
      table.string('merged_into', 64).nullable();
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('document_redirects');
  if (await knex.schema.hasColumn('sync_changes', 'merged_into')) {
    await knex.schema.alterTable('sync_changes', (table) => {
      table.dropColumn('merged_into');
    });
  }
}
