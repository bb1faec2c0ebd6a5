/**
 * The change log does not grow forever (issue 27, src/lib/sync/compaction.ts): changes older
 * than the retention are folded into their document's later change, old tombstones dropped. A
 * reader that follows an old cursor still ends with every document as it is; a reader that may
 * have missed a dropped tombstone is told to start over (410, REST and GraphQL); an event's
 * SEQUENCE never goes down; recent changes and the head are untouched.
 */
import { startApp, type TestApp } from '../helpers/app';
import { createPartner, type TestPartner } from '../helpers/partners';
import { compactChangeLog, expiredBefore, retentionStart } from '../../src/lib/sync/compaction';
import { changeCounts, headPosition } from '../../src/lib/sync/change-store';
import { catchUpSearchIndex } from '../../src/api/search/indexer';
import { readFeed, type Item } from './shared';

const EVENT = 'api::event.event';
const DAY = 86_400_000;

let app: TestApp;
let partner: TestPartner;
beforeAll(async () => {
  app = await startApp({ seed: true });
  partner = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
});
afterAll(async () => {
  await app?.stop();
});

const readAll = (cursor?: string) => readFeed(app, { limit: 500 }, cursor);

/** What a reader holds after applying the items in order: live entries by key, tombstones removing them. */
function apply(state: Map<string, unknown>, items: Item[]): Map<string, unknown> {
  for (const item of items) {
    const key = `${item.type}/${item.documentId}/${item.locale}`;
    if (item.entry) state.set(key, item.entry);
    else state.delete(key);
  }
  return state;
}

const put = (externalId: string, title: string) =>
  app.http().put(`/api/partner/events/${externalId}`).set('Authorization', partner.auth).send({ startsAt: '2024-06-14T10:00:00+02:00', da: { title }, en: { title: `${title} (en)` } });

const logRows = async () => Number(((await app.strapi.db.connection('sync_changes').count({ n: '*' })) as Array<{ n: number | string }>)[0]!.n);
const compact = () => compactChangeLog(app.strapi.db.connection, retentionStart(app.strapi));
/** Makes every change logged so far older than the retention (90 days by default). */
const ageLog = async () => app.strapi.db.connection('sync_changes').update({ occurred_at: new Date(Date.now() - 100 * DAY) });

const sequenceInIcs = async (documentId: string) => {
  const response = await app.http().get(`/api/events/${documentId}/calendar.ics`).query({ locale: 'da' });
  expect(response.status).toBe(200);
  return Number(/\nSEQUENCE:(\d+)/.exec(response.text)?.[1]);
};

