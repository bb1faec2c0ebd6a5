/**
 * Owns the rule "the public sees published content only".
 *
 * Strapi 5 lets any caller with `find`/`findOne` ask for drafts with `?status=draft` (REST) or
 * `status: DRAFT` (GraphQL); see strapi/strapi#25326. This Document Service middleware pins
 * every read made while serving a content-API request (REST and GraphQL, including populated
 * relations, which follow the parent's status) to `published`, unless the caller holds a
 * full-access API token. Admin-panel reads are not content-API requests and are left alone.
 */
import type { Core, Modules } from '@strapi/strapi';

const READ_ACTIONS = new Set(['findMany', 'findFirst', 'findOne', 'count']);

interface RequestState {
  route?: { info?: { type?: string } };
  auth?: { strategy?: { name?: string }; credentials?: { type?: string } | null };
  /** Set by the partner-auth middleware: partner endpoints scope their own reads to the partner. */
  partner?: unknown;
}

export function mayReadDrafts(state: RequestState): boolean {
  return state.auth?.strategy?.name === 'content-api-token' && state.auth.credentials?.type === 'full-access';
}

export function publishedOnlyForContentApi(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    if (!READ_ACTIONS.has(context.action)) return next();

    const request = strapi.requestContext.get() as { state?: RequestState } | undefined;
    const state = request?.state;
    if (state?.route?.info?.type !== 'content-api' || mayReadDrafts(state) || state.partner) return next();

    const contentType = strapi.contentType(context.uid);
    if (contentType?.options?.draftAndPublish) {
      (context.params as { status?: string }).status = 'published';
    }
    return next();
  };
}
