/**
 * The admin list's search (`_q`) in the two types the archive holds by the ten thousand,
 * articles and events, served by indexes on PostgreSQL.
 *
 * Strapi's search is `<column>::text ILIKE '%term%'` over the row's id and each text column,
 * OR'd (@strapi/database query/helpers/search.js). No btree serves a `%term%`, so a word with few
 * matches read every draft, twice: the sorted page walked the whole sort index and the count
 * never reached its bound (src/features/editorial/admin/search-total.ts). At 100,000 articles,
 * 311-386 ms and 466-477 ms; at 50,000 events the page 495 ms. A GIN trigram index (`pg_trgm`)
 * on each column the search reads turns the OR into a BitmapOr of index scans (under a
 * millisecond each), and PostgreSQL still walks the sort index for a common word, whose first
 * page is found early.
 *
 * Every column needs one, or the OR reads the table. `locale` is left out of the search instead
 * (seam patch `search-columns`): a trigram index on it would be chosen for `locale = 'da'`, and a
 * search for "da" matched every Danish row by its locale.
 *
 * Partial, on the drafts (`published_at is null`): the admin's list searches the drafts, and a
 * trigram index also answers `=` (pg_trgm 1.6), so one on every row would compete with the
 * btrees for the public reads' equality filters (it won the events' slug lookup in
 * tests/database/lookup-indexes). The drafts are read by `=` on `document_id` alone, which
 * Strapi's own btree answers (tests/admin/search-indexes checks the plan).
 *
 * Made at boot if missing; on a table that has rows `concurrently`, so writers go on while an
 * existing archive is indexed (21 s for the articles' seven at 100,000), and an index a killed
 * boot left invalid is made again. One instance makes them: the others boot on without waiting
 * (a session waiting for the advisory lock holds a snapshot, which `create index concurrently`
 * waits for: the two would deadlock). The indexes only make a search faster, so an index that
 * cannot be made is a warning, tried again at the next boot. SQLite has no trigram index: there
 * the search reads the rows, as before.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { isPostgres } from '../../../lib/db/dialect';
import { modelMetadata } from '../../../strapi-seam/db-metadata';
import { leaveOutOfSearch } from '../../../strapi-seam/search-columns';

/** The types whose admin list's search has trigram indexes. */
export const TRIGRAM_SEARCHED_TYPES = ['api::article.article', 'api::event.event'] as const;

/** Strapi's search reads these attribute types (@strapi/database utils/types.js STRING_TYPES)… */
const SEARCHED_TYPES = new Set(['string', 'text', 'uid', 'email', 'enumeration', 'richtext']);
/** …and these when the term is a number (NUMBER_TYPES), through their text. */
const NUMBER_TYPES = new Set(['biginteger', 'integer', 'decimal', 'float']);

/** An advisory lock's key: of instances booting side by side, one makes the indexes. */
const SEARCH_INDEXES_LOCK = 0x5ea2c4;

/** Suffix of the indexes made here; an index with it that is no longer wanted is dropped. */
const SUFFIX = '_trgm';

interface SearchedMeta {
  tableName: string;
  attributes: Record<string, { type: string; columnName?: string; searchable?: boolean }>;
}

export interface TrigramIndex {
  name: string;
  table: string;
  column: string;
  /**
   * Whether the column's text is indexed rather than the column, so that Strapi's `<column>::text
   * ILIKE` can use it: for a number (its cast is a function call); a text column's `::text` only
   * relabels the type, and PostgreSQL matches an index on the column itself.
   */
  castToText: boolean;
}

/** Takes `locale` out of every one of our content types' search (why: the file's comment). */
export function leaveLocaleOutOfSearch(strapi: Core.Strapi): void {
  const ours = Object.keys(strapi.contentTypes).filter((uid) => uid.startsWith('api::'));
  leaveOutOfSearch(strapi, ours, 'locale');
}

/**
 * The columns Strapi's search reads for a type, as it picks them: the id, each string attribute
 * not marked `searchable: false`, and for a numeric term each number attribute.
 */
export function searchedColumns(meta: SearchedMeta): Array<{ column: string; castToText: boolean }> {
  const read = (types: Set<string>) =>
    Object.entries(meta.attributes)
      .filter(([, attribute]) => types.has(attribute.type) && attribute.searchable !== false)
      .map(([name, attribute]) => attribute.columnName ?? name);
  return [{ column: 'id', castToText: true }, ...read(SEARCHED_TYPES).map((column) => ({ column, castToText: false })), ...read(NUMBER_TYPES).map((column) => ({ column, castToText: true }))];
}

