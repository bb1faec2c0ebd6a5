/**
 * sync_changes.touched: which other answers a change can alter (issue 23), as a JSON array of
 * dependency keys (`doc:<documentId>` for documents related to the changed one before or after
 * the write, `slug:<plural>:<slug>` for the slugs it was or is published under). Read by the
 * response cache on every instance and by CDN purges, so all of them drop the same answers.
 * Rows logged before this column existed have none: a consumer treats them as touching
 * everything.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('sync_changes', 'touched'))) {
    await knex.schema.alterTable('sync_changes', (table) => {
      table.text('touched').nullable();
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  if (await knex.schema.hasColumn('sync_changes', 'touched')) {
    await knex.schema.alterTable('sync_changes', (table) => {
      table.dropColumn('touched');
    });
  }
}
