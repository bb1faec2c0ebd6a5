/**
 * The import writes a batch of lines per transaction (docs/import.md, Speed): each line inside a
 * savepoint, the change log written and its listeners (search index, webhook outbox, cache) told
 * once per batch. What that must not change, and what it buys, counted in statements (not time):
 * - a line failing after its rows were written is rolled back alone: none of its rows, change-log
 *   entries or search rows stay, and the lines around it in the same batch go in;
 * - a batch failing as a whole (a listener, the commit) is written again line by line, and only
 *   the line at fault is reported;
 * - the search index the batch leaves is the one a rebuild from the published documents makes;
 * - the change log has the same entries, in the same order, as one transaction per line;
 * - a batch sends far fewer statements per line than a transaction per line, and one change-log
 *   insert for the whole batch.
 */
import fs from 'fs';
import path from 'path';
import type { Knex } from 'knex';
import { appModule, startApp, type TestApp } from '../helpers/app';
import { countStatements } from '../helpers/sql-statements';
import { growth, importer, ndjson, tableCounts, writeFile } from './shared';
import type * as Indexer from '../../src/api/search/indexer';
import type * as ChangeLog from '../../src/lib/sync/change-log';
// The generated archive bench:scale imports, small here: 10 topics, 10 organisations, 5 venues,
// 20 people, 15 events and 30 articles.
import { writeArchive } from '../../scripts/lib/archive';


let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

const knex = () => app.strapi.db.connection as Knex;

