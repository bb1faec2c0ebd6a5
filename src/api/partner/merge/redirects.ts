/**
 * Where a merged document's documentId leads (`document_redirects`, written by the merge): a
 * content-API read by documentId that finds nothing (REST `GET /api/<type>/:documentId`, GraphQL
 * `<type>(documentId:)`) is read again under the documentId it was merged into. A Document
 * Service middleware, so REST and GraphQL alike; only for content-API requests (the admin and
 * the app's own reads see documents as they are).
 */
import type { Core, Modules, UID } from '@strapi/strapi';
import type { Knex } from 'knex';

export const REDIRECT_TABLE = 'document_redirects';

export async function redirectOf(knex: Knex, contentType: string, documentId: string): Promise<string | null> {
  const row = await knex(REDIRECT_TABLE).select('to_document_id').where({ content_type: contentType, from_document_id: documentId }).first();
  return row?.to_document_id ?? null;
}

export function followMergedDocumentIds(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    if (context.action !== 'findOne') return next();
    const result = await next();
    if (result) return result;
    const state = (strapi.requestContext.get() as { state?: { route?: { info?: { type?: string } } } } | undefined)?.state;
    if (state?.route?.info?.type !== 'content-api') return result;
    // findOne's params for the uid of the call, as one type for any content type (the uid is
    // only known at run time).
    const params = context.params as Modules.Documents.ServiceParams<UID.ContentType>['findOne'];
    if (!params.documentId) return result;
    // Inside the caller's transaction when there is one (SQLite has one connection).
    const documentId = params.documentId;
    const target = await strapi.db.transaction(({ trx }) => redirectOf(trx as unknown as Knex, context.uid, documentId));
    if (!target || target === params.documentId) return result;
    return strapi.documents(context.uid as UID.ContentType).findOne({ ...params, documentId: target });
  };
}
