/**
 * Bad input to the side-by-side read, the merge's choices and the undo (issue 26, item 1) is a
 * 4xx naming the problem that changes nothing (every table's row count and the change log's
 * head as before); a merge that fails half-way (here: a change-log listener that throws) leaves
 * nothing behind, the review candidate it decides included; undoing a merge decided from the
 * review queue makes the candidate pending again.
 */
import { appModule, startApp, type TestApp } from '../helpers/app';
import type { AdminSession } from '../helpers/admin';
import { looseDocuments } from '../helpers/documents';
import { recordCandidate } from '../../src/api/partner/matching/match-candidates';
import type { onChangeLog as OnChangeLog } from '../../src/lib/sync/change-log';
import { makePerson, ORGANISATION, PERSON, rowsOf, sessions, versionOf } from './shared';
import { tableCounts } from './accounting';

let app: TestApp;
let editor: AdminSession;
let author: AdminSession;

beforeAll(async () => {
  app = await startApp({ seed: true });
  ({ editor, author } = await sessions(app));
});
afterAll(async () => {
  await app?.stop();
});

const merge = (body: unknown) => editor.post('/admin/duplicates/merge', body);

async function mergeBody(keep: string, merged: string, choices?: unknown) {
  return {
    type: 'person',
    keep: { documentId: keep, updatedAt: await versionOf(app, PERSON, keep) },
    merge: { documentId: merged, updatedAt: await versionOf(app, PERSON, merged) },
    ...(choices === undefined ? {} : { choices }),
  };
}

/** Answers a 4xx with this code and message, and changes nothing. */
async function refused(request: () => Promise<{ status: number; body: { error?: { message: string; details?: { code?: string } }; data?: unknown } }>, status: number, code: string, message: RegExp) {
  const before = await tableCounts(app);
  const response = await request();
  expect([response.status, response.body.error?.details?.code]).toEqual([status, code]);
  expect(response.body.error!.message).toMatch(message);
  expect(response.body.data ?? null).toBeNull();
  expect(await tableCounts(app)).toEqual(before);
}

describe('the side-by-side read', () => {
  let x: string;
  let y: string;

  beforeAll(async () => {
    x = await makePerson(app, 'Xander Sammenlign');
    y = await makePerson(app, 'Yvonne Sammenlign');
  });

  it('answers both people with their versions', async () => {
    const response = await editor.get(`/admin/duplicates/compare/person?keep=${x}&merge=${y}`);
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ type: 'person', keep: { documentId: x, updatedAt: await versionOf(app, PERSON, x) }, merge: { documentId: y, updatedAt: await versionOf(app, PERSON, y) } });
    expect(response.body.data.differences).toEqual(expect.arrayContaining(['name', 'bio@da', 'bio@en']));
  });

  it.each([
    ['one document twice', () => `/admin/duplicates/compare/person?keep=${x}&merge=${x}`, 400, 'same-document', /into itself/],
    ['no merge documentId', () => `/admin/duplicates/compare/person?keep=${x}`, 400, 'bad-request', /merge \(a documentId\) is required/],
    ['a type that is not merged', () => `/admin/duplicates/compare/article?keep=${x}&merge=${y}`, 400, 'bad-type', /type must be one of/],
    ['an unknown documentId', () => `/admin/duplicates/compare/person?keep=${x}&merge=nosuchdocument000000000000`, 404, 'not-found', /no person with documentId/],
  ] as const)('refuses %s', async (_name, path, status, code, message) => {
    await refused(() => editor.get(path()), status, code, message);
  });

  it('refuses two types, naming the type', async () => {
    const organisation = (await app.strapi.db.query(ORGANISATION).findOne({ select: ['documentId'], where: { locale: 'da' } })).documentId;
    await refused(() => editor.get(`/admin/duplicates/compare/person?keep=${x}&merge=${organisation}`), 400, 'across-types', /is a organisation, not a person/);
  });

  it('is the review permission’s: an Author gets 403', async () => {
    expect((await author.get(`/admin/duplicates/compare/person?keep=${x}&merge=${y}`)).status).toBe(403);
    expect((await author.get('/admin/duplicates/merges')).status).toBe(403);
    expect((await author.post('/admin/duplicates/merges/1/undo', {})).status).toBe(403);
  });
});

