/**
 * What the change log records: a write rule (src/lib/write-rules/) that compares a document's
 * published versions before and after each write to a public content type and appends the
 * difference to the log (change-log.ts), in the same transaction as the write, so a change is
 * logged if and only if it commits.
 */
import { PUBLIC_CONTENT_TYPES } from '../access/content-types';
import { WRITE_PATHS, type PublishedVersion, type WriteRule } from '../write-rules/registry';
import { appendChanges } from './change-log';
import type { Change } from './change-store';
import { touchedKeys } from './touched';

const LOGGED_TYPES = new Set<string>(PUBLIC_CONTENT_TYPES);

/** What changed for the public between two sets of published versions of one document. */
export function diffPublicVersions(
  before: Map<string, PublishedVersion>,
  after: Map<string, PublishedVersion>,
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
 * The write rule (src/lib/write-rules/), last of them, on every write path: compares a document's
 * published versions before and after the write and logs the difference, in one transaction with
 * the write (joining the caller's transaction when there is one). For the bulk writer's new
 * documents, "before" is nothing and "after" the published rows it inserted.
 */
export const changeLogRule: WriteRule = {
  name: 'change-log',
  paths: WRITE_PATHS,
  actions: ['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft'],
  appliesTo: (_strapi, uid) => LOGGED_TYPES.has(uid),
  around: async (write, next) => {
    const { strapi, uid } = write;
    const draftAndPublish = Boolean(strapi.contentType(uid)?.options?.draftAndPublish);
    await write.transaction(async ({ trx, onCommit }) => {
      const before = write.documentId ? await write.publishedVersions(write.documentId) : new Map<string, PublishedVersion>();
      // What the public document is related to before the write (change-log.ts adds after).
      const touchedBefore = before.size > 0 ? await touchedKeys(strapi, trx, uid, write.documentId!) : undefined;
      const documentId = await next();
      if (!documentId) return;
      const after = await write.publishedVersions(documentId);
      const changes = diffPublicVersions(before, after, {
        contentType: uid,
        documentId,
        draftAndPublish,
        deleting: write.action === 'delete',
      });
      if (touchedBefore) for (const change of changes) change.touched = [...touchedBefore];
      // The Document Service raises this write's entry.* events itself (src/lib/strapi-events/ must not);
      // the bulk writer's documents raise none, so those are left to src/lib/strapi-events/.
      if (write.path === 'document-service') for (const change of changes) change.viaDocumentService = true;
      await appendChanges(strapi, trx, changes, onCommit);
    });
  },
};