describe('compaction', () => {
  let oldCursor: string;
  let stateBefore: Map<string, unknown>;
  let edited: string;
  let sequence: number;
  let midway: { state: Map<string, unknown>; cursor: string };

  it('leaves changes within the retention alone', async () => {
    oldCursor = (await readAll()).cursor;
    // Four published versions of one event, and one event created then withdrawn.
    const created = await put('fm-compact-1', 'Debat om indkøb');
    expect(created.status).toBe(201);
    edited = created.body.data.documentId;
    for (const title of ['Debat om offentlige indkøb', 'Debat om indkøb og innovation', 'Debat: indkøb og innovation']) expect((await put('fm-compact-1', title)).status).toBe(200);
    expect((await put('fm-compact-2', 'Trækkes tilbage')).status).toBe(201);
    expect((await app.http().delete('/api/partner/events/fm-compact-2').set('Authorization', partner.auth)).status).toBe(200);
    // A reader that has read this far, then a later change (so the withdrawal is not the newest row of the log).
    const read = await readAll();
    midway = { state: apply(new Map(), read.items), cursor: read.cursor };
    expect((await put('fm-compact-3', 'Sidste nyt')).status).toBe(201);
    stateBefore = apply(new Map(), (await readAll()).items);
    sequence = await sequenceInIcs(edited);
    expect(sequence).toBeGreaterThanOrEqual(4);

    const rows = await logRows();
    expect(await compact()).toEqual({ folded: 0, tombstones: 0, expiredBefore: 0 });
    expect(await logRows()).toBe(rows);
  });

  it('folds older changes into the later one of the same document and locale, drops old tombstones, keeps the head and the counts', async () => {
    const knex = app.strapi.db.connection;
    const head = await headPosition(knex);
    const counts = await changeCounts(knex, EVENT, [edited]);
    const keys = (await knex('sync_changes').countDistinct({ n: knex.raw("content_type || '/' || document_id || '/' || locale") })) as Array<{ n: number | string }>;
    const tombstones = (await knex('sync_changes as c')
      .select('c.id')
      .whereIn('c.action', ['unpublished', 'deleted'])
      .whereNotExists(knex('sync_changes as n').select(1).whereRaw('n.content_type = c.content_type and n.document_id = c.document_id and n.locale = c.locale and n.id > c.id'))) as Array<{ id: number }>;
    expect(tombstones.length).toBeGreaterThanOrEqual(2); // the withdrawn event, da and en
    await ageLog();

    const result = await compact();
    expect(result.tombstones).toBe(tombstones.length);
    expect(result.expiredBefore).toBe(Math.max(...tombstones.map((row) => Number(row.id))));
    // One row per document and locale is left, less the dropped tombstones.
    expect(await logRows()).toBe(Number(keys[0]!.n) - tombstones.length);
    expect(result.folded).toBeGreaterThan(0);
    expect(await headPosition(knex)).toBe(head);
    // SEQUENCE counts the folded changes: it does not go down.
    expect(await changeCounts(knex, EVENT, [edited])).toEqual(counts);
    expect(await sequenceInIcs(edited)).toBe(sequence);
    // A second run has nothing left to do.
    expect(await compact()).toEqual({ folded: 0, tombstones: 0, expiredBefore: result.expiredBefore });
    expect(await expiredBefore(knex)).toBe(result.expiredBefore);
  });

  it('tells a reader whose cursor is older than a dropped tombstone to start over: 410, REST and GraphQL', async () => {
    const response = await app.http().get('/api/sync').query({ cursor: oldCursor });
    expect(response.status).toBe(410);
    expect(response.body.error).toMatchObject({ status: 410, name: 'GoneError', details: { code: 'cursor-expired', param: 'cursor' } });
    expect(response.body.error.message).toMatch(/start a new sync/);

    const graphql = await app.http().post('/graphql').send({ query: 'query($c: String) { syncChanges(cursor: $c) { hasMore } }', variables: { c: oldCursor } });
    expect(graphql.body.data).toBeNull();
    expect(graphql.body.errors[0].extensions).toMatchObject({ code: 'CURSOR_EXPIRED', details: { code: 'cursor-expired', param: 'cursor' } });
  });

  it('gives a reader past the floor what it missed: it ends with what it would have without compaction', async () => {
    expect(apply(midway.state, (await readAll(midway.cursor)).items)).toEqual(stateBefore);
  });

  it('gives a new sync every document as it is now, the same as an old reader held before', async () => {
    const fresh = await readAll();
    expect(apply(new Map(), fresh.items)).toEqual(stateBefore);
    // The cursor it ends with is past the floor: it goes on working.
    expect((await put('fm-compact-3', 'Sidste nyt, rettet')).status).toBe(200);
    const next = await readAll(fresh.cursor);
    expect(next.items.map((item) => [item.action, item.locale])).toEqual([
      ['updated', 'da'],
      ['updated', 'en'],
    ]);
  });

  it('rebuilds a search index that is behind a dropped tombstone (the log no longer says what to remove)', async () => {
    const knex = app.strapi.db.connection;
    const idsOf = async () => ((await knex('search_documents').select('id').orderBy('id')) as Array<{ id: number }>).map((row) => Number(row.id));
    // Caught up: a restart reads nothing and rewrites nothing.
    const before = await idsOf();
    await catchUpSearchIndex(app.strapi);
    expect(await idsOf()).toEqual(before);
    // Behind the floor: rebuilt from the published documents (every row written anew).
    await knex('search_state').update({ position: (await expiredBefore(knex)) - 1 });
    await catchUpSearchIndex(app.strapi);
    const after = await idsOf();
    expect(after).toHaveLength(before.length);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    expect(Number(((await knex('search_state').select('position').first()) as { position: number | string }).position)).toBe(await headPosition(knex));
    const found = await app.http().get('/api/search').query({ q: 'Trækkes tilbage', locale: 'da' });
    expect(found.status).toBe(200);
    expect(found.body.data).toEqual([]);
  });
});
