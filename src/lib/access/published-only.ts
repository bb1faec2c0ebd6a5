/**
 * Owns the rule "the public sees published content only".
 *
 * Strapi 5 lets any caller with `find`/`findOne` ask for drafts with `?status=draft` (REST) or
 * `status: DRAFT` (GraphQL); see strapi/strapi#25326. This Document Service middleware pins
 * every read made while serving a content-API request (REST and GraphQL, including populated
 * relations, which follow the parent's status) to `published`, unless the caller holds a
 * full-access API token. Admin-panel reads are not content-API requests and are left alone.
 *
 * Pinning the status is not enough: `publicationFilter` (and the older `hasPublishedVersion`)
 * select published rows by the state of their drafts (`modified`: "has an edit not yet
 * published"), so they would tell anyone which articles are being reworked. Public callers get a
 * 400 naming the parameter, whatever value they pass (REST, and GraphQL's arguments of the same
 * names, which reach the Document Service as the same parameters).
 */
import type { Core, Modules, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';

const READ_ACTIONS = new Set(['findMany', 'findFirst', 'findOne', 'count']);
/** Strapi's parameters that select by draft state (see @strapi/utils publication-filter). */
export const DRAFT_STATE_PARAMETERS = ['publicationFilter', 'hasPublishedVersion'] as const;

interface RequestState {
  route?: { info?: { type?: string } };
  auth?: { strategy?: { name?: string }; credentials?: { type?: string } | null };
  /** Set by the partner-auth middleware: partner endpoints scope their own reads to the partner. */
  partner?: unknown;
}

function isPublicContentApiRequest(strapi: Core.Strapi): boolean {
  const state = (strapi.requestContext.get() as { state?: RequestState } | undefined)?.state;
  return state?.route?.info?.type === 'content-api' && !mayReadDrafts(state) && !state.partner;
}

export function mayReadDrafts(state: RequestState): boolean {
  return state.auth?.strategy?.name === 'content-api-token' && state.auth.credentials?.type === 'full-access';
}

export function publishedOnlyForContentApi(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    if (!READ_ACTIONS.has(context.action)) return next();

    if (!isPublicContentApiRequest(strapi)) return next();

    const params = context.params as Record<string, unknown>;
    const asked = DRAFT_STATE_PARAMETERS.find((name) => params[name] !== undefined && params[name] !== null);
    if (asked) {
      throw new errors.ValidationError(`${asked} is not available here: publicationFilter and hasPublishedVersion select by draft state, which the public API does not show`, {
        source: 'query',
        param: asked,
      });
    }
    const contentType = strapi.contentType(context.uid);
    if (contentType?.options?.draftAndPublish) params.status = 'published';
    return next();
  };
}

type LoadParams = Record<string, unknown> | undefined;

/**
 * The same rule for GraphQL's nested fields, which do not go through the Document Service: the
 * plugin's association resolver loads them with `entityManager.load` and takes the status from
 * the root query's arguments as the client wrote them, so `articles(status: DRAFT) { localizations
 * { title } }` read the draft rows of every locale. Called by the GraphQL relation loader
 * (src/lib/graphql/batched-relations.ts) with the parent's uid and the field it loads.
 */
export function publishedOnlyLoadParams(strapi: Core.Strapi, uid: string, field: string, params: LoadParams): LoadParams {
  if (!isPublicContentApiRequest(strapi)) return params;
  const model = strapi.getModel(uid as UID.Schema) as { attributes?: Record<string, { target?: string }> } | undefined;
  const target = model?.attributes?.[field]?.target;
  if (!target || !strapi.contentType(target as UID.ContentType)?.options?.draftAndPublish) return params;
  const published = { publishedAt: { $notNull: true } };
  const where = params?.where;
  return { ...params, where: where ? { $and: [where, published] } : published };
}
