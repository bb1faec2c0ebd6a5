/**
 * On PostgreSQL the import writes several batches side by side (docs/import.md, Speed): the
 * database writes one batch while the process prepares the next. What that must not change: the
 * database a run leaves is the one a batch-after-batch run leaves, row for row and link for link
 * (a target's links in the same places, slugs made unique in file order, the change log in file
 * order), the same lines fail with the same errors, and a crash leaves whole batches only: every
 * batch before the checkpoint, nothing after it, and the next run ends where a clean run does.
 * On SQLite (one writer) batches go one at a time. And a wait PostgreSQL cannot see (another
 * writer holds a lock the oldest batch needs and waits for a row a younger batch linked, while
 * that batch waits for the oldest to commit) ends: the batches in flight roll back and are
 * written again.
 *
 * The file is the generated archive, small (10 topics, 10 organisations, 5 venues, 20 people,
 * 15 events, 40 articles), in batches of 5 lines, so lines need documents a batch still in
 * flight makes, with three lines added: an article with another's title (its slug is made
 * unique), a line repeated later (unchanged), and a line naming a person nobody made (fails).
 */
import fs from 'fs';
import type { Knex } from 'knex';
import { startApp, type TestApp } from '../helpers/app';
import { TEST_DB_KIND } from '../helpers/database';
import { importer, ndjson, writeFile } from './shared';
import { IMPORT_TYPES } from '../../src/features/import/shape';
import { CHANGE_LOG_LOCK } from '../../src/lib/sync/change-store';
import { writeArchive } from '../../scripts/lib/archive';

const BATCH_LINES = 5;
const postgres = TEST_DB_KIND === 'postgres';

function file(): { path: string; lines: string[] } {
  const source = writeFile('', 'concurrency-archive.ndjson');
  writeArchive(source, { articles: 40 });
  const lines = fs.readFileSync(source, 'utf8').trim().split('\n');
  const articles = lines.filter((line) => line.startsWith('{"type":"article"'));
  const sameTitle = { ...JSON.parse(articles[3]!), key: 'article/same-title' };
  const unknownAuthor = {
    ...JSON.parse(articles[5]!),
    key: 'article/unknown-author',
    authors: ['person/nobody'],
  };
  // After the first third of the articles: batches of articles run side by side there.
  const at = lines.indexOf(articles[12]!);
  const all = [...lines.slice(0, at), JSON.stringify(sameTitle), articles[2]!, JSON.stringify(unknownAuthor), ...lines.slice(at)];
  const text = `${all.join('\n')}\n`;
  const target = writeFile(text, 'concurrency.ndjson');
  return { path: target, lines: all };
}

/** Every document row, link and change-log entry, named by import key, locale and status (ids and documentIds differ between databases). */
async function snapshot(app: TestApp): Promise<{ documents: string[]; links: string[]; changes: string[] }> {
  const knex = app.strapi.db.connection as Knex;
  const keyOf = new Map(
    ((await knex('import_documents').select('document_id', 'import_key')) as Array<{ document_id: string; import_key: string }>).map((row) => [row.document_id, row.import_key]),
  );
  const rowOf = new Map<string, string>();
  const documents: string[] = [];
  for (const uid of Object.values(IMPORT_TYPES)) {
    const meta = app.strapi.db.metadata.get(uid);
    for (const row of (await knex(meta.tableName).select('*')) as Array<Record<string, unknown>>) {
      const label = `${keyOf.get(String(row.document_id))}|${String(row.locale ?? '')}|${row.published_at ? 'published' : 'draft'}`;
      rowOf.set(`${meta.tableName}:${String(row.id)}`, label);
      documents.push(`${label}|${String(row.slug ?? '')}`);
    }
  }
  const links: string[] = [];
  for (const uid of Object.values(IMPORT_TYPES)) {
    const meta = app.strapi.db.metadata.get(uid);
    for (const [field, attribute] of Object.entries(meta.attributes as Record<string, { type: string; target?: string; joinTable?: Record<string, unknown> }>)) {
      const joinTable = attribute.joinTable as
        | {
            name: string;
            joinColumn: { name: string };
            inverseJoinColumn: { name: string };
            orderColumnName?: string;
            inverseOrderColumnName?: string;
          }
        | undefined;
      if (attribute.type !== 'relation' || !joinTable || !attribute.target || !Object.values<string>(IMPORT_TYPES).includes(attribute.target)) continue;
      const targetTable = app.strapi.db.metadata.get(attribute.target).tableName;
      for (const row of (await knex(joinTable.name).select('*')) as Array<Record<string, unknown>>) {
        const owner = rowOf.get(`${meta.tableName}:${String(row[joinTable.joinColumn.name])}`);
        const target = rowOf.get(`${targetTable}:${String(row[joinTable.inverseJoinColumn.name])}`);
        const order = joinTable.orderColumnName ? row[joinTable.orderColumnName] : '';
        const inverse = joinTable.inverseOrderColumnName ? row[joinTable.inverseOrderColumnName] : '';
        links.push(`${uid}.${field} ${owner} -> ${target} ${String(order)} ${String(inverse)}`);
      }
    }
  }
  const changes = (
    (await knex('sync_changes').orderBy('id')) as Array<{
      content_type: string;
      document_id: string;
      locale: string;
      action: string;
    }>
  ).map((row) => `${row.content_type} ${keyOf.get(row.document_id)} ${row.locale} ${row.action}`);
  return { documents: documents.sort(), links: links.sort(), changes };
}

