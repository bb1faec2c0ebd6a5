/**
 * The search index's tables (database/migrations/2026.12.06T00.00.01.search.ts): writing one
 * document's row, removing it, and looking terms up, on SQLite (FTS5) and PostgreSQL (weighted
 * tsvectors with GIN indexes). Terms arrive already stemmed and folded (text.ts) and are
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

/**
 * Writes documents' rows: a row already there is updated in place (it keeps its id: one version
 * of it), the others are inserted in one statement per chunk; their dependencies replaced.
 */
export async function writeIndexed(knex: Knex, ...documents: IndexedDocument[]): Promise<void> {
  // Chunks keep a statement under SQLite's (and PostgreSQL's) bound-parameter limits.
  for (let start = 0; start < documents.length; start += WRITE_CHUNK) await writeChunk(knex, documents.slice(start, start + WRITE_CHUNK));
}

const WRITE_CHUNK = 200;
const keyOf = (document: Pick<IndexedDocument, 'contentType' | 'documentId' | 'locale'>) => `${document.contentType}|${document.documentId}|${document.locale}`;
const keyColumns = (document: IndexedDocument) => ({ content_type: document.contentType, document_id: document.documentId, locale: document.locale });

function byTypeAndLocale(documents: IndexedDocument[]): IndexedDocument[][] {
  const groups = new Map<string, IndexedDocument[]>();
  for (const document of documents) {
    const group = groups.get(`${document.contentType}|${document.locale}`);
    if (group) group.push(document);
    else groups.set(`${document.contentType}|${document.locale}`, [document]);
  }
  return [...groups.values()];
}

/** The ids of the rows of `documents` already in the index, by key: a statement per type and locale. */
async function existingRows(knex: Knex, documents: IndexedDocument[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const group of byTypeAndLocale(documents)) {
    const { contentType, locale } = group[0]!;
    const rows = (await knex(SEARCH_TABLE)
      .select('id', 'document_id')
      .where({ content_type: contentType, locale })
      .whereIn('document_id', group.map((document) => document.documentId))) as Array<{ id: number; document_id: string }>;
    for (const row of rows) found.set(keyOf({ contentType, documentId: row.document_id, locale }), Number(row.id));
  }
  return found;
}

async function writeChunk(knex: Knex, documents: IndexedDocument[]): Promise<void> {
  const postgres = isPostgres(knex);
  const values = (document: IndexedDocument) => ({
    slug: document.slug,
    title: document.title,
    lead: document.lead,
    body: document.body,
    starts_at: document.startsAt,
    published_at: document.publishedAt,
    terms_title: document.terms.title,
    terms_lead: document.terms.lead,
    terms_body: document.terms.body,
    // PostgreSQL's vectors are written with the row (one version of it, not an insert and an update).
    ...(postgres ? postgresVectors(knex, document) : {}),
  });
  const existing = await existingRows(knex, documents);
  const fresh = documents.filter((document) => !existing.has(keyOf(document)));
  for (const document of documents) {
    const id = existing.get(keyOf(document));
    if (id === undefined) continue;
    await knex(SEARCH_TABLE).where({ id }).update(values(document));
  }
  for (const group of byTypeAndLocale(documents)) {
    await knex(SEARCH_DEPENDENCIES_TABLE)
      .where({ content_type: group[0]!.contentType, locale: group[0]!.locale })
      .whereIn('document_id', group.map((document) => document.documentId))
      .delete();
  }
  if (fresh.length > 0) await knex(SEARCH_TABLE).insert(fresh.map((document) => ({ ...keyColumns(document), ...values(document) })));
  const dependencies = documents.flatMap((document) => document.dependsOn.map((dependsOn) => ({ ...keyColumns(document), depends_on: dependsOn })));
  for (let start = 0; start < dependencies.length; start += 500) await knex(SEARCH_DEPENDENCIES_TABLE).insert(dependencies.slice(start, start + 500));
  if (postgres) return;
  // SQLite's full-text table is keyed by the row's id: the new rows' ids are read back.
  const ids = new Map([...existing, ...(fresh.length > 0 ? await existingRows(knex, fresh) : [])]);
  const rows = documents.map((document) => ({ id: ids.get(keyOf(document))!, document }));
  await knex.raw(`delete from search_fts where rowid in (${rows.map(() => '?').join(', ')})`, rows.map(({ id }) => id));
  await knex.raw(
    `insert into search_fts (rowid, terms_title, terms_lead, terms_body) values ${rows.map(() => '(?, ?, ?, ?)').join(', ')}`,
    rows.flatMap(({ id, document }) => [id, document.terms.title, document.terms.lead, document.terms.body]),
  );
}