describe('the choices', () => {
  let x: string;
  let y: string;
  let danishOnly: string;

  beforeAll(async () => {
    x = await makePerson(app, 'Xenia Valg');
    y = await makePerson(app, 'Yrsa Valg');
    danishOnly = (await looseDocuments(app.strapi, PERSON).create({ locale: 'da', data: { name: 'Dorte Dansk' } })).documentId;
  });

  it.each([
    ['a field the type does not have', { fields: { shoeSize: 'merge' } }, 'unknown-field', /choices.fields.shoeSize: no field "shoeSize"/],
    ['a field a merge does not choose (the slug)', { locales: { da: { slug: 'merge' } } }, 'unknown-field', /no field "slug"/],
    ['a localised field among the shared ones', { fields: { bio: 'merge' } }, 'localized-field', /bio differs per locale; choose it under choices.locales/],
    ['a shared field under a locale', { locales: { da: { name: 'merge' } } }, 'not-localized', /name is the same in every locale; choose it under choices.fields.name/],
    ['a value the field cannot take', { fields: { name: 'both' } }, 'bad-choice', /choices.fields.name must be one of keep, merge/],
    ['a locale neither has', { locales: { sv: { bio: 'merge' } } }, 'locale-not-shared', /choices.locales.sv: no choice to make in sv \(neither document has it\)/],
    ['something else than fields and locales', { everything: 'merge' }, 'bad-request', /choices may hold `fields` and `locales`/],
    ['choices that are not an object', ['merge'], 'bad-request', /choices must be an object/],
  ] as const)('refuses %s with a 400 naming it', async (_name, choices, code, message) => {
    const versions = [await versionOf(app, PERSON, x), await versionOf(app, PERSON, y)];
    await refused(async () => merge(await mergeBody(x, y, choices)), 400, code, message);
    expect([await versionOf(app, PERSON, x), await versionOf(app, PERSON, y)]).toEqual(versions);
  });

  it('refuses a choice in a locale only the merged document has: it comes over as it is', async () => {
    await refused(async () => merge(await mergeBody(danishOnly, y, { locales: { en: { bio: 'merge' } } })), 400, 'locale-not-shared', /only the merged document has it/);
  });

  it('refuses a merge after either document changed since the side-by-side read (409 stale)', async () => {
    const read = (await editor.get(`/admin/duplicates/compare/person?keep=${x}&merge=${y}`)).body.data;
    await looseDocuments(app.strapi, PERSON).update({ documentId: x, locale: 'en', data: { bio: 'Changed meanwhile.' } });
    await refused(
      () => merge({ type: 'person', keep: { documentId: x, updatedAt: read.keep.updatedAt }, merge: { documentId: y, updatedAt: read.merge.updatedAt } }),
      409,
      'stale',
      /\(keep\) changed since you reviewed it/,
    );
  });
});

describe('the undo', () => {
  async function merged(name: string): Promise<{ keep: string; gone: string; record: number }> {
    const keep = await makePerson(app, `${name} Beholdt`);
    const gone = await makePerson(app, `${name} Flettet`);
    const response = await merge(await mergeBody(keep, gone));
    expect(response.status).toBe(200);
    return { keep, gone, record: response.body.data.mergeRecord.id };
  }

  it('refuses an unknown record (404) and an id that is not one (400)', async () => {
    await refused(() => editor.post('/admin/duplicates/merges/999999/undo', {}), 404, 'not-found', /no merge record 999999/);
    await refused(() => editor.post('/admin/duplicates/merges/abc/undo', {}), 400, 'bad-request', /merge record id must be a positive integer/);
  });

  it('refuses a merge past its undo window (410 undo-expired)', async () => {
    const { record, gone } = await merged('Udløbet');
    await app.strapi.db.connection('merge_records').where({ id: record }).update({ expires_at: new Date('2020-01-01T00:00:00Z') });
    await refused(() => editor.post(`/admin/duplicates/merges/${record}/undo`, {}), 410, 'undo-expired', /could be undone until 2020-01-01T00:00:00.000Z/);
    expect(await rowsOf(app, PERSON, gone)).toEqual([]);
    const listed = await editor.get(`/admin/duplicates/merges?documentId=${gone}`);
    expect(listed.body.data.map((entry: { id: number; state: string }) => [entry.id, entry.state])).toEqual([[record, 'expired']]);
  });

  it('refuses an undo that would overwrite a change made to the kept document since (409 changed-since-merge, naming it)', async () => {
    const { record, keep, gone } = await merged('Rettet');
    await looseDocuments(app.strapi, PERSON).update({ documentId: keep, locale: 'da', data: { bio: 'Rettet efter fletningen.' } });
    await refused(() => editor.post(`/admin/duplicates/merges/${record}/undo`, {}), 409, 'changed-since-merge', new RegExp(`api::person.person ${keep} changed since the merge`));
    expect(await rowsOf(app, PERSON, gone)).toEqual([]);
  });

  it('refuses an undo when the merged document’s slug was taken since (409 slug-taken)', async () => {
    const { record } = await merged('Sneglen');
    const taker = await makePerson(app, 'Sneglen Flettet');
    expect((await app.strapi.db.query(PERSON).findOne({ where: { documentId: taker, locale: 'da' } })).slug).toBe('sneglen-flettet');
    await refused(() => editor.post(`/admin/duplicates/merges/${record}/undo`, {}), 409, 'slug-taken', /slug sneglen-flettet \(da\) is now/);
  });

  it('lists the records of a document, newest first, without their rows', async () => {
    const { record, keep } = await merged('Listet');
    const listed = await editor.get(`/admin/duplicates/merges?documentId=${keep}`);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0]).toMatchObject({ id: record, contentType: PERSON, kept: keep, state: 'undoable' });
    expect(listed.body.data[0]).not.toHaveProperty('journal');
    expect(listed.body.data[0]).not.toHaveProperty('snapshot');
    await refused(() => editor.get('/admin/duplicates/merges?state=sometimes'), 400, 'bad-request', /state must be one of/);
  });
});