const { path: FILE, lines: LINES } = file();
type Summary = Awaited<ReturnType<ReturnType<typeof importer>['importFile']>>;

/** Imports FILE `concurrency` batches at a time; with the most transactions the app had open at once. */
async function importCounting(app: TestApp, concurrency: number): Promise<{ summary: Summary; most: number }> {
  const knex = app.strapi.db.connection as Knex;
  const open = new Set<string>();
  let most = 0;
  const onQuery = (query: { sql: string; __knexTxId?: string }) => {
    if (!query.__knexTxId) return;
    if (/^begin/i.test(query.sql)) open.add(query.__knexTxId);
    if (/^(commit|rollback)\b/i.test(query.sql)) open.delete(query.__knexTxId);
    most = Math.max(most, open.size);
  };
  knex.on('query', onQuery);
  try {
    const summary = await importer().importFile(app.strapi, FILE, { batchLines: BATCH_LINES, concurrency });
    return { summary, most };
  } finally {
    knex.off('query', onQuery);
  }
}
let oneAtATime: { summary: Summary; snapshot: Awaited<ReturnType<typeof snapshot>> };

/** The rows, links and change log `app` holds are those of the batch-after-batch run (compared part by part, for a readable difference). */
async function expectAsOneAtATime(app: TestApp): Promise<void> {
  await app.quiet();
  const made = await snapshot(app);
  expect(made.documents).toEqual(oneAtATime.snapshot.documents);
  expect(made.links).toEqual(oneAtATime.snapshot.links);
  expect(made.changes).toEqual(oneAtATime.snapshot.changes);
}

beforeAll(async () => {
  const app = await startApp();
  try {
    const { summary, most } = await importCounting(app, 1);
    expect(most).toBe(1);
    await app.quiet();
    oneAtATime = { summary, snapshot: await snapshot(app) };
  } finally {
    await app.stop();
  }
});

it('batch after batch (the reference): the added lines did what they are for', () => {
  const { summary, snapshot: made } = oneAtATime;
  expect(summary.errors).toEqual([
    {
      line: LINES.findIndex((line) => line.includes('article/unknown-author')) + 1,
      field: 'authors.0',
      message: 'no person with key "person/nobody"',
    },
  ]);
  expect(summary.unchanged).toBe(1);
  const slugs = made.documents.filter((row) => row.startsWith('article/4|da|published|') || row.startsWith('article/same-title|da|published|')).map((row) => row.split('|')[3]);
  expect(slugs[1]).toBe(`${slugs[0]}-2`);
  expect(made.links.length).toBeGreaterThan(200);
});

it(`${postgres ? 'PostgreSQL: batches side by side' : 'SQLite: one batch at a time, whatever is asked'} leave the same rows, links (their places among a target's links too), slugs and change log, with the same errors`, async () => {
  const app = await startApp();
  try {
    const { summary, most } = await importCounting(app, 4);
    if (postgres) {
      expect(most).toBeGreaterThan(1);
      expect(most).toBeLessThanOrEqual(4);
    } else expect(most).toBe(1);
    expect(summary.errors).toEqual(oneAtATime.summary.errors);
    expect({ ...summary, seconds: 0 }).toEqual({ ...oneAtATime.summary, seconds: 0 });
    await expectAsOneAtATime(app);
  } finally {
    await app.stop();
  }
});

