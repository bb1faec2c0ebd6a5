/**
 * partner_events' indexes, for event matching's probe "is this event one of the pushing
 * partner's own?" (`NOT EXISTS (... where document_id = events.document_id and partner_key = ?)`,
 * once per event in the start-time window):
 * - (document_id) becomes (document_id, partner_key): the probe is one index lookup;
 * - the unique (partner_key, external_id) becomes (external_id, partner_key), same columns and
 *   guarantee, so that no index starts with partner_key alone. Without statistics (a table
 *   filled in one import before PostgreSQL's autovacuum analysed it, or with autovacuum off)
 *   the planner rated both indexes alike and took the unique one for the probe, reading all of
 *   the partner's mappings for every event in the window: 16 ms a push at 1,000 events, against
 *   0.9 ms through the lookup.
 * - (role, partner_key): the calendar's partner programme (`.ics?partner=`) reads a partner's
 *   linked events by these; it does not start with partner_key either.
 * Every other read of the table gives external_id (with partner_key) or document_id.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index if not exists partner_events_document_partner_idx on partner_events (document_id, partner_key)');
  await knex.raw('drop index if exists partner_events_document_idx');
  await knex.raw('create index if not exists partner_events_role_partner_idx on partner_events (role, partner_key)');
  await knex.schema.alterTable('partner_events', (table) => {
    table.unique(['external_id', 'partner_key'], { indexName: 'partner_events_external_partner_uq' });
  });
  await knex.schema.alterTable('partner_events', (table) => {
    table.dropUnique(['partner_key', 'external_id'], 'partner_events_external_uq');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists partner_events_role_partner_idx');
  await knex.schema.alterTable('partner_events', (table) => {
    table.unique(['partner_key', 'external_id'], { indexName: 'partner_events_external_uq' });
  });
  await knex.schema.alterTable('partner_events', (table) => {
    table.dropUnique(['external_id', 'partner_key'], 'partner_events_external_partner_uq');
  });
  await knex.raw('create index if not exists partner_events_document_idx on partner_events (document_id)');
  await knex.raw('drop index if exists partner_events_document_partner_idx');
}
