/** The admin HTTP API as the browser's users would meet it: login, and invited users by role. */
import { randomBytes } from 'crypto';
import type { JsonBody } from '../helpers/app';

export interface AdminUser {
  email: string;
  password: string;
  firstname: string;
}

export interface AdminClient {
  token: string;
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: JsonBody }>;
}

export async function adminLogin(baseUrl: string, email: string, password: string): Promise<AdminClient> {
  const response = await fetch(`${baseUrl}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { data: { token: string } };
  if (response.status !== 200) throw new Error(`admin login for ${email} failed: ${response.status} ${JSON.stringify(body)}`);
  const token: string = body.data.token;
  return {
    token,
    async request(method, path, payload) {
      const answer = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
        body: payload === undefined ? undefined : JSON.stringify(payload),
      });
      const text = await answer.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON */ }
      return { status: answer.status, body: parsed };
    },
  };
}

/**
 * Invites a user with the role of `roleCode` (as Settings → Users does) and registers them
 * with the invitation's token, so they can log in with their own password.
 */
export async function createUserWithRole(baseUrl: string, superAdmin: AdminClient, roleCode: string, firstname: string): Promise<AdminUser> {
  const roles = await superAdmin.request('GET', '/admin/roles');
  const role = (roles.body.data as { id: number; code: string }[]).find((candidate) => candidate.code === roleCode);
  if (!role) throw new Error(`no admin role with code ${roleCode}`);
  const email = `${roleCode}-${randomBytes(3).toString('hex')}@example.invalid`;
  const created = await superAdmin.request('POST', '/admin/users', { email, firstname, lastname: 'E2E', roles: [role.id] });
  if (created.status !== 201) throw new Error(`creating ${email} failed: ${created.status} ${JSON.stringify(created.body)}`);
  const password = `Aa1-${randomBytes(12).toString('hex')}`;
  const registered = await fetch(`${baseUrl}/admin/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ registrationToken: created.body.data.registrationToken, userInfo: { firstname, lastname: 'E2E', password } }),
  });
  if (registered.status !== 200) throw new Error(`registering ${email} failed: ${registered.status} ${await registered.text()}`);
  return { email, password, firstname };
}
