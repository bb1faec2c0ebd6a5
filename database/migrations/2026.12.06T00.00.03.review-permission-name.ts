/**
 * The review queue's admin permission is renamed from `api::duplicates.review` (a folder that
 * never existed) to `api::partner.review-duplicates` (src/api/partner/merge/admin-routes.ts). A role that
 * was given the old one keeps the right: its rows are renamed before Strapi's bootstrap, which
 * deletes permissions of actions no longer registered.
 */
import type { Knex } from 'knex';

export const OLD_ACTION = 'api::duplicates.review';
export const NEW_ACTION = 'api::partner.review-duplicates';

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('admin_permissions'))) return;
  await knex('admin_permissions').where({ action: OLD_ACTION }).update({ action: NEW_ACTION });
}

export async function down(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('admin_permissions'))) return;
  await knex('admin_permissions').where({ action: NEW_ACTION }).update({ action: OLD_ACTION });
}
