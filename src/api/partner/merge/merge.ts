/**
 * Merges two documents of one type (event, person, organisation) into the one the editor keeps,
 * losing nothing, in one transaction (issue 13 item 3; issue 26 item 1):
 * 1. refuses bad input with an HttpError (4xx, nothing changed): the same document twice, two
 *    types, two locales, an unknown documentId, a stale version (the editor's `updatedAt` for
 *    either side is not the document's latest any more), a choice naming an unknown field, a
 *    locale the two do not share, or a value the field cannot take;
 * 2. keeps the published state: a locale the merged document has published and the kept one
 *    only as a draft is published on the kept one first;
 * 3. a locale only the merged document has becomes a locale of the kept one, as it was (its
 *    draft and published rows, with their components and links, change document);
 * 4. moves every reference into the merged document to the kept one (other documents' relations
 *    and components, self-references), row to row per locale, draft and published; a pointer the
 *    kept document already has, or one that would make it point at itself, is dropped;
 * 5. takes the editor's choice for every field the two share (`choices`, see compare.ts for
 *    what each field offers): a scalar, a to-one relation or a file from either side; lists
 *    (to-many relations, repeatable components such as affiliations and participants) combined
 *    without doubles (`both`, the default), or one side's. Unnamed fields keep the kept value,
 *    or take the merged one where the kept one is empty. Each version of the kept document takes
 *    from the same version of the merged one (draft from draft, published from published);
 * 6. moves partner mappings, review candidates, slug history and the documentId (redirect), and
 *    marks the review candidate it decides `merged`;
 * 7. deletes what is left of the merged document, logs its tombstones (`mergedInto`) and one
 *    change per published locale of the kept and every affected document;
 * 8. writes a merge record (merge-records.ts): the journal of every row written or deleted, with
 *    its earlier values, so the merge can be undone (undo.ts) within MERGE_UNDO_DAYS.
 * Every write but the publish of step 2 (the Document Service's) goes through the journal.
 */
import { HttpError } from '../../../lib/http/http-error';
import type { Core, UID } from '@strapi/strapi';
import type { Knex } from 'knex';
import { isPostgres } from '../../../lib/db/dialect';
import { appendChanges } from '../../../lib/sync/change-log';
import type { Change } from '../../../lib/sync/change-store';
import { touchedKeys } from '../../../lib/sync/touched';
import { metaOf, ownersOfComponents, referencesTo, type Meta } from '../../../lib/db/references';
import { REDIRECT_TABLE } from './redirects';
import { CANDIDATE_TABLE, isDismissed } from '../matching/match-candidates';
import { MAPPING_TABLE } from '../sync/mappings';
import { personDisplayFields } from '../../person/display-fields';
import { Journal, identityOf, type LinkNote, type RowIdentity } from './journal';
import { RowWriter, type RawRow } from './rows';
import {
  comparableValue,
  defaultChoice,
  isEmptyValue,
  mediaLinks,
  mergeFields,
  rawRows,
  readComponents,
  readField,
  readMedia,
  shown,
  type Choice,
  type ComponentValue,
  type FieldValue,
  type LinkValue,
  type MediaLinks,
  type MediaValue,
  type MergeField,
} from './fields';
import { insertMergeRecord, undoWindowDays } from './merge-records';

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

/**
 * The editor's choice per field: `fields` for those with one value in every locale (a person's
 * name and photo), `locales.<locale>` for localised ones (a bio, affiliations, an event's venue).
 */
export interface MergeChoices {
  fields?: Record<string, Choice>;
  locales?: Record<string, Record<string, Choice>>;
}

export interface MergeInput {
  type: string;
  keep: MergeSide;
  merge: MergeSide;
  choices?: MergeChoices;
}

export interface MergeOptions {
  /** The review candidate this merge decides: `merged` in the same transaction (pending again on undo). */
  candidateId?: number;
  /** The admin user who merges. */
  userId?: number | null;
}

/** One field's decision: per locale for localised fields, `locale: null` for the others. */
export interface FieldDecision {
  field: string;
  locale: string | null;
  choice: Choice;
  /** Whether the editor named it (else the default applied). */
  chosen: boolean;
  differs: boolean;
}

/** A value no version of the kept document has after the merge (it stays in the merge record). */
export interface DroppedValue {
  field: string;
  locale: string | null;
  /** Whose value it was. */
  from: 'keep' | 'merge';
  value: unknown;
  /** Why: the other side's value was chosen, or (lists) it is the same item as one kept. */
  reason: 'other-side-chosen' | 'same-item-kept';
}