/** The trigram indexes to have, one per searched column of each type in TRIGRAM_SEARCHED_TYPES. */
export function trigramIndexes(strapi: Core.Strapi): TrigramIndex[] {
  return TRIGRAM_SEARCHED_TYPES.flatMap((uid) => {
    const meta = modelMetadata<SearchedMeta & { uid: string }>(strapi, uid);
    if (!meta) throw new Error(`admin search indexes: no database metadata for ${uid}`);
    return searchedColumns(meta).map(({ column, castToText }) => ({
      name: `${`${meta.tableName}_${column}`.slice(0, 63 - SUFFIX.length)}${SUFFIX}`,
      table: meta.tableName,
      column,
      castToText,
    }));
  });
}

/** Makes the missing trigram indexes (PostgreSQL), remakes invalid ones, drops unwanted ones. */
export async function ensureTrigramIndexes(strapi: Core.Strapi): Promise<void> {
  const knex = strapi.db.connection as Knex;
  if (!isPostgres(knex)) return;
  const wanted = trigramIndexes(strapi);
  // A session lock on one connection, which also runs the statements: `concurrently` cannot run
  // inside a transaction, so a transaction-scoped lock would not do.
  const connection: unknown = await knex.client.acquireConnection();
  const run = (sql: string, bindings: readonly Knex.RawBinding[] = []) => knex.raw(sql, bindings).connection(connection);
  const warn = (what: string, error: unknown) => strapi.log.warn(`admin search: ${what} (${(error as Error).message}); a search there reads every draft until the next boot makes it`);
  try {
    const locked = (await run('select pg_try_advisory_lock(?) as locked', [SEARCH_INDEXES_LOCK])) as { rows: Array<{ locked: boolean }> };
    if (!locked.rows[0]?.locked) return; // another instance is making them
    try {
      let opclass: string;
      try {
        await run('create extension if not exists pg_trgm');
        // The operator class where the extension lives, which may be off this app's search path.
        const schema = (await run("select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'")) as { rows: Array<{ schema: string }> };
        opclass = `${knex.client.wrapIdentifier(schema.rows[0]!.schema)}.gin_trgm_ops`;
      } catch (error) {
        warn('no trigram indexes: the pg_trgm extension could not be made', error);
        return;
      }
      const tables = [...new Set(wanted.map(({ table }) => table))];
      const existing = (await run(
        `select c.relname as name, i.indisvalid as valid
           from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
          where t.relname = any(?) and t.relnamespace = current_schema()::regnamespace and c.relname like ?`,
        [tables, `%${SUFFIX.replace('_', '\\_')}`], // `_` is LIKE's any-character
      )) as { rows: Array<{ name: string; valid: boolean }> };
      const found = new Map(existing.rows.map((row) => [row.name, row]));
      const wantedNames = new Set(wanted.map(({ name }) => name));
      for (const { name } of existing.rows) if (!wantedNames.has(name)) await run('drop index concurrently if exists ??', [name]);
      const missing = wanted.filter(({ name }) => !found.get(name)?.valid);
      if (missing.length === 0) return;
      strapi.log.info(`admin search: making ${missing.length} trigram index(es) (${missing.map(({ name }) => name).join(', ')}); writers go on meanwhile`);
      const hasRows = new Map<string, boolean>();
      for (const index of missing) {
        try {
          if (found.has(index.name)) await run('drop index concurrently if exists ??', [index.name]); // left invalid by a boot that was killed
          if (!hasRows.has(index.table)) {
            const answer = (await run('select exists (select 1 from ??) as "rows"', [index.table])) as { rows: Array<{ rows: boolean }> };
            hasRows.set(index.table, Boolean(answer.rows[0]?.rows));
          }
          const how = hasRows.get(index.table) ? 'concurrently ' : '';
          const indexed = index.castToText ? '(??::text)' : '??';
          await run(`create index ${how}if not exists ?? on ?? using gin (${indexed} ${opclass}) where "published_at" is null`, [index.name, index.table, index.column]);
        } catch (error) {
          warn(`index ${index.name} not made`, error);
        }
      }
    } finally {
      await run('select pg_advisory_unlock(?)', [SEARCH_INDEXES_LOCK]);
    }
  } finally {
    await knex.client.releaseConnection(connection);
  }
}
