/**
 * The merge's journal: every row the merge writes (the merged document's rows it deletes, the
 * kept document's fields, links, components and media it changes, references it moves, partner
 * mappings, candidates, slug history, redirects) is written through here, which keeps the row's
 * values before the write. An undo plays the journal backwards: an update gets its columns'
 * earlier values back, an insert is deleted, a deleted row is inserted again with its id.
 *
 * Links to other documents' rows carry who they pointed at (documentId, locale, draft or
 * published): publishing a document replaces its published row, so between a merge and its undo
 * the row a link pointed at may have a new id. The undo then links the row that is that version
 * now; a link whose target document is gone, or a file link whose file was deleted, is not put
 * back and is reported (`notRestored`).
 */
import type { Knex } from 'knex';
import { HttpError } from '../../../lib/http/http-error';
import { encodeRow, type RawRow, type RowWriter } from './rows';

/** Which version of which document a row is. */
export interface RowIdentity {
  table: string;
  documentId: string;
  locale: string | null;
  published: boolean;
}

/** What a link row joins (columns), and the documents' versions at either end, when they are documents. */
export interface LinkNote {
  sourceColumn: string;
  targetColumn: string;
  source?: RowIdentity;
  target?: RowIdentity;
  /** A file link: the files table, where the file must still be. */
  files?: string;
}

export type JournalEntry =
  | { op: 'update'; table: string; id: number; before: RawRow; after: RawRow; link?: LinkNote }
  | { op: 'insert'; table: string; row: RawRow; link?: LinkNote }
  | { op: 'delete'; table: string; row: RawRow; link?: LinkNote };

export interface NotRestored {
  table: string;
  row: RawRow;
  reason: string;
}

const idOf = (inserted: unknown): number => Number(typeof inserted === 'object' && inserted !== null ? (inserted as { id: unknown }).id : inserted);

/** The identity of a content-type row (its table has document_id, locale and published_at). */
export async function identityOf(knex: Knex, table: string, id: number): Promise<RowIdentity | undefined> {
  const row = (await knex(table).select('document_id', 'locale', 'published_at').where({ id }).first()) as RawRow | undefined;
  if (!row || typeof row.document_id !== 'string') return undefined;
  return { table, documentId: row.document_id, locale: (row.locale as string | null) ?? null, published: row.published_at !== null && row.published_at !== undefined };
}

/** The row that is this version of the document now. */
async function currentRow(knex: Knex, identity: RowIdentity): Promise<number | undefined> {
  const query = knex(identity.table).select('id').where({ document_id: identity.documentId });
  if (identity.locale === null) query.whereNull('locale');
  else query.where({ locale: identity.locale });
  if (identity.published) query.whereNotNull('published_at');
  else query.whereNull('published_at');
  const row = (await query.first()) as { id: number } | undefined;
  return row ? Number(row.id) : undefined;
}

/** The row id at one end of a link now: the same row if it is still that version, else the row that is. */
async function resolveEnd(knex: Knex, id: number, identity: RowIdentity | undefined): Promise<number | undefined> {
  if (!identity) return id;
  const now = await identityOf(knex, identity.table, id);
  if (now && now.documentId === identity.documentId && now.locale === identity.locale && now.published === identity.published) return id;
  return currentRow(knex, identity);
}

export class Journal {
  readonly entries: JournalEntry[] = [];

  constructor(
    private readonly knex: Knex,
    private readonly writer: RowWriter,
  ) {}

  /** Sets some columns of one row; keeps their earlier values. */
  async update(table: string, id: number, changes: RawRow, link?: LinkNote): Promise<void> {
    const current = (await this.knex(table).where({ id }).first()) as RawRow | undefined;
    if (!current) throw new Error(`merge journal: no row ${id} in ${table} to update`);
    const before: RawRow = {};
    for (const column of Object.keys(changes)) before[column] = current[column];
    await this.knex(table).where({ id }).update(this.writer.values(table, changes));
    this.entries.push({ op: 'update', table, id, before: encodeRow(before), after: encodeRow(changes), ...(link ? { link } : {}) });
  }

  /** Inserts one row; returns its id. */
  async insert(table: string, row: RawRow, link?: LinkNote): Promise<number> {
    const [inserted] = (await this.knex(table).insert(this.writer.values(table, row)).returning('id')) as unknown[];
    const id = idOf(inserted);
    this.entries.push({ op: 'insert', table, row: encodeRow({ ...row, id }), ...(link ? { link } : {}) });
    return id;
  }

  /** Notes a row inserted by other means (Strapi's query engine), so an undo deletes it. */
  noteInsert(table: string, id: number): void {
    this.entries.push({ op: 'insert', table, row: { id } });
  }

