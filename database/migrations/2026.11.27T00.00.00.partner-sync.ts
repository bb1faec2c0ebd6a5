/**
 * Tables behind partner sync that are not content: the change log (the feed's positions),
 * partners' event mappings, their own ids for people/organisations/venues, and idempotency keys.
 * Plain tables, not content types: nobody edits them in the admin and none is served as content.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('sync_changes'))) {
    await knex.schema.createTable('sync_changes', (table) => {
      // The position in the feed: assigned in commit order (see src/lib/sync/change-store.ts).
      table.bigIncrements('id').primary();
      table.string('content_type', 120).notNullable();
      table.string('document_id', 64).notNullable();
      table.string('locale', 16).notNullable();
      table.string('action', 16).notNullable();
      table.timestamp('occurred_at', { useTz: true, precision: 3 }).notNullable();
      table.index(['content_type', 'document_id'], 'sync_changes_document_idx');
    });
  }

  if (!(await knex.schema.hasTable('partner_events'))) {
    await knex.schema.createTable('partner_events', (table) => {
      table.increments('id').primary();
      table.string('partner_key', 120).notNullable();
      table.string('external_id', 200).notNullable();
      table.string('document_id', 64).notNullable();
      table.string('payload_hash', 64).notNullable();
      table.integer('version').notNullable();
      table.timestamp('withdrawn_at', { useTz: true, precision: 3 }).nullable();
      table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable();
      table.unique(['partner_key', 'external_id'], { indexName: 'partner_events_external_uq' });
      table.index(['document_id'], 'partner_events_document_idx');
    });
  }

  if (!(await knex.schema.hasTable('partner_identities'))) {
    await knex.schema.createTable('partner_identities', (table) => {
      table.increments('id').primary();
      table.string('partner_key', 120).notNullable();
      table.string('kind', 20).notNullable();
      table.string('external_id', 200).notNullable();
      table.string('document_id', 64).notNullable();
      table.unique(['partner_key', 'kind', 'external_id'], { indexName: 'partner_identities_uq' });
    });
  }

  if (!(await knex.schema.hasTable('partner_idempotency_keys'))) {
    await knex.schema.createTable('partner_idempotency_keys', (table) => {
      table.increments('id').primary();
      table.string('partner_key', 120).notNullable();
      table.string('idempotency_key', 200).notNullable();
      table.string('request_hash', 64).notNullable();
      table.integer('status').notNullable();
      table.text('response').notNullable();
      table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
      table.unique(['partner_key', 'idempotency_key'], { indexName: 'partner_idempotency_uq' });
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['partner_idempotency_keys', 'partner_identities', 'partner_events', 'sync_changes']) {
    await knex.schema.dropTableIfExists(table);
  }
}
