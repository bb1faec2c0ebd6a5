/**
 * The search index's tables (database/migrations/2026.12.06T00.00.01.search.ts): writing one
 * document's row, removing it, and looking terms up, on SQLite (FTS5) and PostgreSQL (a
 * weighted tsvector with a GIN index). Terms arrive already stemmed and folded (text.ts) and are
 * [a-z0-9] only, so they are placed in the index syntax as they are.
 */
import type { Knex } from 'knex';
import { isPostgres } from '../../lib/db/dialect';

export const SEARCH_TABLE = 'search_documents';
export const SEARCH_STATE_TABLE = 'search_state';
/** Which other documents each row's text came from (database/migrations/…search-dependencies.ts). */
export const SEARCH_DEPENDENCIES_TABLE = 'search_dependencies';

export interface IndexedDocument {
  contentType: string;
  documentId: string;
  locale: string;
  slug: string | null;
  title: string;
  lead: string;
  body: string;
  startsAt: Date | null;
  publishedAt: Date | null;
  terms: { title: string; lead: string; body: string };
  /** The documentIds of the other documents whose text is in this row (a quote's person...). */
  dependsOn: string[];
}

export interface IndexRow {
  id: number;
  content_type: string;
  document_id: string;
  locale: string;
  slug: string | null;
  title: string;
  lead: string | null;
  body: string | null;
  starts_at: Date | string | number | null;
  published_at: Date | string | number | null;
  rank: number;
}

export async function writeIndexed(knex: Knex, document: IndexedDocument): Promise<void> {
  const key = { content_type: document.contentType, document_id: document.documentId, locale: document.locale };
  const values = {
    slug: document.slug,
    title: document.title,
    lead: document.lead,
    body: document.body,
    starts_at: document.startsAt,
    published_at: document.publishedAt,
    terms_title: document.terms.title,
    terms_lead: document.terms.lead,
    terms_body: document.terms.body,
  };
  const existing = (await knex(SEARCH_TABLE).select('id').where(key).first()) as { id: number } | undefined;
  let id: number;
  if (existing) {
    id = Number(existing.id);
    await knex(SEARCH_TABLE).where({ id }).update(values);
  } else {
    const [inserted] = (await knex(SEARCH_TABLE).insert({ ...key, ...values }).returning('id')) as Array<number | { id: number }>;
    id = Number(typeof inserted === 'object' ? inserted.id : inserted);
  }
  await knex(SEARCH_DEPENDENCIES_TABLE).where(key).delete();
  if (document.dependsOn.length > 0) {
    await knex(SEARCH_DEPENDENCIES_TABLE).insert(document.dependsOn.map((dependsOn) => ({ ...key, depends_on: dependsOn })));
  }
  if (isPostgres(knex)) {
    await knex.raw(
      // The weighted whole for matching; title and lead alone for the rank (migration …search-rank-vectors).
      "update ?? set terms = setweight(to_tsvector('simple', terms_title), 'A') || setweight(to_tsvector('simple', terms_lead), 'B') || setweight(to_tsvector('simple', terms_body), 'C'), title_terms = to_tsvector('simple', terms_title), lead_terms = to_tsvector('simple', terms_lead) where id = ?",
      [SEARCH_TABLE, id],
    );
  } else {
    await knex.raw('delete from search_fts where rowid = ?', [id]);
    await knex.raw('insert into search_fts (rowid, terms_title, terms_lead, terms_body) values (?, ?, ?, ?)', [id, values.terms_title, values.terms_lead, values.terms_body]);
  }
}

export async function removeIndexed(knex: Knex, contentType: string, documentId: string, locale?: string): Promise<void> {
  const dependencies = knex(SEARCH_DEPENDENCIES_TABLE).where({ content_type: contentType, document_id: documentId });
  if (locale) dependencies.where({ locale });
  await dependencies.delete();
  const query = knex(SEARCH_TABLE).select('id').where({ content_type: contentType, document_id: documentId });
  if (locale) query.where({ locale });
  const ids = ((await query) as Array<{ id: number }>).map((row) => Number(row.id));
  if (ids.length === 0) return;
  if (!isPostgres(knex)) await knex.raw(`delete from search_fts where rowid in (${ids.map(() => '?').join(',')})`, ids);
  await knex(SEARCH_TABLE).whereIn('id', ids).delete();
}

