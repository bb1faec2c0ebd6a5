/**
 * Merges two documents of one type (event, person, organisation) into the one kept, in one
 * transaction (issue 13, item 3):
 * 1. refuses bad input with an HttpError (4xx, nothing changed): the same document twice, two
 *    types, two locales, an unknown documentId, or a stale version (the editor's `updatedAt`
 *    for either side is not the document's latest any more);
 * 2. keeps the published state: a locale the merged document has published and the kept one
 *    only as a draft is published on the kept one first;
 * 3. moves every relation pointing at the merged document to the kept one, row by row (draft
 *    rows to the kept draft, published rows to the kept published version, per locale), found
 *    in the metadata (references.ts): other types' relations, components (an event's
 *    participants, a person's affiliations...), self-references; a pointer the kept document
 *    already has is dropped rather than doubled;
 * 4. moves partner mappings (`partner_events`, `partner_identities`), review candidates and slug
 *    history; records the merged document's slugs in slug history and its documentId in
 *    `document_redirects`, so both keep resolving;
 * 5. deletes the merged document (its tombstones in the change log carry `mergedInto`), and logs
 *    one `updated` per published locale of every other document the merge changed (the kept
 *    one, those whose relations moved), so webhooks and caches hear of each once.
 */
import { HttpError } from '../http/http-error';
import type { Core, UID } from '@strapi/strapi';
import type { Knex } from 'knex';
import { isPostgres } from '../db/dialect';
import { appendChanges } from '../sync/change-log';
import type { Change } from '../sync/change-store';
import { deletingAsMerged } from '../sync/public-changes';
import { ownersOfComponents, referencesTo } from '../db/references';
import { recordRedirect } from './redirects';
import { isDismissed } from '../partner-sync/match-candidates';
import { MAPPING_TABLE } from '../partner-sync/mappings';

export const MERGE_TYPES = {
  event: 'api::event.event',
  person: 'api::person.person',
  organisation: 'api::organisation.organisation',
} as const;
export type MergeType = keyof typeof MERGE_TYPES;
/** The content types merged (all three with draft and publish). */
export type MergeUid = (typeof MERGE_TYPES)[MergeType];

/** What the caller says it saw of each side. */
export interface MergeSide {
  documentId: string;
  /** The document's version as the editor saw it: its latest `updatedAt` (ISO 8601). */
  updatedAt?: string;
  /** The locale the editor compared in, if any; both sides must then name the same one. */
  locale?: string;
}

export interface MergeInput {
  type: string;
  keep: MergeSide;
  merge: MergeSide;
}

export interface MergeResult {
  type: MergeType;
  kept: string;
  merged: string;
  /** Join rows moved to the kept document. */
  relationsMoved: number;
  /** Join rows dropped: the kept document already had the same pointer, or lacks that locale. */
  relationsDropped: number;
  /** Locales published on the kept document because the merged one was public there. */
  publishedLocales: string[];
  /** Other documents whose relations now point at the kept one. */
  affected: Array<{ contentType: string; documentId: string }>;
  /** The kept document's version after the merge. */
  updatedAt: string | null;
}

interface Row {
  id: number;
  documentId: string;
  locale: string | null;
  publishedAt: unknown;
  updatedAt: unknown;
  slug?: string | null;
}

const iso = (value: unknown): string | null => (value === null || value === undefined ? null : new Date(value as string).toISOString());

/** A document's version: the latest `updatedAt` of its rows (all locales, draft and published). */
export function versionOf(rows: Array<{ updatedAt: unknown }>): string | null {
  let latest: string | null = null;
  for (const row of rows) {
    const value = iso(row.updatedAt);
    if (value && (!latest || value > latest)) latest = value;
  }
  return latest;
}

export async function documentRows(strapi: Core.Strapi, uid: string, documentId: string): Promise<Row[]> {
  const hasSlug = Boolean((strapi.contentType(uid as UID.ContentType)?.attributes as Record<string, unknown>)?.slug);
  return (await strapi.db.query(uid as UID.ContentType).findMany({
    select: ['id', 'documentId', 'locale', 'publishedAt', 'updatedAt', ...(hasSlug ? ['slug'] : [])],
    where: { documentId },
  })) as Row[];
}

const rowKey = (row: Pick<Row, 'locale' | 'publishedAt'>) => `${row.locale ?? ''}|${row.publishedAt ? 'published' : 'draft'}`;

function typeOf(type: string): { type: MergeType; uid: MergeUid } {
  if (!Object.prototype.hasOwnProperty.call(MERGE_TYPES, type)) {
    throw new HttpError(400, 'bad-type', `type must be one of ${Object.keys(MERGE_TYPES).join(', ')} (got ${JSON.stringify(type)})`, { field: 'type' });
  }
  return { type: type as MergeType, uid: MERGE_TYPES[type as MergeType] };
}

