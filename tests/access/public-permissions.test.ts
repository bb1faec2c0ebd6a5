import { PUBLIC_ACTIONS, syncPublicPermissions } from '../../src/lib/access/public-permissions';
import { startApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

async function publicActions(): Promise<string[]> {
  const role = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
  const permissions = await app.strapi.db
    .query('plugin::users-permissions.permission')
    .findMany({ where: { role: role.id }, select: ['action'] });
  return permissions.map((permission: { action: string }) => permission.action).sort();
}

it('grants the public role find and findOne on the seven content types and nothing else', async () => {
  expect(await publicActions()).toEqual([...PUBLIC_ACTIONS].sort());
  expect(PUBLIC_ACTIONS).toHaveLength(14);
  expect(PUBLIC_ACTIONS.every((action) => /\.(find|findOne)$/.test(action))).toBe(true);
});

it('takes back a permission granted by hand (here: creating articles) at the next bootstrap', async () => {
  const role = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
  await app.strapi.db
    .query('plugin::users-permissions.permission')
    .create({ data: { action: 'api::article.article.create', role: role.id } });
  expect(await publicActions()).toContain('api::article.article.create');

  await syncPublicPermissions(app.strapi);
  expect(await publicActions()).toEqual([...PUBLIC_ACTIONS].sort());
});

it('changes nothing when run again', async () => {
  const before = await app.strapi.db.query('plugin::users-permissions.permission').findMany({ select: ['id', 'action'] });
  await syncPublicPermissions(app.strapi);
  const after = await app.strapi.db.query('plugin::users-permissions.permission').findMany({ select: ['id', 'action'] });
  expect(after).toEqual(before);
});
