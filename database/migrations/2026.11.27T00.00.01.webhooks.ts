/**
 * Webhook tables: who wants which changes where (subscriptions, with their signing secrets) and
 * the outbox of deliveries the worker sends (src/lib/webhooks/). Plain tables, like the change
 * log: nobody edits them in the admin and none is served as content.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('webhook_subscriptions'))) {
    await knex.schema.createTable('webhook_subscriptions', (table) => {
      table.increments('id').primary();
      // 'partner' (owner_key = the partner's key) or 'integration' (owner_key = a name from the CLI).
      table.string('owner_kind', 20).notNullable();
      table.string('owner_key', 120).notNullable();
      table.string('url', 2000).notNullable();
      // JSON lists; null means "all".
      table.text('event_types').nullable();
      table.text('content_types').nullable();
      table.text('locales').nullable();
      // JSON list of { secret: 'whsec_…', createdAt, expiresAt | null }: every unexpired one signs.
      table.text('secrets').notNullable();
      table.boolean('active').notNullable().defaultTo(true);
      table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
      table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable();
      table.index(['owner_kind', 'owner_key'], 'webhook_subscriptions_owner_idx');
    });
  }

  if (!(await knex.schema.hasTable('webhook_deliveries'))) {
    await knex.schema.createTable('webhook_deliveries', (table) => {
      table.bigIncrements('id').primary();
      table
        .integer('subscription_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('webhook_subscriptions')
        .onDelete('CASCADE');
      // The change's position in the feed (sync_changes.id).
      table.bigInteger('change_position').notNullable();
      // The Standard Webhooks `webhook-id`: the same on every attempt, so receivers can deduplicate.
      table.string('message_id', 80).notNullable();
      table.text('payload').notNullable();
      // pending | delivered | dead
      table.string('status', 16).notNullable();
      table.integer('attempts').notNullable().defaultTo(0);
      table.timestamp('next_attempt_at', { useTz: true, precision: 3 }).notNullable();
      // A worker's lease on the row while it delivers it.
      table.string('locked_by', 64).nullable();
      table.timestamp('locked_until', { useTz: true, precision: 3 }).nullable();
      table.integer('last_status').nullable();
      table.string('last_error', 500).nullable();
      table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
      table.timestamp('delivered_at', { useTz: true, precision: 3 }).nullable();
      table.unique(['subscription_id', 'change_position'], { indexName: 'webhook_deliveries_change_uq' });
      // The worker's claim: pending rows that are due, oldest first.
      table.index(['status', 'next_attempt_at'], 'webhook_deliveries_due_idx');
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('webhook_deliveries');
  await knex.schema.dropTableIfExists('webhook_subscriptions');
}