function checkSide(side: unknown, name: 'keep' | 'merge'): MergeSide {
  const value = side as MergeSide | undefined;
  if (!value || typeof value !== 'object' || typeof value.documentId !== 'string' || value.documentId.trim() === '') {
    throw new HttpError(400, 'bad-request', `${name}.documentId is required`, { field: `${name}.documentId` });
  }
  if (value.updatedAt !== undefined && (typeof value.updatedAt !== 'string' || Number.isNaN(Date.parse(value.updatedAt)))) {
    throw new HttpError(400, 'bad-request', `${name}.updatedAt must be an ISO 8601 date-time`, { field: `${name}.updatedAt` });
  }
  if (value.locale !== undefined && typeof value.locale !== 'string') {
    throw new HttpError(400, 'bad-request', `${name}.locale must be a locale code`, { field: `${name}.locale` });
  }
  return value;
}

/** Which of the mergeable types a documentId belongs to, if any. */
async function findType(strapi: Core.Strapi, documentId: string): Promise<MergeType | null> {
  for (const [type, uid] of Object.entries(MERGE_TYPES)) {
    if (await strapi.db.query(uid as UID.ContentType).findOne({ select: ['id'], where: { documentId } })) return type as MergeType;
  }
  return null;
}

/** Checks the input without writing; returns the two documents' rows. Throws HttpError. */
async function validate(strapi: Core.Strapi, input: MergeInput) {
  const { type, uid } = typeOf(input?.type);
  const keep = checkSide(input.keep, 'keep');
  const merge = checkSide(input.merge, 'merge');
  if (keep.documentId === merge.documentId) {
    throw new HttpError(400, 'same-document', `cannot merge ${type} ${keep.documentId} into itself`, { documentId: keep.documentId });
  }
  if (keep.locale && merge.locale && keep.locale !== merge.locale) {
    throw new HttpError(400, 'across-locales', `cannot merge across locales (keep.locale ${keep.locale}, merge.locale ${merge.locale}): a merge takes whole documents, compared in one locale`, {
      keepLocale: keep.locale,
      mergeLocale: merge.locale,
    });
  }
  const sides = { keep, merge };
  const rows: Record<'keep' | 'merge', Row[]> = { keep: [], merge: [] };
  for (const name of ['keep', 'merge'] as const) {
    const side = sides[name];
    rows[name] = await documentRows(strapi, uid, side.documentId);
    if (rows[name].length === 0) {
      const actual = await findType(strapi, side.documentId);
      if (actual) {
        throw new HttpError(400, 'across-types', `cannot merge across types: ${name}.documentId ${side.documentId} is a ${actual}, not a ${type}`, {
          field: `${name}.documentId`,
          type: actual,
        });
      }
      throw new HttpError(404, 'not-found', `no ${type} with documentId ${side.documentId} (${name}.documentId)`, { field: `${name}.documentId` });
    }
    if (side.locale && !rows[name].some((row) => row.locale === side.locale)) {
      throw new HttpError(400, 'locale-missing', `${type} ${side.documentId} has no ${side.locale} version (${name}.locale)`, { field: `${name}.locale` });
    }
  }
  return { type, uid, keep, merge, rows };
}

function checkVersions(type: string, sides: Record<'keep' | 'merge', MergeSide>, rows: Record<'keep' | 'merge', Row[]>): void {
  for (const name of ['keep', 'merge'] as const) {
    const expected = sides[name].updatedAt;
    if (expected === undefined) {
      throw new HttpError(400, 'version-required', `${name}.updatedAt is required: the version of the ${type} you reviewed`, {
        field: `${name}.updatedAt`,
        current: versionOf(rows[name]),
      });
    }
    const current = versionOf(rows[name]);
    if (iso(expected) !== current) {
      throw new HttpError(409, 'stale', `${type} ${sides[name].documentId} (${name}) changed since you reviewed it (updatedAt ${expected}, now ${current})`, {
        field: `${name}.updatedAt`,
        expected: iso(expected),
        current,
      });
    }
  }
}

/** Locks the two documents' rows until commit (PostgreSQL; SQLite has one writer anyway). */
async function lockRows(strapi: Core.Strapi, trx: Knex, uid: string, documentIds: string[]): Promise<void> {
  if (!isPostgres(trx)) return;
  const table = (strapi.db.metadata.get(uid) as unknown as { tableName: string }).tableName;
  await trx(table).select('id').whereIn('document_id', documentIds).forUpdate();
}

