/**
 * Keeps the search index exact from the change log: a change-log listener inside the writing
 * transaction (registered in src/index.ts) reads each changed document as it is now published
 * and writes or removes its row, so a search never sees a change before it commits or misses
 * one that did. `search_state` records the last position indexed: a boot catches up from there
 * (rows logged before the index existed, or a reindex interrupted), and `npm run search:reindex`
 * builds it again from the published documents. A row also holds other documents' text (the
 * person a quote is by, an organisation a person works at): a change to those re-indexes it too,
 * found through search_dependencies.
 */
import type { Core, UID } from '@strapi/strapi';
import type { Knex } from 'knex';
import { changesAfter, headPosition, type LoggedChange } from '../../lib/sync/change-store';
import { expiredBefore } from '../../lib/sync/compaction';
import { isPostgres } from '../../lib/db/dialect';
import { readIndexedMany, SEARCHABLE, SEARCHABLE_UIDS } from './indexed-documents';
import { indexedPosition, removeIndexed, rowsDependingOn, SEARCH_DEPENDENCIES_TABLE, SEARCH_TABLE, setIndexedPosition, writeIndexed } from './index-store';

const LOCALES = ['da', 'en'];

/** Chunk of documents read at once (one Document Service read per type, locale and chunk). */
const READ_CHUNK = 100;

/**
 * Writes the rows of `documents` as they are now published, or removes those that are not: the
 * documents of one type and locale are read together and their rows written together.
 */
async function indexDocuments(strapi: Core.Strapi, knex: Knex, documents: Array<{ uid: string; documentId: string; locale: string }>): Promise<void> {
  const groups = new Map<string, { uid: string; locale: string; documentIds: string[] }>();
  for (const { uid, documentId, locale } of documents) {
    const group = groups.get(`${uid}|${locale}`) ?? { uid, locale, documentIds: [] };
    group.documentIds.push(documentId);
    groups.set(`${uid}|${locale}`, group);
  }
  for (const { uid, locale, documentIds } of groups.values()) {
    for (let start = 0; start < documentIds.length; start += READ_CHUNK) {
      const chunk = documentIds.slice(start, start + READ_CHUNK);
      const indexed = await readIndexedMany(strapi, uid, chunk, locale);
      await writeIndexed(knex, ...indexed.values());
      for (const documentId of chunk) if (!indexed.has(documentId)) await removeIndexed(knex, uid, documentId, locale);
    }
  }
}

// Per app, under a registered symbol (code compiled twice shares it): catch-ups run one at a time.
const CATCH_UP = Symbol.for('hub.search.catchUp');
type WithCatchUp = Core.Strapi & { [CATCH_UP]?: Promise<void> };

function catchUpAfter(strapi: Core.Strapi, committed: Promise<unknown>): void {
  const app = strapi as WithCatchUp;
  app[CATCH_UP] = Promise.all([app[CATCH_UP], committed.catch(() => undefined)])
    .then(() => catchUpSearchIndex(strapi))
    .catch((error: Error) => {
      strapi.log.error(`[search] catching up after a write failed: ${error.message}`);
    });
}

/**
 * The change-log listener: each changed searchable document and locale, as it is now, read
 * through the Document Service inside the writing transaction. Every writer of ours writes in a
 * Strapi transaction; a write in a bare knex transaction (the Document Service could not see its
 * rows, and would wait for a connection of its own) is indexed right after it commits instead.
 */
export async function indexChanges(strapi: Core.Strapi, trx: Knex.Transaction, changes: LoggedChange[]): Promise<void> {
  if (!strapi.db.inTransaction()) {
    catchUpAfter(strapi, trx.executionPromise);
    return;
  }
  const wanted = new Map<string, { uid: string; documentId: string; locale: string }>();
  const add = (uid: string, documentId: string, locale: string) => wanted.set(`${uid}|${documentId}|${locale}`, { uid, documentId, locale });
  for (const change of changes) if (SEARCHABLE_UIDS.has(change.contentType)) add(change.contentType, change.documentId, change.locale);
  // Then the rows holding text of a changed document (any type: a quote is not searchable itself).
  const changed = [...new Set(changes.map((change) => change.documentId))];
  for (const row of await rowsDependingOn(trx, changed)) add(row.contentType, row.documentId, row.locale);
  await indexDocuments(strapi, trx, [...wanted.values()]);
  const last = changes[changes.length - 1];
  if (last) await setIndexedPosition(trx, last.position);
}

/** Builds the whole index again from the published documents, in one transaction. */
export async function reindexAll(strapi: Core.Strapi, progress?: (done: number, total: number) => void): Promise<number> {
  return strapi.db.transaction(async ({ trx }) => {
    const knex = trx as Knex.Transaction;
    const head = await headPosition(knex);
    if (!isPostgres(knex)) await knex.raw('delete from search_fts');
    await knex(SEARCH_DEPENDENCIES_TABLE).delete();
    await knex(SEARCH_TABLE).delete();
    const work: Array<{ uid: string; documentId: string; locale: string }> = [];
    for (const uid of Object.values(SEARCHABLE)) {
      const rows = (await strapi.db.query(uid as UID.ContentType).findMany({
        select: ['documentId', 'locale'],
        where: { publishedAt: { $notNull: true }, locale: { $in: LOCALES } },
      })) as Array<{ documentId: string; locale: string }>;
      for (const row of rows) work.push({ uid, documentId: row.documentId, locale: row.locale });
    }
    for (let start = 0; start < work.length; start += READ_CHUNK) {
      await indexDocuments(strapi, knex, work.slice(start, start + READ_CHUNK));
      progress?.(Math.min(start + READ_CHUNK, work.length), work.length);
    }
    await setIndexedPosition(knex, head);
    return work.length;
  }).then(async (count) => {
    // Fresh planner statistics for the rebuilt table: with the old ones PostgreSQL scanned a
    // 10,000-article index by the wrong index (npm run bench:search).
    if (isPostgres(strapi.db.connection)) await strapi.db.connection.raw('analyze search_documents');
    return count;
  });
}

/** At boot: the whole index on a first start, else the changes logged since it was last written. */
export async function catchUpSearchIndex(strapi: Core.Strapi): Promise<void> {
  const knex = strapi.db.connection;
  const position = await indexedPosition(knex);
  // Behind a dropped tombstone (lib/sync/compaction.ts), the log no longer says what to remove.
  if (position === undefined || position < (await expiredBefore(knex))) {
    const count = await reindexAll(strapi);
    if (count > 0) strapi.log.info(`[search] indexed ${count} published documents`);
    return;
  }
  let at = position;
  for (;;) {
    const changes = await changesAfter(knex, at, { limit: 500 });
    if (changes.length === 0) return;
    await strapi.db.transaction(({ trx }) => indexChanges(strapi, trx as Knex.Transaction, changes));
    at = changes[changes.length - 1]!.position;
  }
}
