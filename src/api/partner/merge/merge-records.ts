/**
 * The merge records (`merge_records`, database/migrations/2026.12.07T00.00.00m.merge-records.ts):
 * one per merge, with what it chose and dropped, the two documents' rows as they were, and the
 * journal an undo plays backwards. Internal: a table, not a content type, so no REST or GraphQL
 * API serves it; the admin API (admin-routes.ts) shows records without their rows.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { HttpError } from '../../../lib/http/http-error';
import type { JournalEntry } from './journal';
import { encodeRow, type RawRow } from './rows';
import type { MergeConfig } from '../../../../config/merge';

export const MERGE_RECORDS_TABLE = 'merge_records';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Days a merge can be undone (config/merge.ts, MERGE_UNDO_DAYS). */
export function undoWindowDays(strapi: Core.Strapi): number {
  return (strapi.config.get('merge') as MergeConfig | undefined)?.undoDays ?? 30;
}

export interface MergeSummary {
  relationsMoved: number;
  relationsDropped: number;
  publishedLocales: string[];
  addedLocales: string[];
  decisions: unknown[];
  dropped: unknown[];
  affected: Array<{ contentType: string; documentId: string }>;
  /** The kept document's published locales before the merge. */
  keptPublishedLocales: string[];
  /** The two documents' names or titles at the merge, for editors. */
  labels: { kept: string | null; merged: string | null };
}

export interface MergeVersions {
  /** The kept document's version right after the merge. */
  kept: string | null;
  /** Each affected document's version right after the merge. */
  affected: Array<{ contentType: string; documentId: string; version: string | null }>;
}

export interface NewMergeRecord {
  contentType: string;
  keptDocumentId: string;
  mergedDocumentId: string;
  candidateId: number | null;
  choices: unknown;
  summary: MergeSummary;
  /** The two documents' main-table rows before the merge. */
  snapshot: { kept: RawRow[]; merged: RawRow[] };
  journal: JournalEntry[];
  versions: MergeVersions;
  createdBy: number | null;
  undoDays: number;
}

interface RecordRow {
  id: number;
  content_type: string;
  kept_document_id: string;
  merged_document_id: string;
  candidate_id: number | null;
  choices: string;
  summary: string;
  snapshot: string;
  journal: string;
  versions: string;
  created_by: number | null;
  created_at: unknown;
  expires_at: unknown;
  undone_at: unknown;
  undone_by: number | null;
}

export interface MergeRecord {
  id: number;
  contentType: string;
  kept: string;
  merged: string;
  candidateId: number | null;
  choices: unknown;
  summary: MergeSummary;
  versions: MergeVersions;
  createdBy: number | null;
  createdAt: string;
  /** The last moment it can be undone. */
  undoUntil: string;
  undoneAt: string | null;
  undoneBy: number | null;
  /** `undoable`, `undone`, or `expired`. */
  state: 'undoable' | 'undone' | 'expired';
}

export interface FullMergeRecord extends MergeRecord {
  snapshot: { kept: RawRow[]; merged: RawRow[] };
  journal: JournalEntry[];
}

const isoOf = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  const date = typeof value === 'string' && /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value as string | number | Date);
  return date.toISOString();
};

function view(row: RecordRow, now = new Date()): MergeRecord {
  const undoUntil = isoOf(row.expires_at)!;
  const undoneAt = isoOf(row.undone_at);
  return {
    id: Number(row.id),
    contentType: row.content_type,
    kept: row.kept_document_id,
    merged: row.merged_document_id,
    candidateId: row.candidate_id === null ? null : Number(row.candidate_id),
    choices: JSON.parse(row.choices) as unknown,
    summary: JSON.parse(row.summary) as MergeSummary,
    versions: JSON.parse(row.versions) as MergeVersions,
    createdBy: row.created_by === null ? null : Number(row.created_by),
    createdAt: isoOf(row.created_at)!,
    undoUntil,
    undoneAt,
    undoneBy: row.undone_by === null ? null : Number(row.undone_by),
    state: undoneAt ? 'undone' : new Date(undoUntil).getTime() < now.getTime() ? 'expired' : 'undoable',
  };
}

