/**
 * Who may get a preview link: an admin who may update that document version in the content
 * manager, with the role's conditions applied (our `author` role, Skribent, only what they
 * created: `admin::is-creator`; the `editor` role, Redaktør, and Super Admin everything).
 * Reading is not enough: a Skribent reads every draft in the admin (to link quotes and
 * people), but the link is a bearer key that opens the draft without a login and can be passed
 * on outside the admin, so handing it out for a colleague's (perhaps embargoed) draft would give
 * more than reading it in the admin does. Strapi's `GET /content-manager/preview/url/:uid` only
 * checks that the caller is a logged-in admin (its own TODO says so).
 */
import type { Core, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { PreviewStatus } from './token';

interface PermissionChecker {
  cannot: { read(entity?: unknown): boolean; update(entity?: unknown): boolean };
}

const PREVIEW_FORBIDDEN =
  'No preview link: a preview link opens the document without a login, so it is only given to admins who may edit this version (a Skribent: only what they created)';

/**
 * A 403 that keeps its message: Strapi's route wrapper answers any other ForbiddenError thrown
 * behind it with a bare "Forbidden", and lets only a PolicyError through as it is.
 */
const forbidden = () => new errors.PolicyError(PREVIEW_FORBIDDEN);

/**
 * Resolves when the admin user of the current request may have a preview link for the version;
 * throws a 403 saying why when not, NotFoundError (404) when there is no such version.
 */
export async function assertAdminMayPreview(
  strapi: Core.Strapi,
  uid: UID.ContentType,
  params: { documentId: string; locale: string; status: PreviewStatus }
): Promise<void> {
  const state = strapi.requestContext.get()?.state as { userAbility?: unknown } | undefined;
  if (!state?.userAbility) throw forbidden();
  const checker: PermissionChecker = strapi
    .plugin('content-manager')
    .service('permission-checker')
    .create({ userAbility: state.userAbility, model: uid });
  // The type first: an admin who may edit none of it learns nothing about which documents exist.
  if (checker.cannot.read() || checker.cannot.update()) throw forbidden();
  // Conditions such as "is creator" are checked against the version itself.
  const version = await strapi.documents(uid).findOne({ ...params, populate: { createdBy: { fields: ['id'] } } as never });
  if (!version) {
    throw new errors.NotFoundError(`No such document: ${params.documentId} has no ${params.status} version in locale ${params.locale}`);
  }
  if (checker.cannot.read(version) || checker.cannot.update(version)) throw forbidden();
}