export interface MergeResult {
  type: MergeType;
  kept: string;
  merged: string;
  /** Join rows pointing at the merged document moved to the kept one. */
  relationsMoved: number;
  /** Join rows pointing at the merged document dropped: the kept document already had the same pointer, or it would point at itself. */
  relationsDropped: number;
  /** Locales published on the kept document because the merged one was public there. */
  publishedLocales: string[];
  /** Locales only the merged document had: now the kept one's. */
  addedLocales: string[];
  /** What was decided for each field (by the editor, or the default). */
  decisions: FieldDecision[];
  /** What no version of the kept document has now: kept in the merge record, back on undo. */
  dropped: DroppedValue[];
  /** Other documents whose relations now point at the kept one. */
  affected: Array<{ contentType: string; documentId: string }>;
  /** The kept document's version after the merge. */
  updatedAt: string | null;
  /** The merge record: undo with POST /admin/duplicates/merges/:id/undo until `undoUntil`. */
  mergeRecord: { id: number; undoUntil: string };
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

/** A document's version read with knex (inside a transaction): the latest updated_at of its rows. */
export async function documentVersion(strapi: Core.Strapi, knex: Knex, uid: string, documentId: string): Promise<string | null> {
  const meta = metaOf(strapi, uid);
  if (!meta) return null;
  const rows = (await knex(meta.tableName).select('updated_at').where('document_id', documentId)) as Array<{ updated_at: unknown }>;
  return versionOf(rows.map((row) => ({ updatedAt: typeof row.updated_at === 'string' && /^\d+$/.test(row.updated_at) ? Number(row.updated_at) : row.updated_at })));
}

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

/** Checks two documentIds name two existing documents of the type; returns their rows. Throws HttpError. */
export async function loadPair(strapi: Core.Strapi, typeName: string, keep: MergeSide, merge: MergeSide) {
  const { type, uid } = typeOf(typeName);
  if (keep.documentId === merge.documentId) {
    throw new HttpError(400, 'same-document', `cannot merge ${type} ${keep.documentId} into itself`, { documentId: keep.documentId });
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
  }
  return { type, uid, rows };
}

const CHOICE_KEYS = new Set(['fields', 'locales']);

/** Checks the shape of `choices` against the type's fields and the locales the two share. Throws HttpError 400. */
function checkChoices(fields: MergeField[], choices: unknown, locales: { keep: string[]; merge: string[] }): MergeChoices {
  if (choices === undefined || choices === null) return {};
  if (typeof choices !== 'object' || Array.isArray(choices)) throw new HttpError(400, 'bad-request', 'choices must be an object: { fields?, locales? }', { field: 'choices' });
  for (const key of Object.keys(choices)) {
    if (!CHOICE_KEYS.has(key)) throw new HttpError(400, 'bad-request', `choices may hold \`fields\` and \`locales\` (got ${JSON.stringify(key)})`, { field: `choices.${key}` });
  }
  const byName = new Map(fields.map((field) => [field.name, field]));
  const checkOne = (name: string, value: unknown, path: string, localized: boolean) => {
    const field = byName.get(name);
    if (!field) {
      throw new HttpError(400, 'unknown-field', `${path}: no field ${JSON.stringify(name)} to choose; the fields are ${fields.map((f) => f.name).join(', ')}`, { field: path });
    }
    if (field.localized && !localized) {
      throw new HttpError(400, 'localized-field', `${path}: ${name} differs per locale; choose it under choices.locales.<locale>.${name}`, { field: path });
    }
    if (!field.localized && localized) {
      throw new HttpError(400, 'not-localized', `${path}: ${name} is the same in every locale; choose it under choices.fields.${name}`, { field: path });
    }
    if (typeof value !== 'string' || !field.choices.includes(value as Choice)) {
      throw new HttpError(400, 'bad-choice', `${path} must be one of ${field.choices.join(', ')} (got ${JSON.stringify(value)})`, { field: path, choices: field.choices });
    }
  };
  const { fields: shared, locales: perLocale } = choices as { fields?: unknown; locales?: unknown };
  if (shared !== undefined) {
    if (!shared || typeof shared !== 'object' || Array.isArray(shared)) throw new HttpError(400, 'bad-request', 'choices.fields must be an object of field: choice', { field: 'choices.fields' });
    for (const [name, value] of Object.entries(shared)) checkOne(name, value, `choices.fields.${name}`, false);
  }
  if (perLocale !== undefined) {
    if (!perLocale || typeof perLocale !== 'object' || Array.isArray(perLocale)) {
      throw new HttpError(400, 'bad-request', 'choices.locales must be an object of locale: { field: choice }', { field: 'choices.locales' });
    }
    for (const [locale, byField] of Object.entries(perLocale)) {
      if (!locales.keep.includes(locale) || !locales.merge.includes(locale)) {
        const has = locales.keep.includes(locale) ? 'only the kept document has it' : locales.merge.includes(locale) ? 'only the merged document has it: it becomes a locale of the kept one as it is' : 'neither document has it';
        throw new HttpError(400, 'locale-not-shared', `choices.locales.${locale}: no choice to make in ${locale} (${has})`, { field: `choices.locales.${locale}` });
      }
      if (!byField || typeof byField !== 'object' || Array.isArray(byField)) {
        throw new HttpError(400, 'bad-request', `choices.locales.${locale} must be an object of field: choice`, { field: `choices.locales.${locale}` });
      }
      for (const [name, value] of Object.entries(byField as Record<string, unknown>)) checkOne(name, value, `choices.locales.${locale}.${name}`, true);
    }
  }
  return choices as MergeChoices;
}

const localesOf = (rows: Array<{ locale: string | null }>) => [...new Set(rows.map((row) => row.locale).filter((locale): locale is string => !!locale))].sort();

/** Checks the input without writing; returns the two documents' rows. Throws HttpError. */
async function validate(strapi: Core.Strapi, input: MergeInput) {
  typeOf(input?.type);
  const keep = checkSide(input.keep, 'keep');
  const merge = checkSide(input.merge, 'merge');
  if (keep.locale && merge.locale && keep.locale !== merge.locale) {
    throw new HttpError(400, 'across-locales', `cannot merge across locales (keep.locale ${keep.locale}, merge.locale ${merge.locale}): a merge takes whole documents, compared in one locale`, {
      keepLocale: keep.locale,
      mergeLocale: merge.locale,
    });
  }
  const { type, uid, rows } = await loadPair(strapi, input.type, keep, merge);
  for (const name of ['keep', 'merge'] as const) {
    const side = { keep, merge }[name];
    if (side.locale && !rows[name].some((row) => row.locale === side.locale)) {
      throw new HttpError(400, 'locale-missing', `${type} ${side.documentId} has no ${side.locale} version (${name}.locale)`, { field: `${name}.locale` });
    }
  }
  const choices = checkChoices(mergeFields(strapi, uid), input.choices, { keep: localesOf(rows.keep), merge: localesOf(rows.merge) });
  return { type, uid, keep, merge, rows, choices };
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
export async function lockRows(strapi: Core.Strapi, trx: Knex, uid: string, documentIds: string[]): Promise<void> {
  if (!isPostgres(trx)) return;
  const table = metaOf(strapi, uid)!.tableName;
  await trx(table).select('id').whereIn('document_id', documentIds).forUpdate();
}

// ---------------------------------------------------------------------------------------------
// Rows of a document, as the merge handles them

export interface DocRow {
  id: number;
  locale: string | null;
  published: boolean;
  raw: RawRow;
}

export const toDocRow = (raw: RawRow): DocRow => ({ id: Number(raw.id), locale: (raw.locale as string | null) ?? null, published: raw.published_at !== null && raw.published_at !== undefined, raw });
const rowKey = (row: { locale: string | null; published: boolean }) => `${row.locale ?? ''}|${row.published ? 'published' : 'draft'}`;

/** The version of the merged document a kept row takes a field from (same locale for localised fields; same draft/published state). */
function sourceFor(field: MergeField, target: DocRow, merged: DocRow[]): DocRow | undefined {
  const sameState = merged.filter((row) => row.published === target.published);
  if (field.localized) return sameState.find((row) => row.locale === target.locale);
  return sameState.find((row) => row.locale === target.locale) ?? sameState[0];
}

/** The draft row to compare in: a locale's, or (for a field the same in every locale) the first locale's. */
function draftFor(rows: DocRow[], locale: string | null): DocRow | undefined {
  const drafts = rows.filter((row) => !row.published).sort((a, b) => String(a.locale).localeCompare(String(b.locale)));
  return locale === null ? (drafts.find((row) => row.locale === 'da') ?? drafts[0]) : drafts.find((row) => row.locale === locale);
}

export interface PlannedField {
  field: MergeField;
  locale: string | null;
  choice: Choice;
  chosen: boolean;
  keep: FieldValue | undefined;
  merge: FieldValue | undefined;
}

/** Each field (per shared locale when localised) with its values in the two drafts and the choice that applies. */
export async function planFields(
  strapi: Core.Strapi,
  knex: Knex,
  uid: string,
  fields: MergeField[],
  kept: DocRow[],
  merged: DocRow[],
  choices: MergeChoices,
): Promise<PlannedField[]> {
  const keptLocales = localesOf(kept);
  const shared = localesOf(merged).filter((locale) => keptLocales.includes(locale));
  const planned: PlannedField[] = [];
  for (const field of fields) {
    const keptValues = await readField(strapi, knex, uid, field, kept.map((row) => row.raw));
    const mergedValues = await readField(strapi, knex, uid, field, merged.map((row) => row.raw));
    for (const locale of field.localized ? shared : [null]) {
      const keepRow = draftFor(kept, locale);
      const mergeRow = draftFor(merged, locale);
      const keep = keepRow ? keptValues.get(keepRow.id) : undefined;
      const merge = mergeRow ? mergedValues.get(mergeRow.id) : undefined;
      const named = locale === null ? choices.fields?.[field.name] : choices.locales?.[locale]?.[field.name];
      planned.push({ field, locale, choice: named ?? defaultChoice(field, keep, merge), chosen: named !== undefined, keep, merge });
    }
  }
  return planned;
}

/** What the plan leaves out of the kept document, from the drafts the editor compared. */
function droppedBy(plan: PlannedField[]): DroppedValue[] {
  const dropped: DroppedValue[] = [];
  for (const { field, locale, choice, keep, merge } of plan) {
    if (keep === undefined || merge === undefined || comparableValue(field, keep) === comparableValue(field, merge)) continue;
    const push = (from: 'keep' | 'merge', value: unknown, reason: DroppedValue['reason']) => dropped.push({ field: field.name, locale, from, value, reason });
    if (!field.multiple) {
      if (choice === 'keep' && !isEmptyValue(field, merge)) push('merge', shown(field, merge), 'other-side-chosen');
      if (choice === 'merge' && !isEmptyValue(field, keep)) push('keep', shown(field, keep), 'other-side-chosen');
      continue;
    }
    const itemsOf = (value: FieldValue) => {
      const list = value as Array<LinkValue | MediaValue | ComponentValue>;
      return list.map((item, index) => ({ key: itemKey(field, item), value: (shown(field, [item] as FieldValue) as unknown[])[0], index }));
    };
    const keepItems = itemsOf(keep);
    const mergeItems = itemsOf(merge);
    const keepKeys = new Set(keepItems.map((item) => item.key));
    const mergeKeys = new Set(mergeItems.map((item) => item.key));
    if (choice === 'keep') for (const item of mergeItems) if (!keepKeys.has(item.key)) push('merge', item.value, 'other-side-chosen');
    if (choice === 'merge') for (const item of keepItems) if (!mergeKeys.has(item.key)) push('keep', item.value, 'other-side-chosen');
    // Combined: an item of the merged list that is the same as a kept one, but not identical, gives way to it.
    if (choice === 'both' && field.kind === 'component') {
      const keptByKey = new Map((keep as ComponentValue[]).map((component) => [component.key, component]));
      for (const component of merge as ComponentValue[]) {
        const same = keptByKey.get(component.key);
        if (same && comparableValue(field, [same]) !== comparableValue(field, [component])) push('merge', (shown(field, [component]) as unknown[])[0], 'same-item-kept');
      }
    }
  }
  return dropped;
}

/** What makes two items of a list the same: a relation's target document, a file, a component's key. */
function itemKey(field: MergeField, item: LinkValue | MediaValue | ComponentValue): string {
  if (field.kind === 'relation') return `doc:${(item as LinkValue).documentId}`;
  if (field.kind === 'media') return `file:${(item as MediaValue).fileId}`;
  return (item as ComponentValue).key;
}

// ---------------------------------------------------------------------------------------------
// The merge

interface MergeContext {
  strapi: Core.Strapi;
  knex: Knex.Transaction;
  journal: Journal;
  uid: string;
  meta: Meta;
  keepId: string;
  mergeId: string;
  /** Kept rows whose own content changed (their updated_at moves). */
  changedRows: Set<number>;
  media: MediaLinks;
}

export async function mergeDocuments(strapi: Core.Strapi, input: MergeInput, options: MergeOptions = {}): Promise<MergeResult> {
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
    if (options.candidateId !== undefined) {
      const candidate = (await knex(CANDIDATE_TABLE).select('status').where({ id: options.candidateId }).first()) as { status: string } | undefined;
      if (candidate?.status !== 'pending') {
        throw new HttpError(409, 'not-pending', `review candidate ${options.candidateId} is ${candidate?.status ?? 'gone'}, not pending`, { status: candidate?.status ?? null });
      }
    }
    const meta = metaOf(strapi, uid)!;
    const table = meta.tableName;
    const writer = new RowWriter(strapi);
    const journal = new Journal(knex, writer);
    const context: MergeContext = { strapi, knex, journal, uid, meta, keepId, mergeId, changedRows: new Set(), media: mediaLinks(strapi) };
    const fields = mergeFields(strapi, uid);

    // What was, before any write.
    const touchedBefore = { kept: await touchedKeys(strapi, knex, uid, keepId), merged: await touchedKeys(strapi, knex, uid, mergeId) };
    const keptBefore = (await rawRows(strapi, knex, uid, keepId)).map(toDocRow);
    const mergedRows = (await rawRows(strapi, knex, uid, mergeId)).map(toDocRow);
    const plan = await planFields(strapi, knex, uid, fields, keptBefore, mergedRows, again.choices);
    const dropped = droppedBy(plan);
    const keptLocales = new Set(keptBefore.map((row) => row.locale));

    // 2. Keep the published state.
    const documents = strapi.documents(uid);
    const publishedLocales: string[] = [];
    const keptKeys = new Set(keptBefore.map(rowKey));
    for (const row of mergedRows) {
      if (!row.published || !row.locale || !keptLocales.has(row.locale)) continue;
      if (!keptKeys.has(`${row.locale}|published`) && !publishedLocales.includes(row.locale)) {
        await documents.publish({ documentId: keepId, locale: row.locale });
        publishedLocales.push(row.locale);
      }
    }
    const keptRows = publishedLocales.length > 0 ? (await rawRows(strapi, knex, uid, keepId)).map(toDocRow) : keptBefore;

    // 3. A locale only the merged document has becomes the kept one's.
    const reassigned = mergedRows.filter((row) => !keptLocales.has(row.locale));
    const remaining = mergedRows.filter((row) => keptLocales.has(row.locale));
    for (const row of reassigned) await journal.update(table, row.id, { document_id: keepId });
    const addedLocales = localesOf(reassigned);

    // 4. References into the merged document.
    const moved = await moveReferences(context, remaining, keptRows);

    // 5. The editor's choices, field by field, version by version.
    for (const field of fields) await applyField(context, field, plan, keptRows, mergedRows, remaining);
    await syncSharedFields(context, fields, keptRows, reassigned);
    if (uid === MERGE_TYPES.person) await refreshDisplayFields(context);
    const now = new Date();
    for (const id of context.changedRows) await journal.update(table, id, { updated_at: now });

    // 6. Partner mappings, review candidates, slugs, the documentId.
    if (type === 'event') {
      const mappings = (await knex(MAPPING_TABLE).select('id', 'role').where({ document_id: mergeId })) as Array<{ id: number; role: string }>;
      for (const mapping of mappings) {
        await journal.update(
          MAPPING_TABLE,
          Number(mapping.id),
          mapping.role === 'origin' ? { document_id: keepId, role: 'linked', match_rule: 'review-merge', match_score: 1 } : { document_id: keepId },
        );
      }
    } else {
      const identities = (await knex('partner_identities').select('id').where({ kind: type, document_id: mergeId })) as Array<{ id: number }>;
      for (const identity of identities) await journal.update('partner_identities', Number(identity.id), { document_id: keepId });
    }
    await moveCandidates(journal, knex, type, mergeId, keepId, options.candidateId);
    await moveSlugs(strapi, journal, knex, uid, remaining, keptRows, keepId, mergeId);
    await recordRedirect(journal, knex, uid, mergeId, keepId);

    // 7. What is left of the merged document goes; the change log hears of everything once.
    await deleteRows(context, remaining);
    const affected = await affectedDocuments(strapi, knex, moved.sources, uid, [keepId, mergeId]);
    const keptAfter = (await rawRows(strapi, knex, uid, keepId)).map(toDocRow);
    const changes: Change[] = [];
    for (const row of mergedRows) {
      if (row.published && row.locale) changes.push({ contentType: uid, documentId: mergeId, locale: row.locale, action: 'deleted', mergedInto: keepId, touched: [...touchedBefore.merged] });
    }
    const logged = new Set<string>();
    const log = (contentType: string, documentId: string, locale: string, action: Change['action'], touched?: Set<string>) => {
      const key = `${contentType}|${documentId}|${locale}`;
      if (logged.has(key)) return;
      logged.add(key);
      changes.push({ contentType, documentId, locale, action, ...(touched ? { touched: [...touched] } : {}) });
    };
    for (const row of keptAfter) {
      if (!row.published || !row.locale) continue;
      // A locale the merge published was logged by the publish; it is logged again if the choices then changed it.
      if (publishedLocales.includes(row.locale) && !context.changedRows.has(row.id)) continue;
      log(uid, keepId, row.locale, addedLocales.includes(row.locale) ? 'published' : 'updated', touchedBefore.kept);
    }
    for (const document of affected) for (const locale of document.publishedLocales) log(document.contentType, document.documentId, locale, 'updated');
    await appendChanges(strapi, knex, changes, onCommit);

    // 8. The record.
    const updatedAt = await documentVersion(strapi, knex, uid, keepId);
    const versions = { kept: updatedAt, affected: [] as Array<{ contentType: string; documentId: string; version: string | null }> };
    for (const document of affected) versions.affected.push({ ...document, version: await documentVersion(strapi, knex, document.contentType, document.documentId) });
    const decisions: FieldDecision[] = plan.map(({ field, locale, choice, chosen, keep, merge }) => ({
      field: field.name,
      locale,
      choice,
      chosen,
      differs: keep !== undefined && merge !== undefined && comparableValue(field, keep) !== comparableValue(field, merge),
    }));
    const summary = {
      relationsMoved: moved.moved,
      relationsDropped: moved.dropped,
      publishedLocales,
      addedLocales,
      decisions,
      dropped,
      affected: affected.map(({ contentType, documentId }) => ({ contentType, documentId })),
      keptPublishedLocales: localesOf(keptBefore.filter((row) => row.published)),
      labels: { kept: labelOf(keptBefore), merged: labelOf(mergedRows) },
    };
    const record = await insertMergeRecord(knex, {
      contentType: uid,
      keptDocumentId: keepId,
      mergedDocumentId: mergeId,
      candidateId: options.candidateId ?? null,
      choices: again.choices,
      summary,
      snapshot: { kept: keptBefore.map((row) => row.raw), merged: mergedRows.map((row) => row.raw) },
      journal: journal.entries,
      versions,
      createdBy: options.userId ?? null,
      undoDays: undoWindowDays(strapi),
    });

    // The answer reports what the record's summary keeps, less what is there for the undo.
    const { keptPublishedLocales: _kept, labels: _labels, ...reported } = summary;
    return {
      type,
      kept: keepId,
      merged: mergeId,
      ...reported,
      updatedAt,
      mergeRecord: record,
    };
  });
}

