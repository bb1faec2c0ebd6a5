/**
 * What an import run promises (docs/import.md): a second run of the same file, or of the same
 * lines in another file, writes nothing (no row in any table it may write, no change-log entry);
 * a bad line is reported with its line number and field, skipped, and nothing of it is written,
 * while the lines around it go in; the summary counts all of it.
 */
import type { Knex } from 'knex';
import { startApp, type TestApp } from '../helpers/app';
import { documentRows, mergeDocuments, versionOf } from '../../src/api/partner/merge/merge';
import { undoMerge } from '../../src/api/partner/merge/undo';
import { growth, importer, LINES, ndjson, tableCounts, writeFile, type Line } from './shared';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

const knex = () => app.strapi.db.connection as Knex;

describe('idempotence', () => {
  it('a second run of the same file changes nothing: every table counted, the change log included', async () => {
    const file = writeFile(ndjson(LINES));
    const first = await importer().importFile(app.strapi, file);
    expect(first.errors).toEqual([]);
    expect(first.created).toEqual({ article: 3, person: 2, organisation: 2, topic: 2, venue: 1, event: 2 });
    await app.quiet();
    const before = await tableCounts(app);
    expect(before.sync_changes).toBeGreaterThan(10);
    expect(before.import_documents).toBe(LINES.length);
    const checkpoint = await knex()('import_checkpoints').first();

    const second = await importer().importFile(app.strapi, file);
    await app.quiet();
    expect(second).toMatchObject({ startedAtLine: 1, unchanged: LINES.length, failed: 0, created: { article: 0, person: 0, organisation: 0, topic: 0, venue: 0, event: 0 } });
    expect(await tableCounts(app)).toEqual(before);
    // Not even the checkpoint moved.
    expect(await knex()('import_checkpoints').first()).toEqual(checkpoint);
  });

  it('the same lines in another file (reordered, keys in another order): nothing written either', async () => {
    const before = await tableCounts(app);
    const reordered = LINES.map((line) => Object.fromEntries(Object.entries(line).reverse()) as Line);
    const summary = await importer().importFile(app.strapi, writeFile(ndjson(reordered)));
    await app.quiet();
    expect(summary).toMatchObject({ unchanged: LINES.length, failed: 0 });
    // One new checkpoint row (a new file), nothing else.
    expect(await tableCounts(app)).toEqual({ ...before, import_checkpoints: before.import_checkpoints! + 1 });
  });

  it('a key imported before with other content is reported, not written (the import does not update)', async () => {
    const before = await tableCounts(app);
    const changed = { ...LINES[0]!, da: { name: 'Klima' } };
    const summary = await importer().importFile(app.strapi, writeFile(ndjson([changed])));
    expect(summary.errors).toEqual([{ line: 1, field: 'key', message: expect.stringContaining('topic "topic/klima" was imported before with other content') }]);
    expect(await tableCounts(app)).toEqual({ ...before, import_checkpoints: before.import_checkpoints! + 1 });
  });
});