/** The archive's lines, with every key (and every reference to one) under `prefix`, so it can be imported twice. */
function archive(prefix: string): { file: string; lines: number } {
  const source = writeFile('', 'archive.ndjson');
  writeArchive(source, { articles: 30 });
  const text = fs.readFileSync(source, 'utf8').replace(/"(topic|org|venue|person|event|article)\//g, `"${prefix}$1/`);
  const file = path.join(path.dirname(source), `${prefix.replace(/\W/g, '')}-archive.ndjson`);
  fs.writeFileSync(file, text);
  return { file, lines: text.trim().split('\n').length };
}

/** The change log's entries after `after`, as type, locale and action (documentIds differ between runs). */
async function changesAfter(after: number): Promise<string[]> {
  const rows = (await knex()('sync_changes').where('id', '>', after).orderBy('id')) as Array<{ content_type: string; locale: string; action: string }>;
  return rows.map((row) => `${row.content_type} ${row.locale} ${row.action}`);
}
const head = async () => Number(((await knex()('sync_changes').max({ id: 'id' }).first()) as { id: number | null }).id ?? 0);

describe('a batch of lines in one transaction', () => {
  it('rolls a line that fails after writing its rows back to its savepoint; the lines around it in the batch go in', async () => {
    await app.quiet();
    const before = await tableCounts(app);
    const topic = (key: string, name: string) => ({ type: 'topic', key, da: { name } });
    const sent: string[] = [];
    const seen: number[] = [];
    const file = writeFile(ndjson([topic('sp/a', 'Emne A'), topic('sp/b', 'Emne B'), topic('sp/c', 'Emne C')]));
    const result: { summary?: Awaited<ReturnType<ReturnType<typeof importer>['importFile']>> } = {};
    const run = async () => {
      result.summary = await importer().importFile(app.strapi, file, {
        insideTransaction: (line) => {
          seen.push(line);
          if (line === 2) throw new Error('failed after its rows were written');
        },
      });
    };
    await countStatements(app.strapi, run, undefined, undefined, sent);
    const { summary } = result;
    if (!summary) throw new Error('the import gave no summary');
    // Straight through first (lines 1 and 2, then the batch rolled back), then carefully: a
    // savepoint for each of the three lines, and line 2's rolled back.
    expect(seen).toEqual([1, 2, 1, 2, 3]);
    expect(sent.filter((sql) => /^savepoint import_line/i.test(sql))).toHaveLength(3);
    expect(sent.filter((sql) => /^rollback to savepoint import_line/i.test(sql))).toHaveLength(1);
    await app.quiet();
    expect(summary.errors).toEqual([{ line: 2, field: '', message: expect.stringMatching(/^topic "sp\/b": (Error: )?failed after its rows were written$/) }]);
    expect(summary.created.topic).toBe(2);
    const after = await tableCounts(app);
    const grew = growth(before, after);
    // Two Danish topics: a draft and a published row each, one change each, one search row each.
    expect(grew).toMatchObject({ topics: 4, import_documents: 2, import_checkpoints: 1, sync_changes: 2, search_documents: 2 });
    expect(await knex()('topics').where({ name: 'Emne B' }).first()).toBeUndefined();
    expect(await knex()('search_documents').where({ title: 'Emne B' }).first()).toBeUndefined();
    expect(((await knex()('search_documents').whereIn('title', ['Emne A', 'Emne C'])) as unknown[]).length).toBe(2);
  });

  it('when the batch fails as a whole (here a change-log listener refuses one document), writes its lines again one by one: the line at fault is the one reported', async () => {
    await app.quiet();
    const before = await tableCounts(app);
    const refused = new Set<string>();
    const stop = appModule<typeof ChangeLog>('src/lib/sync/change-log.js').onChangeLog(app.strapi, {
      inTransaction: async (trx, changes) => {
        const names = (await trx('topics').whereIn('document_id', changes.map((change) => change.documentId)).pluck('name')) as string[];
        if (names.includes('Afvist emne')) {
          refused.add(`${changes.length}`);
          throw new Error('the listener refuses "Afvist emne"');
        }
      },
    });
    try {
      const topic = (key: string, name: string) => ({ type: 'topic', key, da: { name } });
      const summary = await importer().importFile(app.strapi, writeFile(ndjson([topic('whole/a', 'Godt emne A'), topic('whole/b', 'Afvist emne'), topic('whole/c', 'Godt emne C')])));
      expect(summary.created.topic).toBe(2);
      expect(summary.errors).toEqual([{ line: 2, field: '', message: expect.stringMatching(/the listener refuses "Afvist emne"/) }]);
      // Refused twice: the batch's three changes, then line 2's one on its own.
      expect([...refused].sort()).toEqual(['1', '3']);
    } finally {
      stop();
    }
    await app.quiet();
    const after = await tableCounts(app);
    const grew = growth(before, after);
    expect(grew).toMatchObject({ topics: 4, import_documents: 2, sync_changes: 2, search_documents: 2 });
    expect(await knex()('topics').where({ name: 'Afvist emne' }).first()).toBeUndefined();
  });

  it('sends far fewer statements per line than a transaction per line, logs the same changes in the same order, and leaves the index a rebuild makes', async () => {
    const perLine = archive('one/');
    const batched = archive('many/');

    let at = await head();
    const sent = { perLine: [] as string[], batched: [] as string[] };
    const countOf = (statements: string[], pattern: RegExp) => statements.filter((sql) => pattern.test(sql)).length;
    const oneByOne = await countStatements(app.strapi, () => importer().importFile(app.strapi, perLine.file, { batchLines: 1 }), undefined, undefined, sent.perLine);
    await app.quiet();
    const perLineChanges = await changesAfter(at);

    at = await head();
    const inBatches = await countStatements(app.strapi, () => importer().importFile(app.strapi, batched.file, { batchLines: 200 }), undefined, undefined, sent.batched);
    await app.quiet();
    const batchedChanges = await changesAfter(at);

    // The same entries, in line order.
    expect(batchedChanges.length).toBeGreaterThan(perLine.lines);
    expect(batchedChanges).toEqual(perLineChanges);
    // One batch: one change-log insert and one transaction, against one of each per line.
    expect(countOf(sent.batched, /^insert into [`"]sync_changes[`"]/i)).toBe(1);
    expect(countOf(sent.perLine, /^insert into [`"]sync_changes[`"]/i)).toBe(perLine.lines);
    expect(countOf(sent.batched, /^BEGIN/i)).toBeLessThanOrEqual(2);
    // A batch without a bad line is written straight through: no savepoint per line, and the
    // import_documents rows in one insert (the savepoints are for a batch that has a bad line).
    expect(countOf(sent.batched, /savepoint import_line/i)).toBe(0);
    expect(countOf(sent.batched, /^insert into [`"]import_documents[`"]/i)).toBe(1);
    // Fewer than half the statements per line (measured 2026-12-06: 45 against 8.6 on SQLite).
    expect(oneByOne / perLine.lines).toBeGreaterThan((2 * inBatches) / batched.lines);

    // The index the batches left is the one a rebuild from the published documents makes.
    const indexRows = async () =>
      (await knex()('search_documents')
        .select('content_type', 'document_id', 'locale', 'slug', 'title', 'lead', 'body', 'terms_title', 'terms_lead', 'terms_body')
        .orderBy(['content_type', 'document_id', 'locale'])) as unknown[];
    const dependencies = async () => (await knex()('search_dependencies').select('content_type', 'document_id', 'locale', 'depends_on').orderBy(['content_type', 'document_id', 'locale', 'depends_on'])) as unknown[];
    const written = { rows: await indexRows(), dependencies: await dependencies() };
    expect(written.rows.length).toBeGreaterThan(2 * batched.lines);
    await appModule<typeof Indexer>('src/api/search/indexer.js').reindexAll(app.strapi);
    expect(await indexRows()).toEqual(written.rows);
    expect(await dependencies()).toEqual(written.dependencies);
  });
});