/** What a file link joins: a row (by id and type) and a file, which an undo checks is still there. */
const fileNote = (media: MediaLinks): LinkNote => ({ sourceColumn: media.idColumn, targetColumn: media.fileColumn, files: media.filesTable });

const fileLink = (media: MediaLinks, fileId: number, rowId: number, uid: string, field: string, order: number): RawRow => ({
  [media.fileColumn]: fileId,
  [media.idColumn]: rowId,
  [media.typeColumn]: uid,
  field,
  order,
});

/** A document's name or title as editors know it (the Danish draft's, else the first). */
function labelOf(rows: DocRow[]): string | null {
  const drafts = rows.filter((row) => !row.published);
  const row = drafts.find((candidate) => candidate.locale === 'da') ?? drafts[0] ?? rows[0];
  const value = row?.raw.title ?? row?.raw.name;
  return typeof value === 'string' ? value : null;
}

/** Notes the document versions at both ends of a link row (content-type rows only). */
async function linkNote(knex: Knex, sourceColumn: string, targetColumn: string, source: { table: string; id: number } | null, target: { table: string; id: number } | null): Promise<LinkNote> {
  const note: LinkNote = { sourceColumn, targetColumn };
  const sourceIdentity: RowIdentity | undefined = source ? await identityOf(knex, source.table, source.id) : undefined;
  const targetIdentity: RowIdentity | undefined = target ? await identityOf(knex, target.table, target.id) : undefined;
  if (sourceIdentity) note.source = sourceIdentity;
  if (targetIdentity) note.target = targetIdentity;
  return note;
}

