/**
 * Partner matching (issue 13, items 1 and 2): why a partner's reference was matched to one of
 * our documents, which partners' events were linked to an existing event, and the doubtful
 * matches waiting for an editor. Plain tables like the rest of partner sync: private, never
 * served as content.
 *
 * - partner_events.role: `origin` (this push created the event) or `linked` (matched to an event
 *   that already existed: an editor's or another partner's); match_rule/match_score say why.
 * - partner_identities.rule/score: how a partner key or shared name key was first matched.
 * - partner_match_candidates: one row per doubtful pair (what was pushed, which document it may
 *   be, rule, score, evidence), for the review queue; `status` pending until resolved.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('partner_events', 'role'))) {
    await knex.schema.alterTable('partner_events', (table) => {
      table.string('role', 16).notNullable().defaultTo('origin');
      table.string('match_rule', 64).nullable();
      table.float('match_score').nullable();
    });
  }
  if (!(await knex.schema.hasColumn('partner_identities', 'rule'))) {
    await knex.schema.alterTable('partner_identities', (table) => {
      table.string('rule', 64).nullable();
      table.float('score').nullable();
    });
  }
  if (!(await knex.schema.hasTable('partner_match_candidates'))) {
    await knex.schema.createTable('partner_match_candidates', (table) => {
      table.increments('id').primary();
      table.string('kind', 20).notNullable();
      table.string('partner_key', 120).notNullable();
      /** The partner's externalId (events), or its id / normalised name (people, organisations). */
      table.string('external_id', 400).notNullable();
      /** The existing document it may be. */
      table.string('candidate_document_id', 64).notNullable();
      /** The document the push made meanwhile (a namesake person), or null (an event waits unmade). */
      table.string('document_id', 64).nullable();
      table.string('status', 16).notNullable().defaultTo('pending');
      table.string('rule', 64).notNullable();
      table.float('score').notNullable();
      /** JSON: what was compared, side by side. */
      table.text('evidence').notNullable();
      /** JSON: the pushed event as validated (events only), so it can be created on approval. */
      table.text('payload').nullable();
      table.string('payload_hash', 64).nullable();
      table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
      table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable();
      table.unique(['kind', 'partner_key', 'external_id', 'candidate_document_id'], { indexName: 'partner_match_candidates_uq' });
      table.index(['status', 'kind'], 'partner_match_candidates_status_idx');
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('partner_match_candidates');
  await knex.schema.alterTable('partner_identities', (table) => {
    table.dropColumn('rule');
    table.dropColumn('score');
  });
  await knex.schema.alterTable('partner_events', (table) => {
    table.dropColumn('role');
    table.dropColumn('match_rule');
    table.dropColumn('match_score');
  });
}
