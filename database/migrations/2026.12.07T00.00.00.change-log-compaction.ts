/**
 * Change-log compaction (src/lib/sync/compaction.ts, issue 27):
 * - sync_changes.superseded: how many earlier changes of the same document and locale were
 *   folded into this row, so a document's change count (the iCalendar SEQUENCE) never goes down;
 * - sync_log_state: one row: `expired_before`, the position of the newest tombstone dropped (a
 *   feed cursor below it is refused), and when the log was last compacted.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('sync_changes', 'superseded'))) {
    await knex.schema.alterTable('sync_changes', (table) => {
      table.integer('superseded').notNullable().defaultTo(0);
    });
  }
  if (!(await knex.schema.hasTable('sync_log_state'))) {
    await knex.schema.createTable('sync_log_state', (table) => {
      table.integer('id').primary();
      table.bigInteger('expired_before').notNullable().defaultTo(0);
      table.timestamp('compacted_at', { useTz: true }).nullable();
    });
  }
  // Finding a document's later change: by its key and position.
  await knex.schema.alterTable('sync_changes', (table) => {
    table.index(['content_type', 'document_id', 'locale', 'id'], 'sync_changes_key_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_changes', (table) => {
    table.dropIndex(['content_type', 'document_id', 'locale', 'id'], 'sync_changes_key_idx');
    table.dropColumn('superseded');
  });
  await knex.schema.dropTableIfExists('sync_log_state');
}
