/**
 * What the change log records: a Document Service middleware that compares a document's
 * published versions before and after each write to a public content type and appends the
 * difference to the log (change-log.ts), in the same transaction as the write, so a change is
 * logged if and only if it commits.
 */
import type { Core, Modules, UID } from '@strapi/strapi';
import type { Knex } from 'knex';
import { PUBLIC_CONTENT_TYPES } from '../access/content-types';
import { appendChanges } from './change-log';
import type { Change } from './change-store';
import { touchedKeys } from './touched';

const WRITE_ACTIONS = new Set(['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft']);
const LOGGED_TYPES = new Set<string>(PUBLIC_CONTENT_TYPES);

interface PublicVersion {
  id: number;
  locale: string;
  updatedAt: string | Date | null;
}

/** The published rows of a document, by locale: what the public can currently see. */
async function publicVersions(strapi: Core.Strapi, uid: string, documentId: string): Promise<Map<string, PublicVersion>> {
  const rows = (await strapi.db.query(uid as UID.Schema).findMany({
    where: { documentId, publishedAt: { $notNull: true } },
    select: ['id', 'locale', 'updatedAt'],
  })) as PublicVersion[];
  return new Map(rows.map((row) => [row.locale, row]));
}

/** What changed for the public between two sets of published versions of one document. */
export function diffPublicVersions(
  before: Map<string, PublicVersion>,
  after: Map<string, PublicVersion>,
  context: { contentType: string; documentId: string; draftAndPublish: boolean; deleting: boolean },
): Change[] {
  const changes: Change[] = [];
  const base = { contentType: context.contentType, documentId: context.documentId };
  for (const [locale, version] of after) {
    const previous = before.get(locale);
    if (!previous) {
      changes.push({ ...base, locale, action: context.draftAndPublish ? 'published' : 'created' });
    } else if (previous.id !== version.id || String(previous.updatedAt) !== String(version.updatedAt)) {
      changes.push({ ...base, locale, action: 'updated' });
    }
  }
  for (const locale of before.keys()) {
    if (!after.has(locale)) {
      changes.push({ ...base, locale, action: context.deleting || !context.draftAndPublish ? 'deleted' : 'unpublished' });
    }
  }
  return changes.sort((a, b) => a.locale.localeCompare(b.locale));
}

/**
 * Document Service middleware: compares a document's published versions before and after each
 * write and logs the difference, in one transaction with the write (joining the caller's
 * transaction when there is one).
 */
export function recordPublicChanges(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    if (!WRITE_ACTIONS.has(context.action) || !LOGGED_TYPES.has(context.uid)) return next();
    const uid = context.uid;
    const draftAndPublish = Boolean(strapi.contentType(uid)?.options?.draftAndPublish);
    const params = context.params as { documentId?: string };

    return strapi.db.transaction(async ({ trx, onCommit }) => {
      const before = params.documentId ? await publicVersions(strapi, uid, params.documentId) : new Map();
      // What the public document is related to before the write (change-log.ts adds after).
      const touchedBefore = before.size > 0 ? await touchedKeys(strapi, trx as Knex.Transaction, uid, params.documentId!) : undefined;
      const result = await next();
      const documentId = params.documentId ?? (result as { documentId?: string } | null)?.documentId;
      if (!documentId) return result;
      const after = await publicVersions(strapi, uid, documentId);
      const changes = diffPublicVersions(before, after, {
        contentType: uid,
        documentId,
        draftAndPublish,
        deleting: context.action === 'delete',
      });
      if (touchedBefore) for (const change of changes) change.touched = [...touchedBefore];
      await appendChanges(strapi, trx as Knex.Transaction, changes, onCommit);
      return result;
    });
  };
}
