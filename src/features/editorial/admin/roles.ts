/**
 * Owns the two editorial admin roles, by fixed code so tests and scripts can find them:
 * - `editor` "Redaktør": everything in the content manager on our seven types, publishing
 *   included, in every locale, plus the media library and what features grant editors at
 *   register (`grantToEditors`: the partner feature's review queue of possible duplicates with
 *   merge, `api::partner.review-duplicates`);
 * - `author` "Skribent": creates articles, quotes and people and edits the ones they created
 *   (Strapi's `admin::is-creator` condition); reads everything (to link it); never publishes or
 *   deletes (deleting a published article would take it offline, which is publishing's job).
 * They sit beside Strapi's own Super Admin, Editor and Author roles, which are left as Strapi
 * made them. Created at boot when missing; their permissions are put back at every boot.
 */
import type { Core } from '@strapi/strapi';
import { PUBLIC_CONTENT_TYPES } from '../../../lib/access/content-types';
import { LOCALES } from '../../../lib/i18n/locales';

export const ROLE_CODES = { author: 'author', editor: 'editor' } as const;

export const EDITORIAL_ROLES = [
  {
    code: ROLE_CODES.editor,
    name: 'Redaktør',
    description: 'Alt indhold, også udgivelse, på dansk og engelsk. (EN: Editor — all content, including publishing.)',
  },
  {
    code: ROLE_CODES.author,
    name: 'Skribent',
    description: 'Skriver og retter egne kladder; kan ikke udgive. (EN: Author — writes and edits own drafts; cannot publish.)',
  },
] as const;

const EXPLORER = 'plugin::content-manager.explorer';
const IS_CREATOR = 'admin::is-creator';
/** What authors may start themselves: an article and the quotes and people it needs. */
export const AUTHOR_WRITES: readonly string[] = ['api::article.article', 'api::quote.quote', 'api::person.person'];

interface Permission {
  action: string;
  subject?: string | null;
  properties?: { fields?: string[]; locales?: string[] };
  conditions?: string[];
}

interface Action {
  actionId: string;
  subjects?: string[];
}

interface PermissionService {
  actionProvider: {
    get(actionId: string): Action | undefined;
    appliesToProperty(property: string, actionId: string, subject: string): Promise<boolean>;
  };
}

interface RoleService {
  findOne(params: { code: string }): Promise<{ id: number; name: string; description: string } | null>;
  create(attributes: { name: string; code: string; description: string }): Promise<{ id: number }>;
  update(params: { id: number }, attributes: { name: string; description: string }): Promise<unknown>;
  assignPermissions(roleId: number, permissions: Permission[]): Promise<unknown>;
}

interface ContentTypeService {
  getPermissionsWithNestedFields(actions: Action[]): Permission[];
}

/** Content-manager permissions for `action` on `subjects`, with every field and every locale. */
async function explorer(strapi: Core.Strapi, action: string, subjects: readonly string[], conditions: string[] = []): Promise<Permission[]> {
  const permissions = strapi.service('admin::permission') as PermissionService;
  const found = permissions.actionProvider.get(`${EXPLORER}.${action}`);
  if (!found) throw new Error(`[admin roles] unknown action ${EXPLORER}.${action}`);
  // Only the subjects the action exists for (publish has none without draft & publish).
  const scoped = { ...found, subjects: (found.subjects ?? []).filter((subject) => subjects.includes(subject)) };
  const withFields = (strapi.service('admin::content-type') as ContentTypeService).getPermissionsWithNestedFields([scoped]);
  const locales = LOCALES.map((locale) => locale.code);
  return Promise.all(
    withFields.map(async (permission) => {
      const appliesToLocales = await permissions.actionProvider.appliesToProperty('locales', permission.action, permission.subject!);
      return {
        ...permission,
        properties: { ...permission.properties, ...(appliesToLocales ? { locales: [...locales] } : {}) },
        conditions,
      };
    })
  );
}

function mediaLibrary(ownOnly: boolean): Permission[] {
  const own = ownOnly ? [IS_CREATOR] : [];
  return [
    { action: 'plugin::upload.read' },
    { action: 'plugin::upload.configure-view' },
    { action: 'plugin::upload.assets.create' },
    { action: 'plugin::upload.assets.update', conditions: own },
    { action: 'plugin::upload.assets.download' },
    { action: 'plugin::upload.assets.copy-link' },
  ].map((permission) => ({ conditions: [], ...permission }));
}

const EDITOR_GRANTS = new WeakMap<Core.Strapi, string[]>();

/**
 * Gives the editor role an admin action a feature registers itself (call from register(), before
 * `ensureEditorialRoles` runs at bootstrap): shared code names no feature's action.
 */
export function grantToEditors(strapi: Core.Strapi, action: string): void {
  const grants = EDITOR_GRANTS.get(strapi) ?? [];
  if (!grants.includes(action)) grants.push(action);
  EDITOR_GRANTS.set(strapi, grants);
}

export async function editorPermissions(strapi: Core.Strapi): Promise<Permission[]> {
  const all = PUBLIC_CONTENT_TYPES;
  return [
    ...(await explorer(strapi, 'create', all)),
    ...(await explorer(strapi, 'read', all)),
    ...(await explorer(strapi, 'update', all)),
    ...(await explorer(strapi, 'delete', all)),
    ...(await explorer(strapi, 'publish', all)),
    ...mediaLibrary(false),
    // A feature's own admin actions, e.g. possible duplicates: the review queue and merge
    // (src/api/partner/index.ts grants it; src/api/partner/merge/admin-routes.ts).
    ...(EDITOR_GRANTS.get(strapi) ?? []).map((action) => ({ action, conditions: [] })),
  ];
}

export async function authorPermissions(strapi: Core.Strapi): Promise<Permission[]> {
  return [
    ...(await explorer(strapi, 'create', AUTHOR_WRITES)),
    ...(await explorer(strapi, 'read', PUBLIC_CONTENT_TYPES)),
    ...(await explorer(strapi, 'update', AUTHOR_WRITES, [IS_CREATOR])),
    ...mediaLibrary(true),
  ];
}

/** Creates the roles when missing and puts back their names and permissions; safe to repeat. */
export async function ensureEditorialRoles(strapi: Core.Strapi): Promise<Record<keyof typeof ROLE_CODES, number>> {
  const roles = strapi.service('admin::role') as RoleService;
  const permissionsFor = { [ROLE_CODES.editor]: editorPermissions, [ROLE_CODES.author]: authorPermissions };
  const ids = {} as Record<keyof typeof ROLE_CODES, number>;
  for (const wanted of EDITORIAL_ROLES) {
    let role = await roles.findOne({ code: wanted.code });
    if (!role) {
      const created = await roles.create({ ...wanted });
      role = { id: created.id, name: wanted.name, description: wanted.description };
      strapi.log.info(`[admin] created role ${wanted.code} (${wanted.name})`);
    } else if (role.name !== wanted.name || role.description !== wanted.description) {
      await roles.update({ id: role.id }, { name: wanted.name, description: wanted.description });
    }
    // Strapi compares with what is stored and only adds or removes the difference.
    await roles.assignPermissions(role.id, await permissionsFor[wanted.code](strapi));
    ids[wanted.code] = role.id;
  }
  return ids;
}
