/**
 * Patch "preview-url": src/features/editorial/preview/link.ts checks a preview link request before Strapi calls
 * the configured handler, because Strapi's preview service turns any error of the handler into
 * a 400 "Failed to get preview URL" and the admin would not learn why. Expects:
 * `getPreviewUrl(uid, params)`, 2 parameters (@strapi/content-manager server/preview/services/preview).
 */
import type { Core } from '@strapi/strapi';
import { replaceMethod } from './seam';

export const PATCH = 'preview-url';

export interface PreviewUrlParams {
  documentId?: string;
  locale?: string | null;
  status?: string;
}

export type GetPreviewUrl = (uid: string, params: PreviewUrlParams) => Promise<string | null | undefined>;

/** Replaces `getPreviewUrl` of the preview service (the content manager's unless given) with `makeReplacement(original)`. */
export function wrapGetPreviewUrl(
  strapi: Core.Strapi,
  makeReplacement: (getPreviewUrl: GetPreviewUrl) => GetPreviewUrl,
  service: unknown = strapi.plugin('content-manager').service('preview'),
): void {
  replaceMethod<GetPreviewUrl>(strapi, PATCH, service, "content-manager service 'preview'", 'getPreviewUrl', { arity: 2 }, makeReplacement);
}
