/**
 * The review queue's permission names the API folder of its feature (issue 25: it named
 * `api::duplicates.review`, a folder that never existed), and a role given it under the old name
 * keeps it across the upgrade: the migration renames the rows before Strapi's bootstrap would
 * delete permissions of an action no longer registered.
 */
import fs from 'fs';
import path from 'path';
import { startApp, type TestApp } from '../helpers/app';
import { loginWithRole } from '../helpers/admin';
import { REVIEW_ACTION } from '../../src/api/partner/merge/admin-routes';
import { NEW_ACTION, OLD_ACTION } from '../../database/migrations/2026.12.06T00.00.03.review-permission-name';

const MIGRATION = '2026.12.06T00.00.03.review-permission-name';
let app: TestApp | undefined;

afterAll(async () => {
  await app?.stop();
});

it('names an API folder that exists', () => {
  expect(REVIEW_ACTION).toBe(NEW_ACTION);
  const folder = /^api::([^.]+)\./.exec(REVIEW_ACTION)?.[1];
  expect(folder && fs.existsSync(path.join(__dirname, '../../src/api', folder))).toBe(true);
});

it('a role given the permission under its old name keeps the review queue after the upgrade', async () => {
  const first = await startApp();
  const roles = first.strapi.service('admin::role');
  const role = await roles.create({ name: 'Partnerkoordinator', description: 'reviews duplicates only' });
  await roles.assignPermissions(role.id, [{ action: REVIEW_ACTION, subject: null, conditions: [], properties: {} }]);
  // The database as an older release left it: the old action name, the rename not yet run.
  const knex = first.strapi.db.connection;
  expect(await knex('admin_permissions').where({ action: REVIEW_ACTION }).update({ action: OLD_ACTION })).toBeGreaterThan(0);
  const migrations = (await knex.schema.hasTable('strapi_migrations')) ? 'strapi_migrations' : 'strapi_migrations_internal';
  const removed = await knex(migrations).where('name', 'like', `${MIGRATION}%`).delete();
  expect(removed).toBe(1);
  const database = first.db;
  await first.stop({ keepDatabase: true });

  app = await startApp({ database });
  const rows = await app.strapi.db.connection('admin_permissions').whereIn('action', [OLD_ACTION, NEW_ACTION]).select('action');
  expect(rows.map((row: { action: string }) => row.action)).toContain(NEW_ACTION);
  expect(rows.map((row: { action: string }) => row.action)).not.toContain(OLD_ACTION);
  const coordinator = await loginWithRole(app, role.id);
  const queue = await coordinator.get('/admin/duplicates/candidates');
  expect(queue.status).toBe(200);
  // Bad input to the queue is still a clear 4xx naming the field.
  const bad = await coordinator.get('/admin/duplicates/candidates?status=maybe');
  expect([bad.status, bad.body.error.details.field]).toEqual([400, 'status']);
});