const tableOf = (strapi: Core.Strapi, uid: string) => metaOf(strapi, uid)?.tableName;
/** Whether a model has a document (content types) rather than being a component. */
const isDocumentModel = (strapi: Core.Strapi, uid: string) => !strapi.components[uid as keyof typeof strapi.components];

/** Step 4: every link row pointing at a remaining merged row now points at the kept row of the same locale and state. */
async function moveReferences(context: MergeContext, remaining: DocRow[], keptRows: DocRow[]) {
  const { strapi, knex, journal, uid, meta } = context;
  const keptByKey = new Map(keptRows.map((row) => [rowKey(row), row.id]));
  const keptIds = new Set(keptRows.map((row) => row.id));
  const to = new Map<number, number>();
  for (const row of remaining) {
    const target = keptByKey.get(rowKey(row));
    if (target === undefined) throw new Error(`merge: the kept document has no ${rowKey(row)} row for merged row ${row.id}`);
    to.set(row.id, target);
  }
  let moved = 0;
  let dropped = 0;
  const sources: Array<{ uid: string; component: boolean; ids: Set<number> }> = [];
  if (to.size === 0) return { moved, dropped, sources };
  for (const reference of referencesTo(strapi, uid)) {
    const { table, sourceColumn: source, targetColumn: target } = reference;
    const pointing = (await knex(table).select('*').whereIn(target, [...to.keys()]).orderBy('id')) as RawRow[];
    if (pointing.length === 0) continue;
    sources.push({ uid: reference.source, component: reference.sourceIsComponent, ids: new Set(pointing.map((row) => Number(row[source]))) });
    const sourceTable = isDocumentModel(strapi, reference.source) ? tableOf(strapi, reference.source) : undefined;
    for (const row of pointing) {
      const sourceId = Number(row[source]);
      const newTarget = to.get(Number(row[target]))!;
      const note = await linkNote(knex, source, target, sourceTable ? { table: sourceTable, id: sourceId } : null, { table: meta.tableName, id: Number(row[target]) });
      const already = await knex(table).select('id').where({ [source]: sourceId, [target]: newTarget }).first();
      const selfPointer = reference.selfReference && keptIds.has(sourceId) && sourceId === newTarget;
      if (already || selfPointer) {
        await journal.delete(table, Number(row.id), note);
        dropped++;
      } else {
        await journal.update(table, Number(row.id), { [source]: sourceId, [target]: newTarget }, note);
        moved++;
      }
    }
  }
  return { moved, dropped, sources };
}