export async function insertMergeRecord(knex: Knex, record: NewMergeRecord): Promise<{ id: number; undoUntil: string }> {
  const createdAt = new Date();
  const expiresAt = new Date(createdAt.getTime() + record.undoDays * DAY_MS);
  const [inserted] = (await knex(MERGE_RECORDS_TABLE)
    .insert({
      content_type: record.contentType,
      kept_document_id: record.keptDocumentId,
      merged_document_id: record.mergedDocumentId,
      candidate_id: record.candidateId,
      choices: JSON.stringify(record.choices ?? {}),
      summary: JSON.stringify(record.summary),
      snapshot: JSON.stringify({ kept: record.snapshot.kept.map(encodeRow), merged: record.snapshot.merged.map(encodeRow) }),
      journal: JSON.stringify(record.journal),
      versions: JSON.stringify(record.versions),
      created_by: record.createdBy,
      created_at: createdAt,
      expires_at: expiresAt,
    })
    .returning('id')) as unknown[];
  const id = Number(typeof inserted === 'object' && inserted !== null ? (inserted as { id: unknown }).id : inserted);
  return { id, undoUntil: expiresAt.toISOString() };
}

function checkId(id: unknown): number {
  const numeric = Number(id);
  if (!Number.isInteger(numeric) || numeric <= 0) throw new HttpError(400, 'bad-request', `merge record id must be a positive integer (got ${JSON.stringify(id)})`, { field: 'id' });
  return numeric;
}

/** One record with its rows and journal (for the undo). Throws 404. `lock` takes a row lock on PostgreSQL. */
export async function fullMergeRecord(knex: Knex, id: unknown, lock = false): Promise<FullMergeRecord> {
  const numeric = checkId(id);
  const query = knex(MERGE_RECORDS_TABLE).where({ id: numeric });
  if (lock && ['postgres', 'pg'].includes(String(knex.client.config.client))) query.forUpdate();
  const row = (await query.first()) as RecordRow | undefined;
  if (!row) throw new HttpError(404, 'not-found', `no merge record ${numeric}`, { field: 'id' });
  return { ...view(row), snapshot: JSON.parse(row.snapshot) as FullMergeRecord['snapshot'], journal: JSON.parse(row.journal) as JournalEntry[] };
}

export async function mergeRecord(knex: Knex, id: unknown): Promise<MergeRecord> {
  const { snapshot: _snapshot, journal: _journal, ...record } = await fullMergeRecord(knex, id);
  return record;
}

/** Records naming a document (kept or merged), newest first; or the latest records of every type. */
export async function listMergeRecords(knex: Knex, filter: { documentId?: string; state?: string } = {}): Promise<MergeRecord[]> {
  if (filter.state !== undefined && !['undoable', 'undone', 'expired'].includes(filter.state)) {
    throw new HttpError(400, 'bad-request', 'state must be one of undoable, undone, expired', { field: 'state' });
  }
  const query = knex(MERGE_RECORDS_TABLE)
    .select('id', 'content_type', 'kept_document_id', 'merged_document_id', 'candidate_id', 'choices', 'summary', 'versions', 'created_by', 'created_at', 'expires_at', 'undone_at', 'undone_by')
    .orderBy('id', 'desc')
    .limit(200);
  const documentId = filter.documentId;
  if (documentId) {
    query.where((where) => {
      where.where({ kept_document_id: documentId }).orWhere({ merged_document_id: documentId });
    });
  }
  const records = ((await query) as RecordRow[]).map((row) => view(row));
  return filter.state ? records.filter((record) => record.state === filter.state) : records;
}

export async function markUndone(knex: Knex, id: number, userId: number | null): Promise<void> {
  await knex(MERGE_RECORDS_TABLE).where({ id }).update({ undone_at: new Date(), undone_by: userId });
}
