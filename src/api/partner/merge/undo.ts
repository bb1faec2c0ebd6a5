/**
 * Undoing a merge (POST /admin/duplicates/merges/:id/undo), in one transaction, within the undo
 * window (config/merge.ts): the merge record's journal is played backwards, so the merged
 * document comes back with its rows, ids, slugs, components, links and media, the references
 * that were moved point at it again, and the kept document gets back exactly what it had (its
 * fields, links, components, media, `updatedAt`); a locale the merge published on the kept one
 * is unpublished again; partner mappings, review candidates (the one the merge decided is
 * pending again), slug history and the redirect are as before. The change log hears of it as of
 * any write: the merged document `published` per locale, the kept one and every affected one
 * `updated` (or `deleted`/`unpublished` for a locale it gives back), so the feed, webhooks,
 * search and caches follow.
 *
 * Refused, changing nothing: a record already undone (409 `already-undone`), one past its
 * window (410 `undo-expired`), a kept or affected document changed since the merge (409
 * `changed-since-merge`, naming them: undoing would overwrite that change), the merged
 * documentId or one of its slugs taken since (409 `document-id-taken`, `slug-taken`).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { HttpError } from '../../../lib/http/http-error';
import { appendChanges } from '../../../lib/sync/change-log';
import type { Change } from '../../../lib/sync/change-store';
import { touchedKeys } from '../../../lib/sync/touched';
import { metaOf } from '../../../lib/db/references';
import { playBackwards, type NotRestored } from './journal';
import { RowWriter, type RawRow } from './rows';
import { documentVersion, lockRows, type MergeUid } from './merge';
import { fullMergeRecord, markUndone, mergeRecord, type MergeRecord } from './merge-records';

export interface UndoResult {
  record: MergeRecord;
  kept: string;
  merged: string;
  /** Links the undo could not put back: their target document, or file, was deleted since the merge. */
  notRestored: Array<{ table: string; reason: string }>;
}

async function publishedLocales(knex: Knex, table: string, documentId: string): Promise<string[]> {
  const rows = (await knex(table).select('locale').where({ document_id: documentId }).whereNotNull('published_at')) as Array<{ locale: string | null }>;
  return [...new Set(rows.map((row) => row.locale).filter((locale): locale is string => !!locale))].sort();
}

export async function undoMerge(strapi: Core.Strapi, id: unknown, options: { userId?: number | null } = {}): Promise<UndoResult> {
  return strapi.db.transaction(async ({ trx, onCommit }) => {
    const knex = trx as unknown as Knex.Transaction;
    const record = await fullMergeRecord(knex, id, true);
    if (record.state === 'undone') {
      throw new HttpError(409, 'already-undone', `merge record ${record.id} was undone at ${record.undoneAt}`, { id: record.id, undoneAt: record.undoneAt });
    }
    if (record.state === 'expired') {
      throw new HttpError(410, 'undo-expired', `merge record ${record.id} could be undone until ${record.undoUntil} (MERGE_UNDO_DAYS)`, { id: record.id, undoUntil: record.undoUntil });
    }
    const uid = record.contentType;
    const table = metaOf(strapi, uid)!.tableName;
    await lockRows(strapi, knex, uid, [record.kept, record.merged]);

    // What the merge wrote must be as it left it.
    const changed: Array<{ contentType: string; documentId: string; expected: string | null; current: string | null }> = [];
    const keptNow = await documentVersion(strapi, knex, uid, record.kept);
    if (keptNow !== record.versions.kept) changed.push({ contentType: uid, documentId: record.kept, expected: record.versions.kept, current: keptNow });
    for (const document of record.versions.affected) {
      const now = await documentVersion(strapi, knex, document.contentType, document.documentId);
      if (now !== document.version) changed.push({ contentType: document.contentType, documentId: document.documentId, expected: document.version, current: now });
    }
    if (changed.length > 0) {
      throw new HttpError(
        409,
        'changed-since-merge',
        `cannot undo merge record ${record.id}: ${changed.map((entry) => `${entry.contentType} ${entry.documentId}`).join(', ')} changed since the merge (undoing would overwrite that change)`,
        { id: record.id, documents: changed },
      );
    }
    if (await knex(table).select('id').where({ document_id: record.merged }).first()) {
      throw new HttpError(409, 'document-id-taken', `cannot undo merge record ${record.id}: documentId ${record.merged} is in use again`, { id: record.id, documentId: record.merged });
    }
    const snapshotIds = new Set(record.snapshot.merged.map((row) => Number(row.id)));
    for (const row of record.snapshot.merged as RawRow[]) {
      if (typeof row.slug !== 'string' || !row.slug) continue;
      const taken = (await knex(table).select('id', 'document_id').where({ slug: row.slug, locale: row.locale as string })) as Array<{ id: number; document_id: string }>;
      const other = taken.find((candidate) => !snapshotIds.has(Number(candidate.id)) && candidate.document_id !== record.merged);
      if (other) {
        throw new HttpError(409, 'slug-taken', `cannot undo merge record ${record.id}: slug ${row.slug} (${String(row.locale)}) is now ${other.document_id}'s`, {
          id: record.id,
          slug: row.slug,
          locale: row.locale,
          documentId: other.document_id,
        });
      }
    }

    const touchedKept = await touchedKeys(strapi, knex, uid, record.kept);
    const keptPublishedBefore = await publishedLocales(knex, table, record.kept);
    const notRestored: NotRestored[] = await playBackwards(knex, new RowWriter(strapi), record.journal);
    // The locales the merge published on the kept document go back to drafts (logged as unpublished).
    for (const locale of record.summary.publishedLocales) await strapi.documents(uid as MergeUid).unpublish({ documentId: record.kept, locale });
    await markUndone(knex, record.id, options.userId ?? null);

    const changes: Change[] = [];
    for (const locale of await publishedLocales(knex, table, record.merged)) changes.push({ contentType: uid, documentId: record.merged, locale, action: 'published' });
    const keptPublishedAfter = await publishedLocales(knex, table, record.kept);
    for (const locale of keptPublishedBefore) {
      if (keptPublishedAfter.includes(locale)) changes.push({ contentType: uid, documentId: record.kept, locale, action: 'updated', touched: [...touchedKept] });
      else if (!record.summary.publishedLocales.includes(locale)) changes.push({ contentType: uid, documentId: record.kept, locale, action: 'deleted', touched: [...touchedKept] });
    }
    for (const document of record.summary.affected) {
      const affectedTable = metaOf(strapi, document.contentType)?.tableName;
      if (!affectedTable) continue;
      for (const locale of await publishedLocales(knex, affectedTable, document.documentId)) changes.push({ contentType: document.contentType, documentId: document.documentId, locale, action: 'updated' });
    }
    await appendChanges(strapi, knex, changes, onCommit);

    return {
      record: await mergeRecord(knex, record.id),
      kept: record.kept,
      merged: record.merged,
      notRestored: notRestored.map(({ table: notTable, reason }) => ({ table: notTable, reason })),
    };
  });
}
