/**
 * Who may get a preview link. Strapi's `GET /content-manager/preview/url/:uid` only checks that
 * the caller is a logged-in admin (its own TODO says so), but the link is a key to the
 * document's draft: it is handed out only to admins who may read that document in the content
 * manager, with the role's conditions applied (an Author reads only what they created).
 */
import type { Core, UID } from '@strapi/strapi';

interface PermissionChecker {
  cannot: { read(entity?: unknown): boolean };
}

export async function adminMayRead(
  strapi: Core.Strapi,
  uid: UID.ContentType,
  params: { documentId: string; locale: string; status: 'draft' | 'published' }
): Promise<boolean> {
  const state = strapi.requestContext.get()?.state as { userAbility?: unknown } | undefined;
  if (!state?.userAbility) return false;
  const checker: PermissionChecker = strapi
    .plugin('content-manager')
    .service('permission-checker')
    .create({ userAbility: state.userAbility, model: uid });
  if (checker.cannot.read()) return false;
  // Conditions such as "is creator" are checked against the version itself.
  const version = await strapi.documents(uid).findOne({ ...params, populate: { createdBy: { fields: ['id'] } } as never });
  return version !== null && !checker.cannot.read(version);
}