describe('the review queue', () => {
  async function candidate(keep: string, pushed: string, externalId: string): Promise<number> {
    await recordCandidate(app.strapi.db.connection, {
      kind: 'person',
      partnerKey: 'test',
      externalId,
      candidateDocumentId: keep,
      documentId: pushed,
      rule: 'person-same-name-other-organisation',
      score: 0.7,
      evidence: { pushed: { name: 'Namesake' }, existing: { name: 'Namesake' } },
    });
    const row = await app.strapi.db.connection('partner_match_candidates').where({ external_id: externalId }).first();
    return Number(row.id);
  }

  it('a merge that fails half-way leaves nothing: the documents, the candidate (pending) and every table as they were', async () => {
    const keep = await makePerson(app, 'Halv Vejs');
    const pushed = await makePerson(app, 'Halv Vejs (partner)');
    const id = await candidate(keep, pushed, 'halfway-1');
    const { onChangeLog } = appModule<{ onChangeLog: typeof OnChangeLog }>('src/lib/sync/change-log');
    const stop = onChangeLog(app.strapi, {
      inTransaction: () => Promise.reject(new Error('a listener fails inside the merge’s transaction')),
    });
    try {
      const before = await tableCounts(app);
      const response = await editor.post(`/admin/duplicates/candidates/${id}/merge`, {
        keep: { documentId: keep, updatedAt: await versionOf(app, PERSON, keep) },
        merge: { documentId: pushed, updatedAt: await versionOf(app, PERSON, pushed) },
      });
      expect(response.status).toBe(500);
      expect(await tableCounts(app)).toEqual(before);
    } finally {
      stop();
    }
    expect((await app.strapi.db.connection('partner_match_candidates').where({ id }).first()).status).toBe('pending');
    expect(await rowsOf(app, PERSON, pushed)).toHaveLength(4);
  });

  it('merging a candidate marks it merged with the merge; undoing the merge makes it pending again', async () => {
    const keep = await makePerson(app, 'Kø Person');
    const pushed = await makePerson(app, 'Kø Person (partner)');
    const id = await candidate(keep, pushed, 'queue-1');
    const response = await editor.post(`/admin/duplicates/candidates/${id}/merge`, {
      keep: { documentId: keep, updatedAt: await versionOf(app, PERSON, keep) },
      merge: { documentId: pushed, updatedAt: await versionOf(app, PERSON, pushed) },
      choices: { fields: { name: 'merge' } },
    });
    expect(response.status).toBe(200);
    expect(response.body.data.candidate.status).toBe('merged');
    expect((await app.strapi.db.query(PERSON).findOne({ where: { documentId: keep, locale: 'da', publishedAt: { $notNull: true } } })).name).toBe('Kø Person (partner)');
    const record = await editor.get(`/admin/duplicates/merges/${response.body.data.merge.mergeRecord.id}`);
    expect(record.body.data).toMatchObject({ candidateId: id, kept: keep, merged: pushed, state: 'undoable' });
    const undone = await editor.post(`/admin/duplicates/merges/${response.body.data.merge.mergeRecord.id}/undo`, {});
    expect(undone.status).toBe(200);
    expect((await app.strapi.db.connection('partner_match_candidates').where({ id }).first()).status).toBe('pending');
    expect(await rowsOf(app, PERSON, pushed)).toHaveLength(4);
    expect((await app.strapi.db.query(PERSON).findOne({ where: { documentId: keep, locale: 'da', publishedAt: { $notNull: true } } })).name).toBe('Kø Person');
  });
});
