/** Admin-panel users for tests: creates one with a role and logs in through /admin/login. */
import { randomBytes } from 'crypto';
import type { TestApp } from './app';

export interface AdminSession {
  email: string;
  token: string;
  /** Authenticated request against the admin API (content manager and friends). */
  get(path: string): ReturnType<ReturnType<TestApp['http']>['get']>;
  post(path: string, body: unknown): ReturnType<ReturnType<TestApp['http']>['post']>;
  put(path: string, body: unknown): ReturnType<ReturnType<TestApp['http']>['put']>;
}

/** Logs in a new Super Admin (the role an editor-in-chief would have). */
export async function loginAsSuperAdmin(app: TestApp): Promise<AdminSession> {
  const superAdmin = await app.strapi.service('admin::role').getSuperAdmin();
  return loginWithRole(app, superAdmin.id);
}

export async function loginWithRole(app: TestApp, roleId: number): Promise<AdminSession> {
  const email = `editor-${randomBytes(4).toString('hex')}@example.invalid`;
  const password = `Aa1-${randomBytes(12).toString('hex')}`;
  await app.strapi.service('admin::user').create({
    email,
    firstname: 'Test',
    lastname: 'Editor',
    password,
    isActive: true,
    roles: [roleId],
  });
  const response = await app.http().post('/admin/login').send({ email, password });
  if (response.status !== 200) throw new Error(`admin login failed: ${response.status} ${JSON.stringify(response.body)}`);
  const token: string = response.body.data.token;
  const auth = { Authorization: `Bearer ${token}` };
  return {
    email,
    token,
    get: (path) => app.http().get(path).set(auth),
    post: (path, body) => app.http().post(path).set(auth).send(body as object),
    put: (path, body) => app.http().put(path).set(auth).send(body as object),
  };
}