/** Step 5 for one field: each version of the kept document takes what the choice says from the same version of the merged one. */
async function applyField(context: MergeContext, field: MergeField, plan: PlannedField[], keptRows: DocRow[], mergedRows: DocRow[], remaining: DocRow[]): Promise<void> {
  const { strapi, knex, journal, uid, meta, keepId, mergeId } = context;
  const choiceFor = (locale: string | null) => plan.find((entry) => entry.field === field && entry.locale === (field.localized ? locale : null))?.choice;
  const sources = field.localized ? remaining : mergedRows;
  const keptValues = await readField(strapi, knex, uid, field, keptRows.map((row) => row.raw));
  const mergedValues = await readField(strapi, knex, uid, field, sources.map((row) => row.raw));
  for (const target of keptRows) {
    const choice = choiceFor(target.locale);
    const source = sourceFor(field, target, sources);
    if (!choice || choice === 'keep' || !source) continue;
    const mine = keptValues.get(target.id);
    const theirs = mergedValues.get(source.id);
    if (field.kind === 'scalar') {
      if (comparableValue(field, mine) === comparableValue(field, theirs)) continue;
      await journal.update(meta.tableName, target.id, { [field.column!]: theirs });
      context.changedRows.add(target.id);
    } else if (field.kind === 'relation') {
      const link = field.link!;
      // A document never points at itself (an event that was the other's parent, say).
      const own = field.target === uid ? new Set([keepId, mergeId]) : new Set<string>();
      const wanted = (theirs as LinkValue[]).filter((item) => !own.has(item.documentId ?? ''));
      const have = mine as LinkValue[];
      if (choice === 'merge' && comparableValue(field, have) === comparableValue(field, wanted)) continue;
      const targetTable = tableOf(strapi, field.target!)!;
      const keepTargets = new Set(choice === 'merge' ? [] : have.map((item) => item.targetId));
      if (choice === 'merge') for (const item of have) await journal.delete(link.table, item.linkId, await linkNote(knex, link.sourceColumn, link.targetColumn, null, { table: targetTable, id: item.targetId }));
      let order = choice === 'merge' ? 0 : Math.max(0, ...have.map((item) => item.order ?? 0));
      let changed = choice === 'merge' && have.length > 0;
      for (const item of wanted) {
        if (keepTargets.has(item.targetId)) continue;
        keepTargets.add(item.targetId);
        await journal.insert(
          link.table,
          {
            [link.sourceColumn]: target.id,
            [link.targetColumn]: item.targetId,
            ...(link.orderColumn ? { [link.orderColumn]: ++order } : {}),
            ...(link.inverseOrderColumn ? { [link.inverseOrderColumn]: item.inverseOrder } : {}),
          },
          await linkNote(knex, link.sourceColumn, link.targetColumn, null, { table: targetTable, id: item.targetId }),
        );
        changed = true;
      }
      if (changed) context.changedRows.add(target.id);
    } else if (field.kind === 'media') {
      const have = mine as MediaValue[];
      const wanted = theirs as MediaValue[];
      if (choice === 'merge' && comparableValue(field, have) === comparableValue(field, wanted)) continue;
      const files = new Set(choice === 'merge' ? [] : have.map((item) => item.fileId));
      const note = fileNote(context.media);
      if (choice === 'merge') for (const item of have) await journal.delete(context.media.table, item.linkId, note);
      let order = choice === 'merge' ? 0 : Math.max(0, ...have.map((item) => item.order ?? 0));
      let changed = choice === 'merge' && have.length > 0;
      for (const item of wanted) {
        if (files.has(item.fileId)) continue;
        files.add(item.fileId);
        await journal.insert(context.media.table, fileLink(context.media, item.fileId, target.id, uid, field.name, ++order), note);
        changed = true;
      }
      if (changed) context.changedRows.add(target.id);
    } else {
      const have = mine as ComponentValue[];
      const wanted = theirs as ComponentValue[];
      if (choice === 'merge' && comparableValue(field, have) === comparableValue(field, wanted)) continue;
      if (choice === 'merge') for (const component of have) await deleteComponent(context, field.componentTable!, component.linkId, component.componentType, component.componentId);
      const keys = new Set(choice === 'merge' ? [] : have.map((component) => component.key));
      let order = choice === 'merge' ? 0 : Math.max(0, ...have.map((component) => component.order ?? 0));
      let changed = choice === 'merge' && have.length > 0;
      for (const component of wanted) {
        if (keys.has(component.key)) continue; // the same one is there: the kept one stays (the merged one is in the record)
        keys.add(component.key);
        // The component itself moves, with its own links: only the link to its owner changes.
        await journal.update(field.componentTable!, component.linkId, { entity_id: target.id, order: ++order });
        changed = true;
      }
      if (changed) context.changedRows.add(target.id);
    }
  }
}

