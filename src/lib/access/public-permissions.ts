/**
 * Owns what the anonymous public may do: read (`find`, `findOne`) the public content types,
 * nothing else. The role's permissions are kept in code and put back at every boot, so a
 * click in the admin cannot quietly open a write path or user registration.
 */
import type { Core } from '@strapi/strapi';
import { PUBLIC_CONTENT_TYPES } from './content-types';

const PERMISSION_UID = 'plugin::users-permissions.permission';
const ROLE_UID = 'plugin::users-permissions.role';

export const PUBLIC_ACTIONS: readonly string[] = PUBLIC_CONTENT_TYPES.flatMap((uid) => [
  `${uid}.find`,
  `${uid}.findOne`,
]);

export async function syncPublicPermissions(strapi: Core.Strapi): Promise<void> {
  const role = await strapi.db.query(ROLE_UID).findOne({ where: { type: 'public' } });
  if (!role) throw new Error('users-permissions has no public role: is the plugin installed?');

  const current: Array<{ id: number; action: string }> = await strapi.db
    .query(PERMISSION_UID)
    .findMany({ where: { role: role.id }, select: ['id', 'action'] });

  const wanted = new Set(PUBLIC_ACTIONS);
  const extra = current.filter((permission) => !wanted.has(permission.action));
  const have = new Set(current.map((permission) => permission.action));
  const missing = PUBLIC_ACTIONS.filter((action) => !have.has(action));

  if (extra.length > 0) {
    await strapi.db.query(PERMISSION_UID).deleteMany({ where: { id: { $in: extra.map((p) => p.id) } } });
    strapi.log.info(`[access] removed from public role: ${extra.map((p) => p.action).join(', ')}`);
  }
  for (const action of missing) {
    await strapi.db.query(PERMISSION_UID).create({ data: { action, role: role.id } });
  }
  if (missing.length > 0) strapi.log.info(`[access] granted public role ${missing.length} read actions`);
}
