/**
 * The first admin user from ADMIN_EMAIL/ADMIN_PASSWORD (src/features/editorial/admin/first-admin.ts): made in
 * development on a database with no admin user, never elsewhere, never twice; bad values stop
 * with a message that names the variable and creates nothing.
 */
import { startApp, type TestApp } from '../helpers/app';
import { ensureFirstAdmin, type FirstAdminEnv } from '../../src/features/editorial/admin/first-admin';

let app: TestApp;
beforeAll(async () => {
  // Set as a developer's .env would: the boot (NODE_ENV=test under jest) must not act on them.
  Object.assign(process.env, { ADMIN_EMAIL: 'boot@example.dk', ADMIN_PASSWORD: 'Boot-Password-2023' });
  try {
    app = await startApp();
  } finally {
    delete process.env.ADMIN_EMAIL;
    delete process.env.ADMIN_PASSWORD;
  }
});
afterAll(async () => {
  await app?.stop();
});

const PASSWORD = 'Folkemoede2023-Allinge';
const development: FirstAdminEnv = { NODE_ENV: 'development', ADMIN_EMAIL: 'Admin@Example.dk', ADMIN_PASSWORD: PASSWORD };
const adminUsers = () => app.strapi.db.query('admin::user').count();

it('a boot outside development leaves the database without admin users, though the variables are set', async () => {
  expect(await adminUsers()).toBe(0);
});

it('ignores the variables in production', async () => {
  expect(await ensureFirstAdmin(app.strapi, { ...development, NODE_ENV: 'production' })).toBe('not-development');
  expect(await adminUsers()).toBe(0);
});

it('does nothing when the variables are not set', async () => {
  expect(await ensureFirstAdmin(app.strapi, { NODE_ENV: 'development' })).toBe('not-configured');
  expect(await adminUsers()).toBe(0);
});

describe('refuses values Strapi would refuse, names the variable, never echoes the password, creates nothing', () => {
  it.each([
    ['a short password', { ADMIN_PASSWORD: 'Ab1' }, /ADMIN_PASSWORD must be at least 8 characters/],
    ['no uppercase letter', { ADMIN_PASSWORD: 'allinge-2023' }, /ADMIN_PASSWORD must contain an uppercase letter/],
    ['no digit', { ADMIN_PASSWORD: 'Allinge-Bornholm' }, /ADMIN_PASSWORD must contain a digit/],
    ['over 72 bytes', { ADMIN_PASSWORD: `Aa1${'æ'.repeat(40)}` }, /ADMIN_PASSWORD must be at most 72 bytes/],
    ['a missing password', { ADMIN_PASSWORD: undefined }, /ADMIN_PASSWORD/],
    ['not an email', { ADMIN_EMAIL: 'admin' }, /ADMIN_EMAIL must be an email address/],
  ])('%s', async (_name, override, message) => {
    const env = { ...development, ...override };
    const attempt = ensureFirstAdmin(app.strapi, env);
    await expect(attempt).rejects.toThrow(message);
    const error = await attempt.catch((caught: Error) => caught);
    if (env.ADMIN_PASSWORD) expect(String(error)).not.toContain(env.ADMIN_PASSWORD);
    expect(await adminUsers()).toBe(0);
  });
});

it('creates a Super Admin in development who can log in, with the email in lower case', async () => {
  expect(await ensureFirstAdmin(app.strapi, { ...development, ADMIN_FIRSTNAME: 'Mette' })).toBe('created');
  const user = await app.strapi.db.query('admin::user').findOne({ where: { email: 'admin@example.dk' }, populate: ['roles'] });
  expect(user).toMatchObject({ firstname: 'Mette', isActive: true });
  expect(user.roles.map((role: { code: string }) => role.code)).toEqual(['strapi-super-admin']);

  const login = await app.http().post('/admin/login').send({ email: 'admin@example.dk', password: PASSWORD });
  expect(login.status).toBe(200);
});

it('does not create another once an admin user exists', async () => {
  expect(await ensureFirstAdmin(app.strapi, { ...development, ADMIN_EMAIL: 'second@example.dk' })).toBe('admin-exists');
  expect(await adminUsers()).toBe(1);
});