/** The fields the same in every locale, on the rows of a locale the merged document brought: as the kept document has them now. */
async function syncSharedFields(context: MergeContext, fields: MergeField[], keptRows: DocRow[], reassigned: DocRow[]): Promise<void> {
  const { knex, journal, uid, meta } = context;
  if (reassigned.length === 0) return;
  for (const field of fields.filter((candidate) => !candidate.localized)) {
    for (const row of reassigned) {
      const from = keptRows.find((kept) => kept.published === row.published) ?? keptRows.find((kept) => !kept.published)!;
      if (field.kind === 'scalar') {
        const current = (await knex(meta.tableName).select(field.column!).where({ id: from.id }).first()) as RawRow;
        const mine = (await knex(meta.tableName).select(field.column!).where({ id: row.id }).first()) as RawRow;
        if (comparableValue(field, current[field.column!]) === comparableValue(field, mine[field.column!])) continue;
        await journal.update(meta.tableName, row.id, { [field.column!]: current[field.column!] });
        context.changedRows.add(row.id);
      } else if (field.kind === 'media') {
        const values = await readMedia(knex, context.media, uid, field.name, [from.id, row.id]);
        const wanted = values.get(from.id) ?? [];
        const have = values.get(row.id) ?? [];
        if (comparableValue(field, wanted) === comparableValue(field, have)) continue;
        const note = fileNote(context.media);
        for (const item of have) await journal.delete(context.media.table, item.linkId, note);
        let order = 0;
        for (const item of wanted) await journal.insert(context.media.table, fileLink(context.media, item.fileId, row.id, uid, field.name, ++order), note);
        context.changedRows.add(row.id);
      }
    }
  }
}