export interface IndexQuery {
  terms: string[];
  locale: string;
  contentTypes: string[];
  when?: 'upcoming' | 'past';
  now: Date;
  limit: number;
  offset: number;
  /** Only documents with no row in this locale (a fallback locale's hits). */
  missingIn?: string;
}

/** The rows (type, document, locale) whose text came from any of these documents. */
export async function rowsDependingOn(knex: Knex, documentIds: string[]): Promise<Array<{ contentType: string; documentId: string; locale: string }>> {
  const found: Array<{ contentType: string; documentId: string; locale: string }> = [];
  // Chunks keep the statement under SQLite's bound-parameter limit on a long catch-up.
  for (let start = 0; start < documentIds.length; start += 500) {
    const rows = (await knex(SEARCH_DEPENDENCIES_TABLE)
      .distinct('content_type', 'document_id', 'locale')
      .whereIn('depends_on', documentIds.slice(start, start + 500))) as Array<{ content_type: string; document_id: string; locale: string }>;
    for (const row of rows) found.push({ contentType: row.content_type, documentId: row.document_id, locale: row.locale });
  }
  return found;
}

/**
 * Rows matching every term (each as a prefix), best first; and how many match in all. Best is
 * where all the terms are found: the title (rank 3) above the lead (2) above anywhere (1, terms
 * spread over fields or in the body); then the newest published; then the oldest row. The same
 * rule on both databases, so they give the same order.
 */
export async function lookUp(knex: Knex, query: IndexQuery): Promise<{ rows: IndexRow[]; total: number }> {
  const filter = (builder: Knex.QueryBuilder) => {
    builder.where('d.locale', query.locale).whereIn('d.content_type', query.contentTypes);
    if (query.missingIn) {
      const missingIn = query.missingIn;
      builder.whereNotExists(function inRequestedLocale() {
        void this.select(1).from({ o: SEARCH_TABLE }).whereRaw('o.content_type = d.content_type and o.document_id = d.document_id').where('o.locale', missingIn);
      });
    }
    // Events are filtered by time; other types are not events and pass.
    if (query.when) {
      const operator = query.when === 'upcoming' ? '>=' : '<';
      builder.where((inner) => {
        void inner.whereNull('d.starts_at').orWhere('d.starts_at', operator, query.now);
      });
    }
  };
  const order = [{ column: 'rank', order: 'desc' }, { column: 'd.published_at', order: 'desc' }, { column: 'd.id', order: 'asc' }];
  let base: () => Knex.QueryBuilder;
  let rank: Knex.Raw;
  if (isPostgres(knex)) {
    const tsquery = query.terms.map((term) => `${term}:*`).join(' & ');
    base = () => knex({ d: SEARCH_TABLE }).whereRaw("d.terms @@ to_tsquery('simple', ?)", [tsquery]).modify(filter);
    rank = knex.raw(
      "case when d.title_terms @@ to_tsquery('simple', ?) then 3 when d.lead_terms @@ to_tsquery('simple', ?) then 2 else 1 end as rank",
      [tsquery, tsquery],
    );
  } else {
    const match = query.terms.map((term) => `"${term}"*`).join(' AND ');
    base = () => knex({ d: SEARCH_TABLE }).join('search_fts', 'search_fts.rowid', 'd.id').whereRaw('search_fts match ?', [match]).modify(filter);
    const within = 'd.id in (select rowid from search_fts where search_fts match ?)';
    rank = knex.raw(`case when ${within} then 3 when ${within} then 2 else 1 end as rank`, [`terms_title : (${match})`, `terms_lead : (${match})`]);
  }
  const rows = (await base().select('d.*', rank).orderBy(order).limit(query.limit).offset(query.offset)) as IndexRow[];
  const [counted] = (await base().count({ total: '*' })) as Array<{ total: number | string }>;
  return { rows, total: Number(counted?.total ?? 0) };
}

/** The change-log position the index reflects, or undefined before the first build. */
export async function indexedPosition(knex: Knex): Promise<number | undefined> {
  const row = (await knex(SEARCH_STATE_TABLE).select('position').where({ id: 1 }).first()) as { position: number | string } | undefined;
  return row ? Number(row.position) : undefined;
}

export async function setIndexedPosition(knex: Knex, position: number): Promise<void> {
  const updated = await knex(SEARCH_STATE_TABLE).where({ id: 1 }).update({ position });
  if (updated === 0) await knex(SEARCH_STATE_TABLE).insert({ id: 1, position });
}
