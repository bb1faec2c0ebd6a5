/**
 * Owns the preview link the admin's "Open preview" button follows. `config/admin.ts` hands
 * `previewLinkHandler` to Strapi's preview feature; Strapi calls it on the server (through
 * `GET /content-manager/preview/url/:uid`, for a logged-in admin user), so the token is signed
 * here and the secret never reaches the browser. Types without a preview page get no link,
 * and then the admin shows no button.
 */
import type { Core, UID } from '@strapi/strapi';
import { DEFAULT_LOCALE, isLocaleCode } from '../i18n/locales';
import { adminMayRead } from './admin-access';
import { PREVIEW_TYPES, previewTokenSettings, signPreviewToken, type PreviewStatus, type PreviewType } from './token';

/** The content types with a preview page, by the short name used in `/preview/<type>/…`. */
export const PREVIEW_CONTENT_TYPES = {
  article: 'api::article.article',
  event: 'api::event.event',
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

/**
 * The signed `/preview/<type>/<documentId>?locale=&status=&token=` link for the admin user
 * asking, or null (no button) when the type has no preview page or the user may not read it.
 */
export async function previewLink(strapi: Core.Strapi, baseUrl: string, uid: string, params: PreviewLinkParams): Promise<string | null> {
  const type = previewTypeOf(uid);
  const documentId = params.documentId;
  if (!type || !documentId) return null;
  const locale = params.locale || DEFAULT_LOCALE;
  if (!isLocaleCode(locale)) return null;
  // Strapi asks for "draft" unless the editor is looking at the published version.
  const status: PreviewStatus = params.status === 'published' ? 'published' : 'draft';
  if (!(await adminMayRead(strapi, uid as UID.ContentType, { documentId, locale, status }))) return null;
  const token = await signPreviewToken({ type, documentId, locale, status }, previewTokenSettings(strapi.config.get('preview')));
  const query = new URLSearchParams({ locale, status, token });
  return `${baseUrl}/preview/${type}/${encodeURIComponent(documentId)}?${query}`;
}
