/**
 * Patch "uid-generate-field": src/features/editorial/admin/slug-field.ts makes the admin's slug field propose
 * the slug the API makes on save. The content manager's `uid` service slugifies its own way and
 * has no option for another slugifier. Expects: `generateUIDField({ contentTypeUID, field,
 * data, locale })`, 1 parameter (@strapi/content-manager server/services/uid).
 */
import type { Core } from '@strapi/strapi';
import { replaceMethod } from './seam';

export const PATCH = 'uid-generate-field';

export interface GenerateArgs {
  contentTypeUID: string;
  field: string;
  data?: Record<string, unknown>;
  locale?: string;
}

export type GenerateUIDField = (args: GenerateArgs) => Promise<string>;

/** Replaces `generateUIDField` of the uid service (the content manager's unless given) with `makeReplacement(original)`. */
export function wrapGenerateUIDField(
  strapi: Core.Strapi,
  makeReplacement: (generate: GenerateUIDField) => GenerateUIDField,
  service: unknown = strapi.plugin('content-manager').service('uid'),
): void {
  replaceMethod<GenerateUIDField>(strapi, PATCH, service, "content-manager service 'uid'", 'generateUIDField', { arity: 1 }, makeReplacement);
}