/** A person's derived admin fields (display-fields.ts), worked out again from the merged rows, through the journal. */
async function refreshDisplayFields(context: MergeContext): Promise<void> {
  const { strapi, knex, journal, uid, meta, keepId } = context;
  const rows = await rawRows(strapi, knex, uid, keepId);
  const affiliationsField = mergeFields(strapi, uid).find((field) => field.name === 'affiliations');
  const affiliations = affiliationsField ? await readComponents(strapi, knex, affiliationsField, rows.map((row) => Number(row.id))) : new Map<number, ComponentValue[]>();
  for (const row of rows) {
    const wanted = personDisplayFields({
      name: row.name as string | null,
      affiliations: (affiliations.get(Number(row.id)) ?? []).map(({ content }) => ({
        title: content.title as string | null,
        current: content.current as boolean | null,
        organisation: content.organisation ? { name: (content.organisation as { label: string | null }).label } : null,
      })),
    });
    if (wanted.displayName === (row.display_name ?? '') && wanted.currentAffiliation === (row.current_affiliation ?? '')) continue;
    await journal.update(meta.tableName, Number(row.id), { display_name: wanted.displayName, current_affiliation: wanted.currentAffiliation });
  }
}

/** Deletes one component through the journal: its link to its owner first, then its own links, media, nested components, itself. */
async function deleteComponent(context: MergeContext, ownerTable: string, linkId: number, componentUid: string, componentId: number): Promise<void> {
  await context.journal.delete(ownerTable, linkId);
  await deleteOwned(context, componentUid, [componentId]);
  await context.journal.delete(tableOf(context.strapi, componentUid)!, componentId);
}

/**
 * Deletes, through the journal, everything rows of a model own: their links to other rows (with
 * who they pointed at), their file links and their components. Not the rows themselves.
 */
async function deleteOwned(context: MergeContext, modelUid: string, ids: number[]): Promise<void> {
  const { strapi, knex, journal } = context;
  const meta = metaOf(strapi, modelUid);
  if (!meta || ids.length === 0) return;
  const componentTable = `${meta.tableName}_cmps`;
  for (const attribute of Object.values(meta.attributes)) {
    const joinTable = attribute.joinTable;
    if (attribute.type !== 'relation' || attribute.mappedBy || !joinTable || joinTable.morphColumn || joinTable.name === componentTable) continue;
    if (attribute.relation === 'morphOne' || attribute.relation === 'morphMany') continue;
    const targetTable = attribute.target && isDocumentModel(strapi, attribute.target) ? tableOf(strapi, attribute.target) : undefined;
    const rows = (await knex(joinTable.name).select('*').whereIn(joinTable.joinColumn.name, ids).orderBy('id')) as RawRow[];
    for (const row of rows) {
      const targetId = Number(row[joinTable.inverseJoinColumn.name]);
      const sourceTable = isDocumentModel(strapi, modelUid) ? meta.tableName : undefined;
      const note = await linkNote(
        knex,
        joinTable.joinColumn.name,
        joinTable.inverseJoinColumn.name,
        sourceTable ? { table: sourceTable, id: Number(row[joinTable.joinColumn.name]) } : null,
        targetTable ? { table: targetTable, id: targetId } : null,
      );
      await journal.delete(joinTable.name, Number(row.id), note);
    }
  }
  const { media } = context;
  const files = (await knex(media.table).select('id').where({ [media.typeColumn]: modelUid }).whereIn(media.idColumn, ids).orderBy('id')) as Array<{ id: number }>;
  for (const file of files) await journal.delete(media.table, Number(file.id), fileNote(media));
  const hasComponents = Object.values(meta.attributes).some((attribute) => attribute.joinTable?.name === componentTable);
  if (!hasComponents) return;
  const components = (await knex(componentTable).select('*').whereIn('entity_id', ids).orderBy('id')) as RawRow[];
  for (const link of components) await deleteComponent(context, componentTable, Number(link.id), String(link.component_type), Number(link.cmp_id));
}

/** Step 7: the merged document's remaining rows, and all they own, through the journal. */
async function deleteRows(context: MergeContext, rows: DocRow[]): Promise<void> {
  const { strapi, knex, journal, uid, meta } = context;
  const ids = rows.map((row) => row.id);
  if (ids.length === 0) return;
  // Anything still pointing at them (nothing should: step 4 moved it) goes through the journal too.
  for (const reference of referencesTo(strapi, uid)) {
    const pointing = (await knex(reference.table).select('id').whereIn(reference.targetColumn, ids)) as Array<{ id: number }>;
    for (const row of pointing) await journal.delete(reference.table, Number(row.id));
  }
  await deleteOwned(context, uid, ids);
  for (const id of ids) await journal.delete(meta.tableName, id);
}

