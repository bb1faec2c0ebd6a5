/**
 * The order of the Document Service's middlewares and of the write rules: one named list each,
 * the only place either order is written down. `tests/write-rules/order.test.ts` says why each
 * position matters and checks that the app registers exactly these, in this order.
 *
 * A Document Service middleware wraps the ones after it (the first is outermost): it sees the
 * call's params before them and their answer after them. The write rules run the same way
 * inside the `write-rules` middleware, and in the bulk writer (registry.ts).
 */
import type { Core, Modules } from '@strapi/strapi';

/** Outermost first. Only `write-rules` acts on writes; the others are reads. */
export const DOCUMENT_MIDDLEWARES = [
  'published-only', // src/lib/access/published-only.ts: the public reads published rows only
  'follow-merged-document-ids', // src/api/partner/merge/redirects.ts: a merged document's documentId reads the one it went into
  'fallback-reads', // src/lib/i18n/fallback.ts: a locale's missing documents read in the fallback locale
  'default-shape-find-many', // src/lib/shapes/default-shape-reads.ts: default-shape lists, populate converted once
  'write-rules', // ./document-service.ts: the registered write rules, in WRITE_RULES' order
] as const;
export type DocumentMiddlewareName = (typeof DOCUMENT_MIDDLEWARES)[number];

/** Outermost first: each rule's `prepare` runs in this order, and its `around` wraps the rules after it. */
export const WRITE_RULES = [
  'dynamic-zone-components', // src/lib/validation/dynamic-zones.ts
  'event-times', // src/api/event/document-rules.ts
  'slugs', // src/features/editorial/slug/document-slugs.ts
  'person-display-fields', // src/api/person/display-fields.ts
  'change-log', // src/lib/sync/public-changes.ts
] as const;
export type WriteRuleName = (typeof WRITE_RULES)[number];

type Middleware = Modules.Documents.Middleware.Middleware;
const REGISTERED = new WeakMap<Core.Strapi, DocumentMiddlewareName[]>();

/** Registers the Document Service middlewares in DOCUMENT_MIDDLEWARES' order (src/index.ts, once). */
export function useDocumentMiddlewares(strapi: Core.Strapi, factories: Record<DocumentMiddlewareName, (strapi: Core.Strapi) => Middleware>): void {
  const registered: DocumentMiddlewareName[] = [];
  for (const name of DOCUMENT_MIDDLEWARES) {
    strapi.documents.use(factories[name](strapi));
    registered.push(name);
  }
  REGISTERED.set(strapi, registered);
}

/** The middlewares this app registered, in order (for the order test). */
export function registeredDocumentMiddlewares(strapi: Core.Strapi): readonly DocumentMiddlewareName[] {
  return REGISTERED.get(strapi) ?? [];
}
