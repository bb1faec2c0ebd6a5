/**
 * Owns the preview link the admin's "Open preview" button follows. `config/admin.ts` hands
 * `previewLink` to Strapi's preview feature as its handler; Strapi calls it on the server (through
 * `GET /content-manager/preview/url/:uid`, for a logged-in admin user), so the token is signed
 * here and the secret never reaches the browser. Types without a preview page get no link,
 * and then the admin shows no button. A request for a link that is refused (bad parameters, no
 * such version, or an admin who may not edit it: admin-access.ts) is a 4xx JSON error saying
 * why, which the admin also takes as "no button".
 */
import type { Core, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DEFAULT_LOCALE, LOCALES, isLocaleCode } from '../../../lib/i18n/locales';
import { wrapGetPreviewUrl } from '../../../strapi-seam/preview-url';
import { assertAdminMayPreview } from './admin-access';
import { PREVIEW_TYPES, previewTokenSettings, signPreviewToken, type PreviewStatus, type PreviewType } from './token';

/** The content types with a preview page, by the short name used in `/preview/<type>/…`. */
export const PREVIEW_CONTENT_TYPES = {
  article: 'api::article.article',
  event: 'api::event.event',
  person: 'api::person.person',
} as const satisfies Record<PreviewType, string>;

export function isPreviewType(value: unknown): value is PreviewType {
  return (PREVIEW_TYPES as readonly unknown[]).includes(value);
}

export function previewTypeOf(uid: string): PreviewType | null {
  const entry = Object.entries(PREVIEW_CONTENT_TYPES).find(([, contentType]) => contentType === uid);
  return entry ? (entry[0] as PreviewType) : null;
}

/** Where the app is reachable: PUBLIC_URL, else this machine on PORT. No trailing slash. */
export function appBaseUrl(publicUrl: string | undefined, port: number): string {
  return (publicUrl || `http://localhost:${port}`).replace(/\/+$/, '');
}

export interface PreviewLinkParams {
  documentId?: string;
  locale?: string | null;
  status?: string;
}

export interface PreviewRequest {
  type: PreviewType;
  documentId: string;
  locale: string;
  status: PreviewStatus;
}

/**
 * The version a link is asked for, or null when the type has no preview page; a ValidationError
 * (400) for parameters that name no version. No locale is the default one. The edit view sends
 * the document's content-manager status: "modified" is a draft with unpublished changes.
 */
export function previewRequest(uid: string, params: PreviewLinkParams): PreviewRequest | null {
  const type = previewTypeOf(uid);
  if (!type) return null;
  const { documentId } = params;
  if (!documentId) throw new errors.ValidationError('documentId is required');
  const locale = params.locale || DEFAULT_LOCALE;
  if (!isLocaleCode(locale)) {
    throw new errors.ValidationError(`locale must be one of ${LOCALES.map((known) => known.code).join(', ')}`, { param: 'locale' });
  }
  // Strapi fills in "draft" when the admin sends no status.
  const status = params.status ?? 'draft';
  if (status !== 'draft' && status !== 'modified' && status !== 'published') {
    throw new errors.ValidationError('status must be draft, modified or published', { param: 'status' });
  }
  return { type, documentId, locale, status: status === 'published' ? 'published' : 'draft' };
}

/**
 * The signed `/preview/<type>/<documentId>?locale=&status=&token=` link for the admin user
 * asking, or null (no button) when the type has no preview page. Throws the 4xx errors of
 * previewRequest and assertAdminMayPreview.
 */
export async function previewLink(strapi: Core.Strapi, baseUrl: string, uid: string, params: PreviewLinkParams): Promise<string | null> {
  const request = previewRequest(uid, params);
  if (!request) return null;
  // Also checked before Strapi calls this (checkPreviewLinkRequests): the link is never signed unchecked.
  await assertAdminMayPreview(strapi, uid as UID.ContentType, request);
  const { type, documentId, locale, status } = request;
  const token = await signPreviewToken({ type, documentId, locale, status }, previewTokenSettings(strapi.config.get('preview')));
  const query = new URLSearchParams({ locale, status, token });
  return `${baseUrl}/preview/${type}/${encodeURIComponent(documentId)}?${query}`;
}

/**
 * Strapi's preview service turns any error of the handler into a 400 "Failed to get preview
 * URL", so a refusal would not say why. This checks the request before Strapi calls the handler,
 * so its 400, 403 or 404 reaches the admin as Strapi's JSON error with its own message.
 */
export function checkPreviewLinkRequests(strapi: Core.Strapi): void {
  wrapGetPreviewUrl(strapi, (strapiGetPreviewUrl) => async (uid, params) => {
    const request = previewRequest(uid, params);
    if (request) await assertAdminMayPreview(strapi, uid as UID.ContentType, request);
    return strapiGetPreviewUrl(uid, params);
  });
}