/** The documents (other than the two merged) holding the rows that pointed at the merged one, with their published locales. */
async function affectedDocuments(
  strapi: Core.Strapi,
  knex: Knex,
  sources: Array<{ uid: string; component: boolean; ids: Set<number> }>,
  uid: string,
  exclude: string[],
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
    const table = isDocumentModel(strapi, contentType) ? tableOf(strapi, contentType) : undefined;
    if (!table) continue;
    const rows = (await knex(table).select('document_id', 'locale', 'published_at').whereIn('id', [...ids])) as RawRow[];
    for (const row of rows) {
      const documentId = String(row.document_id);
      if (contentType === uid && exclude.includes(documentId)) continue;
      const key = `${contentType}|${documentId}`;
      const entry = documents.get(key) ?? { contentType, documentId, publishedLocales: new Set<string>() };
      documents.set(key, entry);
    }
  }
  // Published locales as they are now (a row that pointed may have been a draft).
  for (const entry of documents.values()) {
    const rows = (await knex(tableOf(strapi, entry.contentType)!).select('locale').where({ document_id: entry.documentId }).whereNotNull('published_at')) as Array<{ locale: string | null }>;
    for (const row of rows) if (row.locale) entry.publishedLocales.add(row.locale);
  }
  return [...documents.values()]
    .map((entry) => ({ ...entry, publishedLocales: [...entry.publishedLocales].sort() }))
    .sort((a, b) => `${a.contentType}|${a.documentId}`.localeCompare(`${b.contentType}|${b.documentId}`));
}

/** Review candidates naming the merged document name the kept one; a pair that became one is resolved. */
async function moveCandidates(journal: Journal, knex: Knex, kind: MergeType, mergeId: string, keepId: string, candidateId: number | undefined): Promise<void> {
  const table = CANDIDATE_TABLE;
  const now = new Date();
  if (candidateId !== undefined) await journal.update(table, candidateId, { status: 'merged', updated_at: now });
  const rows = (await knex(table).where({ kind, candidate_document_id: mergeId })) as Array<{ id: number; partner_key: string; external_id: string }>;
  for (const row of rows) {
    const clash = await knex(table).where({ kind, partner_key: row.partner_key, external_id: row.external_id, candidate_document_id: keepId }).first();
    if (clash) await journal.delete(table, Number(row.id));
    else await journal.update(table, Number(row.id), { candidate_document_id: keepId, updated_at: now });
  }
  const pushed = (await knex(table).select('id').where({ kind, document_id: mergeId })) as Array<{ id: number }>;
  for (const row of pushed) await journal.update(table, Number(row.id), { document_id: keepId, updated_at: now });
  const resolved = (await knex(table).select('id').where({ kind, candidate_document_id: keepId, document_id: keepId, status: 'pending' })) as Array<{ id: number }>;
  for (const row of resolved) await journal.update(table, Number(row.id), { status: 'merged', updated_at: now });
  // A pair that now names two documents an editor already said are not the same stays dismissed.
  const open = (await knex(table)
    .where({ kind, status: 'pending' })
    .whereNotNull('document_id')
    .andWhere((query) => {
      query.where({ candidate_document_id: keepId }).orWhere({ document_id: keepId });
    })) as Array<{ id: number; partner_key: string; external_id: string; candidate_document_id: string; document_id: string }>;
  for (const row of open) {
    if (await isDismissed(knex, kind, row.partner_key, row.external_id, row.candidate_document_id, row.document_id)) {
      await journal.update(table, Number(row.id), { status: 'dismissed', updated_at: now });
    }
  }
}

const SLUG_HISTORY = 'api::slug-history.slug-history';

/** The merged document's slugs (the locales it shared with the kept one, and its own history) lead to the kept one. */
async function moveSlugs(strapi: Core.Strapi, journal: Journal, knex: Knex, uid: string, mergedRows: DocRow[], keptRows: DocRow[], keepId: string, mergeId: string): Promise<void> {
  const table = tableOf(strapi, SLUG_HISTORY)!;
  const history = (await knex(table).select('id').where({ content_type: uid, target_document_id: mergeId })) as Array<{ id: number }>;
  for (const row of history) await journal.update(table, Number(row.id), { target_document_id: keepId });
  const keptSlugs = new Set(keptRows.map((row) => `${row.locale}|${row.raw.slug as string}`));
  const seen = new Set<string>();
  for (const row of mergedRows) {
    const slug = row.raw.slug as string | null | undefined;
    if (!slug || !row.locale) continue;
    const key = `${row.locale}|${slug}`;
    if (seen.has(key) || keptSlugs.has(key)) continue;
    seen.add(key);
    const known = await strapi.db.query(SLUG_HISTORY).findOne({ where: { contentType: uid, locale: row.locale, slug, targetDocumentId: keepId } });
    if (known) continue;
    const created = (await strapi.db.query(SLUG_HISTORY).create({ data: { contentType: uid, locale: row.locale, slug, targetDocumentId: keepId } })) as { id: number };
    journal.noteInsert(table, Number(created.id));
  }
}

/** The merged documentId leads to the kept one (redirects.ts); earlier redirects into it move on (no chains). */
async function recordRedirect(journal: Journal, knex: Knex, contentType: string, from: string, to: string): Promise<void> {
  const earlier = (await knex(REDIRECT_TABLE).select('id').where({ content_type: contentType, to_document_id: from })) as Array<{ id: number }>;
  for (const row of earlier) await journal.update(REDIRECT_TABLE, Number(row.id), { to_document_id: to });
  const existing = (await knex(REDIRECT_TABLE).select('id').where({ content_type: contentType, from_document_id: from }).first()) as { id: number } | undefined;
  if (existing) await journal.update(REDIRECT_TABLE, Number(existing.id), { to_document_id: to });
  else await journal.insert(REDIRECT_TABLE, { content_type: contentType, from_document_id: from, to_document_id: to, created_at: new Date() });
}