describe('bad lines', () => {
  const good = (key: string, name: string): Line => ({ type: 'topic', key, da: { name }, en: { name: `${name} (en)` } });
  const BAD: Array<[string, string | Line, { field: string; message: unknown }]> = [
    ['bad JSON', '{"type": "topic", "key": ', { field: '', message: /^is not JSON/ }],
    ['not an object', '[1, 2]', { field: '', message: 'must be a JSON object' }],
    ['unknown type', { type: 'podcast', key: 'p/1', da: { title: 'Lyd' } }, { field: 'type', message: 'must be one of topic, organisation, person, venue, event, article; got "podcast"' }],
    ['missing required field', { type: 'article', key: 'a/missing', da: { lead: 'Uden titel' } }, { field: 'da.title', message: expect.any(String) }],
    ['unknown field', { type: 'topic', key: 't/extra', colour: 'red', da: { name: 'Farve' } }, { field: 'colour', message: 'is not a known field' }],
    ['bad enum', { type: 'organisation', key: 'o/bad', kind: 'club', da: { name: 'Klubben' } }, { field: 'kind', message: expect.any(String) }],
    [
      'bad relation reference (key)',
      { type: 'article', key: 'a/bad-ref', topics: ['topic/unknown'], da: { title: 'Forkert emne' } },
      { field: 'topics.0', message: 'no topic with key "topic/unknown"' },
    ],
    [
      'bad relation reference (slug)',
      { type: 'event', key: 'e/bad-ref', startsAt: '2027-01-01T10:00:00+01:00', organisers: [{ slug: 'findes-ikke' }], da: { title: 'Uden arrangør' } },
      { field: 'organisers.0', message: 'no organisation with slug "findes-ikke"' },
    ],
    [
      "a relation to a target without the line's locale",
      { type: 'article', key: 'a/no-en', topics: ['topic/only-da'], da: { title: 'Dansk emne' }, en: { title: 'Danish topic' } },
      { field: 'topics.0', message: 'topic with key "topic/only-da" has no "en" version to link from this line\'s "en" locale' },
    ],
    [
      'a write rule refuses it (ends before it starts)',
      { type: 'event', key: 'e/backwards', startsAt: '2027-01-02T10:00:00+01:00', endsAt: '2027-01-01T10:00:00+01:00', da: { title: 'Baglæns' } },
      { field: 'endsAt', message: 'endsAt must not be before startsAt' },
    ],
  ];

  it('each is reported with its line and field, skipped, and nothing of it is written; the good lines around them go in', async () => {
    // Lines: 1 good, 2 a topic only in Danish (for the locale case), then each bad line between good ones.
    const lines: Array<string | Line> = [good('t/first', 'Første'), { type: 'topic', key: 'topic/only-da', da: { name: 'Kun dansk emne' } }];
    const expected: Array<{ line: number; field: string; message: unknown }> = [];
    BAD.forEach(([, line, error], index) => {
      lines.push(line);
      expected.push({ line: lines.length, field: error.field, message: error.message instanceof RegExp ? expect.stringMatching(error.message) : error.message });
      lines.push(good(`t/after-${index}`, `Efter ${index}`));
    });
    await app.quiet();
    const before = await tableCounts(app);
    const summary = await importer().importFile(app.strapi, writeFile(ndjson(lines)));
    await app.quiet();

    expect(summary.errors).toEqual(expected);
    expect(summary.failed).toBe(BAD.length);
    expect(summary.created.topic).toBe(2 + BAD.length);
    expect(summary.created.article + summary.created.event + summary.created.organisation).toBe(0);
    const after = await tableCounts(app);
    // Only the good lines' rows: topics (draft + published per locale), their log and bookkeeping.
    const goodTopics = 2 + BAD.length;
    const topicRows = 4 * (goodTopics - 1) + 2;
    const grew = growth(before, after);
    expect(grew).toEqual({
      topics: topicRows,
      import_documents: goodTopics,
      import_checkpoints: 1,
      sync_changes: 2 * (goodTopics - 1) + 1,
      ...Object.fromEntries(Object.entries(grew).filter(([table]) => table.startsWith('search_'))),
    });
    for (const [, line] of BAD) {
      if (typeof line === 'string') continue;
      expect(await knex()('import_documents').where({ import_key: line.key }).first()).toBeUndefined();
    }
    expect(await knex()('articles').where({ title: 'Dansk emne' }).first()).toBeUndefined();
    expect(await knex()('events').where({ title: 'Baglæns' }).first()).toBeUndefined();
  });
});

describe('a key whose document an editor merged into another', () => {
  const PERSON = 'api::person.person';
  const person = (key: string, name: string): Line => ({ type: 'person', key, name, da: { bio: `${name}, forsker.` } });
  const article = (key: string, author: string): Line => ({ type: 'article', key, authors: [author], da: { title: `Artikel ${key}`, lead: 'Kort.' } });
  const idOf = async (key: string) => ((await knex()('import_documents').where({ import_key: key }).first()) as { document_id: string }).document_id;
  const authorsOf = async (key: string) => {
    const documentId = await idOf(key);
    const found = await app.strapi.documents('api::article.article').findOne({ documentId, locale: 'da', populate: { authors: { fields: ['name'] } } as never });
    return ((found as { authors?: Array<{ documentId: string }> } | null)?.authors ?? []).map((author) => author.documentId);
  };
  const side = async (documentId: string) => ({ documentId, updatedAt: versionOf(await documentRows(app.strapi, PERSON, documentId)) ?? undefined });

  it('leads to the kept document: a later line naming it links the kept one, a re-run stays unchanged, and after an undo it leads home again', async () => {
    const people = [person('person/merge-keep', 'Bo Sørensen'), person('person/merge-gone', 'Bo Soerensen')];
    expect((await importer().importFile(app.strapi, writeFile(ndjson(people)))).errors).toEqual([]);
    const [kept, merged] = [await idOf('person/merge-keep'), await idOf('person/merge-gone')];
    const merge = await mergeDocuments(app.strapi, { type: 'person', keep: await side(kept), merge: await side(merged) });

    // The same file again: unchanged, nothing written (no document made under the merged id).
    const before = await tableCounts(app);
    expect(await importer().importFile(app.strapi, writeFile(ndjson(people)))).toMatchObject({ unchanged: 2, failed: 0 });
    expect(await tableCounts(app)).toEqual(before);

    // A new line naming the merged key links the kept person.
    expect((await importer().importFile(app.strapi, writeFile(ndjson([article('article/bo', 'person/merge-gone')])))).errors).toEqual([]);
    expect(await authorsOf('article/bo')).toEqual([kept]);

    // Undone: the key is its own person again.
    await undoMerge(app.strapi, merge.mergeRecord.id);
    expect((await importer().importFile(app.strapi, writeFile(ndjson([article('article/bo-later', 'person/merge-gone')])))).errors).toEqual([]);
    expect(await authorsOf('article/bo-later')).toEqual([merged]);
  });
});
