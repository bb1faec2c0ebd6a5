/**
 * The review queue and merge in the admin API (under /admin/duplicates, with the admin's own
 * authentication), behind one admin permission, `api::partner.review-duplicates` ("Possible
 * duplicates: review and merge"), which the Editor role has and the Author role has not
 * (src/features/editorial/admin/roles.ts).
 *
 * - GET  /admin/duplicates/candidates?kind=event|person|organisation&status=pending
 * - POST /admin/duplicates/candidates/:id/dismiss                       "not the same"
 * - POST /admin/duplicates/candidates/:id/merge   { keep?, merge?, choices? }   "the same"
 * - GET  /admin/duplicates/compare/:type?keep=<documentId>&merge=<documentId>   side by side (compare.ts)
 * - POST /admin/duplicates/merge  { type, keep: { documentId, updatedAt }, merge: { documentId, updatedAt }, choices? }
 * - GET  /admin/duplicates/merges?documentId=&state=undoable|undone|expired     merge records
 * - GET  /admin/duplicates/merges/:id
 * - POST /admin/duplicates/merges/:id/undo                               (undo.ts)
 * - GET  /admin/duplicates/documents/:type/:documentId                  a side's summary and version
 *
 * Errors are Strapi's JSON error shape with `details.code` (same-document, across-types,
 * across-locales, stale, version-required, not-found, not-pending, not-this-pair, bad-type,
 * bad-request, unknown-field, localized-field, not-localized, bad-choice, locale-not-shared,
 * already-undone, undo-expired, changed-since-merge, document-id-taken, slug-taken); nothing is
 * changed by a refused request.
 */
import { HttpError } from '../../../lib/http/http-error';
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { sendJsonError } from '../../../lib/http/json-error';
import { mergeDocuments, type MergeInput } from './merge';
import { compareDocuments } from './compare';
import { listMergeRecords, mergeRecord } from './merge-records';
import { undoMerge } from './undo';
import { dismiss, documentView, listCandidates, resolveByMerge, type ResolveInput } from './review-queue';
import { PreconditionFailedError } from '../services/partner-event';

/** Named after the API folder of the feature it belongs to (partner sync: matching, review, merge). */
export const REVIEW_ACTION = 'api::partner.review-duplicates';

/** Registers the permission action; call from register() so admin's bootstrap knows it. */
export function registerReviewPermission(strapi: Core.Strapi): void {
  const permissions = strapi.service('admin::permission') as unknown as { actionProvider: { registerMany(actions: unknown[]): Promise<void> } };
  void permissions.actionProvider.registerMany([
    {
      section: 'settings',
      category: 'Possible duplicates',
      subCategory: 'general',
      displayName: 'Review possible duplicates and merge documents',
      uid: 'partner.review-duplicates',
    },
  ]);
}

function answering(strapi: Core.Strapi, action: (ctx: Context) => Promise<unknown>) {
  return async (ctx: Context) => {
    try {
      ctx.body = { data: await action(ctx) };
    } catch (error) {
      // HttpErrors (merge.ts, review-queue.ts) are mapped by global::http-errors.
      if (error instanceof HttpError) throw error;
      if (error instanceof PreconditionFailedError) {
        return sendJsonError(ctx, 409, 'ConflictError', (error as Error).message, { code: 'conflict' });
      }
      strapi.log.error(`[duplicates] ${ctx.method} ${ctx.path} failed: ${(error as Error)?.stack ?? error}`);
      throw error;
    }
  };
}

/**
 * The JSON body as the client sent it (`{}` when there is none), unchecked: the routes below
 * hand it on as their action's input type, and the action checks what it reads (mergeDocuments
 * answers a 400 HttpError naming a bad field; resolveByMerge compares the documentIds with the
 * candidate's pair, then merges through mergeDocuments).
 */
const bodyOf = (ctx: Context): unknown => (ctx.request as { body?: unknown }).body ?? {};

/** The admin user of the request (the admin's authentication sets it). */
const userOf = (ctx: Context): number | null => {
  const id = (ctx.state as { user?: { id?: unknown } }).user?.id;
  return typeof id === 'number' ? id : null;
};

export function registerReviewRoutes(strapi: Core.Strapi): void {
  const config = {
    policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [REVIEW_ACTION] } }],
  };
  const routes: Core.RouterInput = {
    type: 'admin',
    prefix: '/admin/duplicates',
    routes: [
      {
        method: 'GET',
        path: '/candidates',
        handler: answering(strapi, (ctx) => listCandidates(strapi, { kind: ctx.query.kind as string | undefined, status: ctx.query.status as string | undefined })),
        config,
      },
      { method: 'POST', path: '/candidates/:id/dismiss', handler: answering(strapi, (ctx) => dismiss(strapi, (ctx.params as { id: string }).id)), config },
      {
        method: 'POST',
        path: '/candidates/:id/merge',
        handler: answering(strapi, (ctx) => resolveByMerge(strapi, (ctx.params as { id: string }).id, bodyOf(ctx) as ResolveInput, { userId: userOf(ctx) })),
        config,
      },
      {
        method: 'GET',
        path: '/compare/:type',
        handler: answering(strapi, (ctx) => compareDocuments(strapi, (ctx.params as { type: string }).type, ctx.query.keep, ctx.query.merge)),
        config,
      },
      { method: 'POST', path: '/merge', handler: answering(strapi, (ctx) => mergeDocuments(strapi, bodyOf(ctx) as MergeInput, { userId: userOf(ctx) })), config },
      {
        method: 'GET',
        path: '/merges',
        handler: answering(strapi, (ctx) =>
          listMergeRecords(strapi.db.connection, { documentId: ctx.query.documentId as string | undefined, state: ctx.query.state as string | undefined }),
        ),
        config,
      },
      { method: 'GET', path: '/merges/:id', handler: answering(strapi, (ctx) => mergeRecord(strapi.db.connection, (ctx.params as { id: string }).id)), config },
      { method: 'POST', path: '/merges/:id/undo', handler: answering(strapi, (ctx) => undoMerge(strapi, (ctx.params as { id: string }).id, { userId: userOf(ctx) })), config },
      {
        method: 'GET',
        path: '/documents/:type/:documentId',
        handler: answering(strapi, (ctx) => {
          const { type, documentId } = ctx.params as { type: string; documentId: string };
          return documentView(strapi, type, documentId);
        }),
        config,
      },
    ],
  };
  // Strapi's router fills in each route's `info` (its type, the router's): `Core.RouterInput`
  // leaves it out, `server.routes` is typed to want it.
  strapi.server.routes(routes as Core.Router);
}