  /** Deletes one row (if it is there); keeps all of it. */
  async delete(table: string, id: number, link?: LinkNote): Promise<void> {
    const current = (await this.knex(table).where({ id }).first()) as RawRow | undefined;
    if (!current) return;
    await this.knex(table).where({ id }).delete();
    this.entries.push({ op: 'delete', table, row: encodeRow(current), ...(link ? { link } : {}) });
  }
}

const changedSince = (table: string, id: number) =>
  new HttpError(409, 'changed-since-merge', `cannot undo: ${table} row ${id}, which the merge wrote, has changed since`, { table, id });

/** Columns pointing at admin users: a user deleted since is left out (the column's own ON DELETE SET NULL). */
const ADMIN_COLUMNS = ['created_by_id', 'updated_by_id'];

/**
 * Undoes a journal, last write first, inside the caller's transaction. A row an update wrote
 * that is gone now (and cannot be found again by the documents it joins) means someone changed
 * it since: the undo stops (409), and the caller's transaction rolls everything back.
 */
export async function playBackwards(knex: Knex, writer: RowWriter, entries: JournalEntry[]): Promise<NotRestored[]> {
  const notRestored: NotRestored[] = [];
  for (const entry of [...entries].reverse()) {
    if (entry.op === 'update') {
      const updated = Number(await knex(entry.table).where({ id: entry.id }).update(writer.values(entry.table, entry.before)));
      if (updated > 0) continue;
      const again = entry.link ? await findLink(knex, entry.table, entry.link, entry.after) : undefined;
      if (again === undefined) throw changedSince(entry.table, entry.id);
      await knex(entry.table).where({ id: again }).update(writer.values(entry.table, entry.before));
    } else if (entry.op === 'insert') {
      const deleted = Number(await knex(entry.table).where({ id: entry.row.id as number }).delete());
      if (deleted > 0 || !entry.link) continue;
      const again = await findLink(knex, entry.table, entry.link, entry.row);
      if (again !== undefined) await knex(entry.table).where({ id: again }).delete();
    } else {
      const exists = await knex(entry.table).select('id').where({ id: entry.row.id as number }).first();
      if (exists) throw changedSince(entry.table, Number(entry.row.id));
      const row = { ...entry.row };
      if (entry.link) {
        const reason = await relink(knex, entry.link, row);
        if (reason) {
          notRestored.push({ table: entry.table, row: entry.row, reason });
          continue;
        }
        // Linked again since (by someone, or by Strapi re-linking a republished row): once is enough.
        if (!entry.link.files && (await knex(entry.table).select('id').where({ [entry.link.sourceColumn]: row[entry.link.sourceColumn], [entry.link.targetColumn]: row[entry.link.targetColumn] }).first())) continue;
      }
      for (const column of ADMIN_COLUMNS) {
        if (row[column] !== null && row[column] !== undefined && !(await knex('admin_users').select('id').where({ id: row[column] as number }).first())) row[column] = null;
      }
      await knex(entry.table).insert(writer.values(entry.table, row));
    }
  }
  return notRestored;
}

/** The link row joining the same two versions now (their rows may have new ids). */
async function findLink(knex: Knex, table: string, link: LinkNote, values: RawRow): Promise<number | undefined> {
  if (link.files) return undefined;
  const source = await resolveEnd(knex, Number(values[link.sourceColumn]), link.source);
  const target = await resolveEnd(knex, Number(values[link.targetColumn]), link.target);
  if (source === undefined || target === undefined) return undefined;
  const row = (await knex(table).select('id').where({ [link.sourceColumn]: source, [link.targetColumn]: target }).first()) as { id: number } | undefined;
  return row ? Number(row.id) : undefined;
}

/**
 * Points a link row about to be inserted again at the rows its ends are now; answers why it
 * cannot be put back, if it cannot.
 */
async function relink(knex: Knex, link: LinkNote, row: RawRow): Promise<string | undefined> {
  if (link.files) {
    const file = await knex(link.files).select('id').where({ id: row[link.targetColumn] as number }).first();
    return file ? undefined : `file ${String(row[link.targetColumn])} was deleted since the merge`;
  }
  for (const [column, identity] of [
    [link.sourceColumn, link.source],
    [link.targetColumn, link.target],
  ] as const) {
    const id = await resolveEnd(knex, Number(row[column]), identity);
    if (id === undefined) return `${identity?.table ?? 'a'} document ${identity?.documentId ?? String(row[column])} (${identity?.locale ?? '-'}, ${identity?.published ? 'published' : 'draft'}) is gone`;
    row[column] = id;
  }
  return undefined;
}