/**
 * PostgreSQL's lexemes for a row's locale and type, beside its words in each of its vectors, so
 * that a GIN index alone finds "these words, in Danish, in articles" (lookUpPostgres). A word is
 * [a-z0-9] only and never starts with "~", so no query word, or prefix, is one of these.
 * database/migrations/2026.12.07T00.00.00s.search-tiers.ts writes the same.
 */
export const localeLexeme = (locale: string) => `~locale:${locale}`;
export const typeLexeme = (contentType: string) => `~type:${contentType}`;

/**
 * A row's vectors: the weighted whole (title A, lead B, the rest C) that a search matches, and
 * the title and the lead alone, for the rank's tiers; each with the row's locale and type lexemes.
 */
function postgresVectors(knex: Knex, document: IndexedDocument): Record<'terms' | 'title_terms' | 'lead_terms', Knex.Raw> {
  const lexemes = 'array_to_tsvector(array[?, ?]::text[])';
  const own = [localeLexeme(document.locale), typeLexeme(document.contentType)];
  const { title, lead, body } = document.terms;
  return {
    terms: knex.raw(
      `setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'B') || setweight(to_tsvector('simple', ?), 'C') || ${lexemes}`,
      [title, lead, body, ...own],
    ),
    title_terms: knex.raw(`to_tsvector('simple', ?) || ${lexemes}`, [title, ...own]),
    lead_terms: knex.raw(`to_tsvector('simple', ?) || ${lexemes}`, [lead, ...own]),
  };
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

/**
 * Totals are exact up to this many matches. Past it a search says "more than 1,000"
 * (`total` 1000 and `totalIsLowerBound`), as counting every match of a word found in every
 * article would mean reading every one of them (Elasticsearch's track_total_hits does the same).
 */
export const TOTAL_CAP = 1000;

export interface IndexQuery {
  terms: string[];
  locale: string;
  /** The types searched; all searchable types when left out. */
  contentTypes?: string[];
  when?: 'upcoming' | 'past';
  now: Date;
  limit: number;
  offset: number;
  /** Only documents with no row in this locale (a fallback locale's hits). */
  missingIn?: string;
  /** False: no total (suggestions show none), so no statement counts the matches. */
  withTotal?: boolean;
}

export interface LookedUp {
  rows: IndexRow[];
  /** How many match: exact up to TOTAL_CAP; above it TOTAL_CAP (or the rows seen so far) with totalIsLowerBound. */
  total: number;
  totalIsLowerBound: boolean;
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

/** What every lookup filters on besides the words, the locale and the types: events' time, a fallback's missing locale. */
function filterRest(builder: Knex.QueryBuilder, query: IndexQuery): void {
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
}

/** How many rows `matching` finds, counted up to `cap` (no further: the rest are never read). */
async function countUpTo(knex: Knex, matching: Knex.QueryBuilder, cap: number): Promise<number> {
  const [counted] = (await knex.count({ n: '*' }).from(matching.select(knex.raw('1')).limit(cap).as('m'))) as Array<{ n: number | string }>;
  return Number(counted?.n ?? 0);
}

/**
 * The total beside a page of `found` rows: a page that is not full ends the list, so the total
 * is known without counting; else the matches are counted up to TOTAL_CAP + 1.
 */
async function totalBeside(query: IndexQuery, found: number, count: (cap: number) => Promise<number>): Promise<Omit<LookedUp, 'rows'>> {
  const seen = query.offset + found;
  if (found < query.limit && (found > 0 || query.offset === 0)) return { total: seen, totalIsLowerBound: false };
  if (query.withTotal === false) return { total: seen, totalIsLowerBound: true };
  const counted = await count(TOTAL_CAP + 1);
  if (counted <= TOTAL_CAP) return { total: Math.max(counted, seen), totalIsLowerBound: false };
  return { total: Math.max(TOTAL_CAP, seen), totalIsLowerBound: true };
}

/**
 * Rows matching every term (each as a prefix), best first; and how many match (TOTAL_CAP).
 * Best is where all the terms are found: the title (rank 3) above the lead (2) above anywhere
 * (1, terms spread over fields or in the body); then the newest published; then the oldest row.
 * The same rule on both databases, so they give the same order.
 */
export async function lookUp(knex: Knex, query: IndexQuery): Promise<LookedUp> {
  return isPostgres(knex) ? lookUpPostgres(knex, query) : lookUpSqlite(knex, query);
}

/**
 * SQLite: one statement ranks every match (FTS5 column filters for title and lead); the total is
 * counted up to the cap as on PostgreSQL.
 */
async function lookUpSqlite(knex: Knex, query: IndexQuery): Promise<LookedUp> {
  const match = query.terms.map((term) => `"${term}"*`).join(' AND ');
  const matching = () => {
    const builder = knex({ d: SEARCH_TABLE }).join('search_fts', 'search_fts.rowid', 'd.id').whereRaw('search_fts match ?', [match]).where('d.locale', query.locale);
    if (query.contentTypes) builder.whereIn('d.content_type', query.contentTypes);
    return builder.modify(filterRest, query);
  };
  const within = 'd.id in (select rowid from search_fts where search_fts match ?)';
  const rank = knex.raw(`case when ${within} then 3 when ${within} then 2 else 1 end as rank`, [`terms_title : (${match})`, `terms_lead : (${match})`]);
  const order = [{ column: 'rank', order: 'desc' }, { column: 'd.published_at', order: 'desc' }, { column: 'd.id', order: 'asc' }];
  const rows = (await matching().select('d.*', rank).orderBy(order).limit(query.limit).offset(query.offset)) as IndexRow[];
  return { rows, ...(await totalBeside(query, rows.length, (cap) => countUpTo(knex, matching(), cap))) };
}

/** A lexeme as tsquery input spells it: quoted, so ~, : and . are its own. */
const quoted = (lexeme: string) => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** A tier of the rank on PostgreSQL (TIERS). */
interface Tier {
  rank: number;
  /** The tier's condition on a row `d`; each ? is the search's tsquery. */
  match: string;
  /**
   * Whether its vectors are in the row (the title's and the lead's, storage main), so that testing
   * the newest rows one by one is cheap (newestFirst); the weighted whole is in TOAST, 2 kB to
   * unpack a row.
   */
  inRow: boolean;
}

const TITLE_TIER: Tier = { rank: 3, match: 'd.title_terms @@ ?::tsquery', inRow: true };

/**
 * The tiers of the rank on PostgreSQL, best first, each a set of rows its own GIN index finds:
 * every word in the title; else in the lead; else anywhere (the weighted whole).
 */
const TIERS: Tier[] = [
  TITLE_TIER,
  { rank: 2, match: 'd.lead_terms @@ ?::tsquery and not d.title_terms @@ ?::tsquery', inRow: true },
  { rank: 1, match: 'd.terms @@ ?::tsquery and not d.title_terms @@ ?::tsquery and not d.lead_terms @@ ?::tsquery', inRow: false },
];

/**
 * How many of the newest rows (of the locale and type asked for) a tier is first looked for in
 * when the word is in more than TOTAL_CAP rows of it (newestFirst). A word that common is in one
 * row in 160 or more: 2,000 rows hold a first page of it, or nearly; "energi", in one Danish
 * title in fourteen at 100,000 articles, fills a page of ten within the newest ~150.
 */
export const NEWEST_WINDOW = 2000;

/**
 * PostgreSQL: the tiers in turn, each counted up to the cap by its GIN index and its page read
 * newest first, the next tier read only while the page needs more (a first page of a word found
 * in 2,000 titles reads those titles, never the other 8,000 matches). Ranking every match, and
 * counting them all, read each matching row: 160 ms p50 at 10,000 articles (npm run
 * bench:search).
 *
 * A tier's page comes from one of two reads, whichever touches fewer rows:
 * - a tier of at most TOTAL_CAP matches: its matches from the GIN index, sorted (at most a
 *   thousand rows);
 * - a tier of more (a common word's titles: 11,591 for "energi" at 100,000 articles, 44 ms to
 *   read and sort), when its vectors are in the row (the title's, the lead's): the newest
 *   NEWEST_WINDOW rows of the locale (and type) in the tiers' order, from a btree index, tested
 *   one by one (newestFirst). Their matches are the tier's newest, so a window that holds the
 *   whole page is the page; one that does not, falls back to the sort.
 *
 * Every condition of the match is in the GIN index: the words, and the row's locale and type as
 * lexemes of its vectors (localeLexeme, typeLexeme). With sequential scans off for the
 * transaction the only plans left read those GIN indexes, or the newest-first btree indexes,
 * whatever the statistics say (they misjudge prefixes: 2,500 rows estimated for 10,000). A
 * sequential scan, or the (content_type, document_id, locale) index, tested `terms` row by row
 * and unpacked its 2 kB from TOAST each time (tests/search/scale.test.ts checks the plans). JIT
 * is off too: a plan that had to pay for a turned-off scan would be costed past its threshold and
 * compiled for longer than it runs.
 */
async function lookUpPostgres(knex: Knex, query: IndexQuery): Promise<LookedUp> {
  const types = query.contentTypes ? [`( ${query.contentTypes.map((contentType) => quoted(typeLexeme(contentType))).join(' | ')} )`] : [];
  const own = [quoted(localeLexeme(query.locale)), ...types];
  const tsquery = [...query.terms.map((term) => `${quoted(term)}:*`), ...own].join(' & ');
  // The terms as whole words: what they match, their prefixes match too (wholeWordsFirst).
  const wholeWords = [...query.terms.map(quoted), ...own].join(' & ');
  // The same for the titles of one locale, which have an index of their own (database/migrations/
  // …search-title-locale.ts): the locale is the row's column there, not a lexeme.
  const wholeWordsInTitles = [...query.terms.map(quoted), ...types].join(' & ');
  const bindingsOf = (match: string, first = tsquery) => match.split('?').slice(1).map((_, index) => (index === 0 ? first : tsquery));
  const newestFirstOrder = [
    { column: 'd.published_at', order: 'desc' },
    { column: 'd.id', order: 'asc' },
  ];
  return knex.transaction(async (trx) => {
    await trx.raw("select set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)");
    const matching = (match: string, first = tsquery) => trx({ d: SEARCH_TABLE }).whereRaw(match, bindingsOf(match, first)).modify(filterRest, query);
    /**
     * How many rows `match` finds with the terms as whole words, up to `cap`: some of its rows
     * (only the first condition is narrowed; the rest, `and not` an earlier tier, stay as they
     * are), so past the cap they say `match` is too. A GIN index finds every match of a prefix
     * before a count can stop (a common word's, 11,591 titles: 8 ms; the word alone 3.7 ms, in
     * the Danish titles' own index 1.5 ms, at 100,000 articles).
     */
    const wholeWordMatches = (match: string, cap: number) =>
      countUpTo(trx, match === TITLE_TIER.match ? matching(match, wholeWordsInTitles).where('d.locale', query.locale) : matching(match, wholeWords), cap);
    /** How many rows `match` finds, up to `cap`: as whole words first, and as prefixes when those do not reach it. */
    const wholeWordsFirst = async (match: string, cap: number) => {
      const whole = await wholeWordMatches(match, cap);
      return whole >= cap ? whole : countUpTo(trx, matching(match), cap);
    };
    /** A tier's page from its GIN index: every match read, sorted newest first; with `counted`, each row says how many the tier holds. */
    const sorted = async (tier: Tier, want: number, skip: number, counted: boolean) =>
      (await matching(tier.match)
        .select('d.*', trx.raw(`${tier.rank} as rank`), ...(counted ? [trx.raw('count(*) over () as tier_matches')] : []))
        .orderBy(newestFirstOrder)
        .limit(want)
        .offset(skip)) as Array<IndexRow & { tier_matches?: number | string }>;
    /**
     * A tier's page from the newest NEWEST_WINDOW rows (btree: search_documents_newest_idx, or
     * type_newest_idx for one type), or undefined when they do not hold all of it.
     */
    const newestFirst = async (tier: Tier, want: number, skip: number): Promise<IndexRow[] | undefined> => {
      const newest = trx({ d: SEARCH_TABLE }).select('d.*').where('d.locale', query.locale).modify(filterRest, query).orderBy(newestFirstOrder).limit(NEWEST_WINDOW);
      if (query.contentTypes) newest.where('d.content_type', query.contentTypes[0]!);
      const found = (await trx
        .from(newest.as('d'))
        .whereRaw(tier.match, bindingsOf(tier.match))
        .select('d.*', trx.raw(`${tier.rank} as rank`))
        .orderBy(newestFirstOrder)
        .limit(want)
        .offset(skip)) as IndexRow[];
      return found.length === want ? found : undefined;
    };
    const rows: IndexRow[] = [];
    // The page's start within the tiers still to read.
    let skip = query.offset;
    // Matches of the tiers read: a tier read whole says its size (`count(*) over ()` beside its
    // sorted rows is nearly free); a common word's tier is past the cap. Past it, no count of every
    // match is needed (a word in 11,591 titles at 100,000 articles: its count built a 140,000-row
    // bitmap, 31 ms).
    let tierMatches = 0;
    for (const tier of TIERS) {
      const want = query.limit - rows.length;
      if (want <= 0) break;
      // Past the cap as whole words (a cheap count: one lexeme's GIN entries, up to the cap), or a
      // suggestion's first page (no count at all): the newest rows are tried first.
      const common = query.withTotal === false && skip === 0 ? undefined : (await wholeWordMatches(tier.match, TOTAL_CAP + 1)) > TOTAL_CAP;
      if (common) tierMatches += TOTAL_CAP + 1;
      // The window serves all types, or one (its own index), and a page within its reach.
      const windowed =
        common !== false && tier.inRow && (query.contentTypes === undefined || query.contentTypes.length === 1) && skip + want <= NEWEST_WINDOW;
      const newest = windowed ? await newestFirst(tier, want, skip) : undefined;
      const found: Array<IndexRow & { tier_matches?: number | string }> = newest ?? (await sorted(tier, want, skip, common === false));
      if (common === false) tierMatches += Number(found[0]?.tier_matches ?? 0);
      rows.push(...found.map(({ tier_matches: _tierMatches, ...row }) => row));
      // Rows found: the tier held all of `skip`. None: it held at most `skip`, and the next tiers get the rest.
      if (found.length > 0) skip = 0;
      else if (skip > 0) skip -= await countUpTo(trx, matching(tier.match), skip);
    }
    const count = (cap: number) => (tierMatches >= cap ? Promise.resolve(tierMatches) : wholeWordsFirst('d.terms @@ ?::tsquery', cap));
    return { rows, ...(await totalBeside(query, rows.length, count)) };
  });
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