it('a crash in a batch while others are in flight leaves whole batches: all before the checkpoint, nothing after; the next run ends as batch after batch did', async () => {
  const app = await startApp();
  try {
    const crashLine = LINES.findIndex((line) => line.includes('"article/20"')) + 1;
    const crash = (line: number) => {
      if (line === crashLine) throw new (importer().InjectedCrash)('crash');
    };
    await expect(
      importer().importFile(app.strapi, FILE, {
        batchLines: BATCH_LINES,
        concurrency: 4,
        insideTransaction: crash,
      }),
    ).rejects.toThrow('crash');
    const knex = app.strapi.db.connection as Knex;
    const { next_line: next } = (await knex('import_checkpoints').first()) as {
      next_line: number;
    };
    const crashBatchStart = crashLine - ((crashLine - 1) % BATCH_LINES);
    expect(next).toBeLessThanOrEqual(crashBatchStart);
    // Exactly the lines before the checkpoint (but the failing one, and the repeat of a key).
    const written = (
      (await knex('import_documents').select('import_key')) as Array<{
        import_key: string;
      }>
    )
      .map((row) => row.import_key)
      .sort();
    const before = [...new Set(LINES.slice(0, next - 1).map((line) => (JSON.parse(line) as { key: string }).key))].filter((key) => key !== 'article/unknown-author').sort();
    expect(written).toEqual(before);

    const summary = await importer().importFile(app.strapi, FILE, {
      batchLines: BATCH_LINES,
      concurrency: 4,
    });
    expect(summary).toMatchObject({
      startedAtLine: next,
      failed: next > LINES.findIndex((line) => line.includes('article/unknown-author')) + 1 ? 0 : 1,
    });
    await expectAsOneAtATime(app);
  } finally {
    await app.stop();
  }
});

const describePostgres = postgres ? describe : describe.skip;
describePostgres(postgres ? 'another writer in the way' : 'another writer in the way (skipped: PostgreSQL only, run by TEST_DB=postgres)', () => {
  it("holding the change log's lock and waiting for a row a younger batch linked: the batches in flight roll back, the writer goes on, and the import ends with every line, in order", async () => {
    const app = await startApp();
    try {
      const knex = app.strapi.db.connection as Knex;
      const topics = [
        { type: 'topic', key: 'lock/first', da: { name: 'Første emne' } },
        { type: 'topic', key: 'lock/later', da: { name: 'Senere emne' } },
      ];
      await importer().importFile(app.strapi, writeFile(ndjson(topics), 'lock-topics.ndjson'));
      const topic = (await knex('topics').where({ name: 'Senere emne' }).first()) as { document_id: string };
      // Titles that share no slug (`… 2`, `… 3` would: the batches would wait for each other).
      const titles = ['Låse og nøgler', 'Døre uden greb', 'Vinduer i vest', 'Tage af strå', 'Gulve af eg', 'Trapper til loftet'];
      // The first batch (lines 1-2) links the first topic, the later ones the later topic.
      const file = writeFile(
        ndjson(
          titles.map((title, index) => ({
            type: 'article',
            key: `lock/article-${index + 1}`,
            topics: [index < 2 ? 'lock/first' : 'lock/later'],
            da: { title },
          })),
        ),
        'lock-articles.ndjson',
      );

      // The other writer: the change log's lock first (as a write that logged a change holds it to commit).
      const writer = await knex.transaction();
      await writer.raw('select pg_advisory_xact_lock(?)', [CHANGE_LOG_LOCK]);
      let writerWent: Promise<unknown> | undefined;
      const summary = await importer().importFile(app.strapi, file, {
        batchLines: 2,
        concurrency: 3,
        lockTimeoutMs: 4000,
        insideTransaction: (line) => {
          // Line 3, in the second batch, has linked the later topic's rows. The writer now
          // deletes them, and waits for that batch; the first batch waits for the writer's lock;
          // the second waits for the first to commit. No wait PostgreSQL sees closes the circle.
          if (line === 3 && !writerWent)
            writerWent = writer.raw('delete from topics where document_id = ?', [topic.document_id]).then(
              () => writer.rollback(),
              async (error: unknown) => {
                await writer.rollback();
                throw error;
              },
            );
        },
      });
      await writerWent;
      expect(summary).toMatchObject({
        failed: 0,
        errors: [],
        created: { article: 6 },
      });
      const places = (await knex('articles_topics_lnk as l')
        .join('articles as a', 'a.id', 'l.article_id')
        .where('l.topic_id', knex('topics').select('id').where({ document_id: topic.document_id }).whereNotNull('published_at'))
        .orderBy('l.article_ord')
        .select('a.title', 'l.article_ord')) as Array<{
        title: string;
        article_ord: number;
      }>;
      expect(places).toEqual(titles.slice(2).map((title, index) => ({ title, article_ord: index + 1 })));
      // The writer's delete went through (and was rolled back): the topic is still there.
      expect(
        (
          (await knex('topics').where({
            document_id: topic.document_id,
          })) as unknown[]
        ).length,
      ).toBe(2);
    } finally {
      await app.stop();
    }
  }, 60_000);
});