export async function mergeDocuments(strapi: Core.Strapi, input: MergeInput): Promise<MergeResult> {
  // Once outside (a clear answer without a transaction), again inside under locks.
  const checked = await validate(strapi, input);
  checkVersions(checked.type, { keep: checked.keep, merge: checked.merge }, checked.rows);
  const { type, uid } = checked;
  const keepId = checked.keep.documentId;
  const mergeId = checked.merge.documentId;

  return strapi.db.transaction(async ({ trx, onCommit }) => {
    const knex = trx as unknown as Knex.Transaction;
    await lockRows(strapi, knex, uid, [keepId, mergeId]);
    const again = await validate(strapi, input);
    checkVersions(type, { keep: again.keep, merge: again.merge }, again.rows);
    const mergedRows = again.rows.merge;
    let keptRows = again.rows.keep;

    // 2. Keep the published state.
    const documents = strapi.documents(uid);
    const publishedLocales: string[] = [];
    const keptKeys = new Set(keptRows.map(rowKey));
    for (const row of mergedRows) {
      if (!row.publishedAt || !row.locale) continue;
      const hasDraft = keptKeys.has(`${row.locale}|draft`);
      if (hasDraft && !keptKeys.has(`${row.locale}|published`) && !publishedLocales.includes(row.locale)) {
        await documents.publish({ documentId: keepId, locale: row.locale });
        publishedLocales.push(row.locale);
      }
    }
    if (publishedLocales.length > 0) keptRows = await documentRows(strapi, uid, keepId);

    // 3. Move every pointer, row to row.
    const keptByKey = new Map(keptRows.map((row) => [rowKey(row), row.id]));
    const pairs = mergedRows.map((row) => ({ from: row.id, to: keptByKey.get(rowKey(row)) ?? null }));
    const keptIds = keptRows.map((row) => row.id);
    let relationsMoved = 0;
    let relationsDropped = 0;
    const sources: Array<{ uid: string; component: boolean; ids: Set<number> }> = [];
    for (const reference of referencesTo(strapi, uid)) {
      const { table, sourceColumn: source, targetColumn: target } = reference;
      const pointing = (await knex(table).select(source).whereIn(target, pairs.map((pair) => pair.from))) as Array<Record<string, number>>;
      if (pointing.length === 0) continue;
      sources.push({ uid: reference.source, component: reference.sourceIsComponent, ids: new Set(pointing.map((row) => Number(row[source]))) });
      for (const { from, to } of pairs) {
        if (to === null) {
          relationsDropped += Number(await knex(table).where(target, from).delete());
          continue;
        }
        // A source that already points at the kept row keeps that one pointer.
        relationsDropped += Number(
          await knex(table)
            .where(target, from)
            .whereIn(source, knex(table).select(source).where(target, to))
            .delete(),
        );
        relationsMoved += Number(await knex(table).where(target, from).update({ [target]: to }));
      }
      if (reference.selfReference) {
        // The kept document pointing at the merged one (its parent) would now point at itself.
        relationsDropped += Number(await knex(table).whereIn(source, keptIds).whereIn(target, keptIds).whereRaw('?? = ??', [source, target]).delete());
      }
    }

    // 4. Partner mappings, review candidates, slugs, the documentId.
    if (type === 'event') {
      await knex(MAPPING_TABLE).where({ document_id: mergeId, role: 'origin' }).update({ document_id: keepId, role: 'linked', match_rule: 'review-merge', match_score: 1 });
      await knex(MAPPING_TABLE).where({ document_id: mergeId }).update({ document_id: keepId });
    } else {
      await knex('partner_identities').where({ kind: type, document_id: mergeId }).update({ document_id: keepId });
    }
    await moveCandidates(knex, type, mergeId, keepId);
    await moveSlugs(strapi, uid, mergedRows, keptRows, keepId, mergeId);
    await recordRedirect(knex, uid, mergeId, keepId);

    // 5. Delete the merged document; log the others once.
    await deletingAsMerged(strapi, uid, mergeId, keepId, () => documents.delete({ documentId: mergeId, locale: '*' }));
    const affected = await affectedDocuments(strapi, knex, sources, uid, mergeId);
    const changes: Change[] = [];
    const logged = new Set<string>();
    const log = (contentType: string, documentId: string, locale: string) => {
      const key = `${contentType}|${documentId}|${locale}`;
      if (logged.has(key)) return;
      logged.add(key);
      changes.push({ contentType, documentId, locale, action: 'updated' });
    };
    for (const row of keptRows) if (row.publishedAt && row.locale && !publishedLocales.includes(row.locale)) log(uid, keepId, row.locale);
    for (const document of affected) for (const locale of document.publishedLocales) log(document.contentType, document.documentId, locale);
    await appendChanges(strapi, knex, changes, onCommit);

    return {
      type,
      kept: keepId,
      merged: mergeId,
      relationsMoved,
      relationsDropped,
      publishedLocales,
      affected: affected.filter((document) => !(document.contentType === uid && document.documentId === keepId)).map(({ contentType, documentId }) => ({ contentType, documentId })),
      updatedAt: versionOf(await documentRows(strapi, uid, keepId)),
    };
  });
}

