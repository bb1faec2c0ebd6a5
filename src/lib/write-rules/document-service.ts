/**
 * The Document Service's side of the write rules (registry.ts): one middleware, last in
 * DOCUMENT_MIDDLEWARES, that runs the registered rules around each write (create, update, delete,
 * publish, unpublish, discardDraft). A rule's `derive` runs once the write is done: the
 * document's rows are read back and the ones whose derived fields differ are updated, straight
 * in the table (a derived field is not a change an editor or the change feed should see).
 */
import type { Core, Modules, UID } from '@strapi/strapi';
import { DEFAULT_LOCALE } from '../i18n/locales';
import { isWriteAction, runWrite, writeRules, type DerivedFields, type DocumentWrite, type PublishedVersion } from './registry';

type Params = { documentId?: string; locale?: string | string[]; data?: Record<string, unknown> };

export function writeRulesMiddleware(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    if (!isWriteAction(context.action)) return next();
    const uid = context.uid as UID.ContentType;
    const rules = writeRules(strapi).forWrite('document-service', uid, context.action);
    if (rules.length === 0) return next();
    const params = context.params as Params;
    const write: DocumentWrite = {
      strapi,
      path: 'document-service',
      uid,
      action: context.action,
      documentId: params.documentId,
      versions: params.data ? [{ locale: typeof params.locale === 'string' ? params.locale : DEFAULT_LOCALE, data: params.data }] : [],
      transaction: async (work) => await strapi.db.transaction(({ trx, onCommit }) => work({ trx, onCommit })),
      publishedVersions: (documentId) => publishedVersions(strapi, uid, documentId),
    };
    let result: unknown;
    await runWrite(
      rules,
      write,
      async () => {
        result = await next();
        return params.documentId ?? (result as { documentId?: string } | null)?.documentId;
      },
      async (rule, documentId) => {
        if (rule.derive && documentId) await refreshDerivedFields(strapi, uid, documentId, rule.derive);
      },
    );
    return result as Awaited<ReturnType<typeof next>>;
  };
}

async function publishedVersions(strapi: Core.Strapi, uid: UID.ContentType, documentId: string): Promise<Map<string, PublishedVersion>> {
  const rows = (await strapi.db.query(uid).findMany({
    where: { documentId, publishedAt: { $notNull: true } },
    select: ['id', 'locale', 'updatedAt'],
  })) as PublishedVersion[];
  return new Map(rows.map((row) => [row.locale, row]));
}

/** The document's rows (draft and published, every locale) with their derived fields as `derive` works them out. */
async function refreshDerivedFields(strapi: Core.Strapi, uid: UID.ContentType, documentId: string, derive: DerivedFields): Promise<void> {
  const rows = (await strapi.db.query(uid).findMany({
    where: { documentId },
    select: ['id', ...derive.select, ...derive.fields],
    populate: derive.populate,
  })) as Array<{ id: number } & Record<string, unknown>>;
  for (const row of rows) {
    const wanted = derive.compute(row);
    if (derive.fields.every((field) => wanted[field] === (row[field] ?? ''))) continue;
    await strapi.db.query(uid).update({ where: { id: row.id }, data: wanted });
  }
}