/** The documents (other than the merged one) holding the rows that pointed at it, with their published locales. */
async function affectedDocuments(
  strapi: Core.Strapi,
  knex: Knex,
  sources: Array<{ uid: string; component: boolean; ids: Set<number> }>,
  uid: string,
  mergeId: string,
): Promise<Array<{ contentType: string; documentId: string; publishedLocales: string[] }>> {
  const rowsByType = new Map<string, Set<number>>();
  const add = (contentType: string, id: number) => {
    if (!rowsByType.has(contentType)) rowsByType.set(contentType, new Set());
    rowsByType.get(contentType)!.add(id);
  };
  for (const source of sources) {
    if (source.component) {
      for (const owner of await ownersOfComponents(strapi, knex, source.uid, [...source.ids])) add(owner.uid, owner.id);
    } else {
      for (const id of source.ids) add(source.uid, id);
    }
  }
  const documents = new Map<string, { contentType: string; documentId: string; publishedLocales: Set<string> }>();
  for (const [contentType, ids] of rowsByType) {
    if (!strapi.contentType(contentType as UID.ContentType)) continue;
    const rows = (await strapi.db.query(contentType as UID.ContentType).findMany({
      select: ['documentId', 'locale', 'publishedAt'],
      where: { id: { $in: [...ids] } },
    })) as Array<{ documentId: string; locale: string | null; publishedAt: unknown }>;
    for (const row of rows) {
      if (contentType === uid && row.documentId === mergeId) continue;
      const key = `${contentType}|${row.documentId}`;
      const entry = documents.get(key) ?? { contentType, documentId: row.documentId, publishedLocales: new Set<string>() };
      if (row.publishedAt && row.locale) entry.publishedLocales.add(row.locale);
      documents.set(key, entry);
    }
  }
  return [...documents.values()].map((entry) => ({ ...entry, publishedLocales: [...entry.publishedLocales].sort() }));
}

/** Review candidates naming the merged document name the kept one; a pair that became one is resolved. */
async function moveCandidates(knex: Knex, kind: MergeType, mergeId: string, keepId: string): Promise<void> {
  const table = 'partner_match_candidates';
  const rows = (await knex(table).where({ kind, candidate_document_id: mergeId })) as Array<{ id: number; partner_key: string; external_id: string }>;
  for (const row of rows) {
    const clash = await knex(table).where({ kind, partner_key: row.partner_key, external_id: row.external_id, candidate_document_id: keepId }).first();
    if (clash) await knex(table).where({ id: row.id }).delete();
    else await knex(table).where({ id: row.id }).update({ candidate_document_id: keepId, updated_at: new Date() });
  }
  await knex(table).where({ kind, document_id: mergeId }).update({ document_id: keepId, updated_at: new Date() });
  await knex(table)
    .where({ kind, candidate_document_id: keepId, document_id: keepId })
    .whereIn('status', ['pending'])
    .update({ status: 'merged', updated_at: new Date() });
  // A pair that now names two documents an editor already said are not the same stays dismissed.
  const open = (await knex(table)
    .where({ kind, status: 'pending' })
    .whereNotNull('document_id')
    .andWhere((query) => {
      query.where({ candidate_document_id: keepId }).orWhere({ document_id: keepId });
    })) as Array<{ id: number; partner_key: string; external_id: string; candidate_document_id: string; document_id: string }>;
  for (const row of open) {
    if (await isDismissed(knex, kind, row.partner_key, row.external_id, row.candidate_document_id, row.document_id)) {
      await knex(table).where({ id: row.id }).update({ status: 'dismissed', updated_at: new Date() });
    }
  }
}

const SLUG_HISTORY = 'api::slug-history.slug-history';

/** The merged document's slugs (every locale, draft and published, and its own history) lead to the kept one. */
async function moveSlugs(strapi: Core.Strapi, uid: string, mergedRows: Row[], keptRows: Row[], keepId: string, mergeId: string): Promise<void> {
  await strapi.db.query(SLUG_HISTORY).updateMany({ where: { contentType: uid, targetDocumentId: mergeId }, data: { targetDocumentId: keepId } });
  const keptSlugs = new Set(keptRows.map((row) => `${row.locale}|${row.slug}`));
  const seen = new Set<string>();
  for (const row of mergedRows) {
    if (!row.slug || !row.locale) continue;
    const key = `${row.locale}|${row.slug}`;
    if (seen.has(key) || keptSlugs.has(key)) continue;
    seen.add(key);
    const known = await strapi.db.query(SLUG_HISTORY).findOne({ where: { contentType: uid, locale: row.locale, slug: row.slug, targetDocumentId: keepId } });
    if (!known) await strapi.db.query(SLUG_HISTORY).create({ data: { contentType: uid, locale: row.locale, slug: row.slug, targetDocumentId: keepId } });
  }
}
