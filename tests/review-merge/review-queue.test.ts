/**
 * The review queue of possible duplicates through the admin API (issue 13, item 3): doubtful
 * event pushes and namesakes are listed with both sides' evidence; "not the same" dismisses a
 * pair for good (the matcher leaves it out: the waiting push is created on its own); "the same"
 * links a waiting push to the event it is, or merges two people.
 */
import { startApp, type JsonBody, type TestApp } from '../helpers/app';
import type { AdminSession } from '../helpers/admin';
import { recordCandidate } from '../../src/api/partner/matching/match-candidates';
import { contentCounts, createPartners, festivalListing, put, SEEDED_DEBATE_SLUG, SEEDED_DEBATE_TITLE, talkWith, type Partners } from '../partner-matching/shared';
import { EVENT, PERSON, rowsOf, sessions, versionOf } from './shared';

let app: TestApp;
let editor: AdminSession;
let partners: Partners;
let debate: string;

beforeAll(async () => {
  app = await startApp({ seed: true });
  ({ editor } = await sessions(app));
  partners = await createPartners(app);
  debate = (await app.strapi.db.query(EVENT).findOne({ select: ['documentId'], where: { slug: SEEDED_DEBATE_SLUG, locale: 'da' } })).documentId;
});
afterAll(async () => {
  await app?.stop();
});

/** Same tent, same start, a title that shares words but not enough: doubtful. */
const doubtful = () => festivalListing({ startsAt: '2023-06-16T11:30', endsAt: undefined, da: { title: 'Innovation i den offentlige indkøbsproces' }, en: undefined });

async function pushed(partner: keyof Partners, externalId: string, body: unknown): Promise<string> {
  const response = await put(app, partners[partner], externalId, body);
  expect([response.status, response.body.data?.result]).toEqual([201, 'created']);
  return response.body.data.documentId;
}

async function participantOf(event: string): Promise<string> {
  const response = await app.http().get(`/api/events/${event}`).query({ locale: 'da', populate: { participants: { populate: ['person'] } } });
  return response.body.data.participants[0].person.documentId;
}

const candidates = async (query: Record<string, string> = {}) => {
  const response = await editor.get(`/admin/duplicates/candidates?${new URLSearchParams(query)}`);
  expect(response.status).toBe(200);
  return response.body.data as JsonBody[];
};

describe('the queue', () => {
  let aarhus: string;
  let novo: string;

  beforeAll(async () => {
    for (const externalId of ['kl-fm-1', 'kl-fm-2']) {
      const response = await put(app, partners.kl, externalId, doubtful());
      expect([response.status, response.body.data.result]).toEqual([202, 'pending-review']);
    }
    aarhus = await participantOf(await pushed('festival', 'fm-anne', talkWith(15, { name: 'Anne Jensen', organisation: 'Aarhus Kommune', title: 'Direktør' }, 'Aarhus viser vej')));
    novo = await participantOf(await pushed('copi', 'copi-anne', talkWith(16, { id: 'aj-novo', name: 'Anne Jensen', organisation: 'Novo Nordisk A/S', title: 'VP' }, 'Industrien og det offentlige')));
    expect(aarhus).not.toBe(novo);
  });

  it('lists doubtful event pushes with both sides side by side', async () => {
    const events = await candidates({ kind: 'event' });
    expect(events.map((row) => [row.partner, row.externalId, row.status])).toEqual([
      ['kl', 'kl-fm-2', 'pending'],
      ['kl', 'kl-fm-1', 'pending'],
    ]);
    const [row] = events;
    expect(row.rule).toBe('same-start+same-venue-code+similar-title');
    expect(row.score).toBeGreaterThanOrEqual(0.5);
    expect(row.pushed).toMatchObject({ document: null, evidence: { titles: { da: 'Innovation i den offentlige indkøbsproces' }, venue: { code: 'J5' } } });
    expect(row.candidate.document).toMatchObject({ documentId: debate, type: 'event', label: SEEDED_DEBATE_TITLE, published: true, locales: ['da', 'en'] });
    expect(row.candidate.document.updatedAt).toBe(await versionOf(app, EVENT, debate));
    expect(row.candidate.evidence).toMatchObject({ documentId: debate, venue: { code: 'J5' } });
  });

  it('lists namesakes with both people', async () => {
    const people = await candidates({ kind: 'person' });
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({
      kind: 'person',
      partner: 'co-pi',
      rule: 'person-same-name-other-organisation',
      pushed: { document: { documentId: novo, label: 'Anne Jensen' }, evidence: { name: 'Anne Jensen', organisation: 'Novo Nordisk A/S' } },
      candidate: { document: { documentId: aarhus, label: 'Anne Jensen' } },
    });
    expect((await candidates()).length).toBe(3);
  });

  it('refuses a bad filter with a 400 naming it', async () => {
    const response = await editor.get('/admin/duplicates/candidates?kind=article');
    expect(response.status).toBe(400);
    expect(response.body.error.details).toMatchObject({ code: 'bad-type', field: 'kind' });
  });
});

describe('"not the same"', () => {
  it('dismisses an event pair; the waiting push is then made on its own, and not proposed again', async () => {
    const [row] = (await candidates({ kind: 'event' })).filter((candidate) => candidate.externalId === 'kl-fm-1');
    const events = (await contentCounts(app)).events!;
    const response = await editor.post(`/admin/duplicates/candidates/${row.id}/dismiss`, {});
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ id: row.id, status: 'dismissed', push: { result: 'created' } });
    const created = response.body.data.push.documentId;
    expect(created).not.toBe(debate);
    expect((await contentCounts(app)).events).toBeGreaterThan(events);
    expect((await candidates({ kind: 'event' })).map((candidate) => candidate.externalId)).toEqual(['kl-fm-2']);
    // The partner sees its own event now, and pushing it again does not bring the pair back.
    const again = await put(app, partners.kl, 'kl-fm-1', doubtful());
    expect([again.status, again.body.data.result, again.body.data.documentId]).toEqual([200, 'unchanged', created]);
    expect((await candidates({ kind: 'event' })).map((candidate) => candidate.externalId)).toEqual(['kl-fm-2']);
  });

  it('keeps a dismissed people pair dismissed when matching stores it again', async () => {
    const [row] = await candidates({ kind: 'person' });
    const response = await editor.post(`/admin/duplicates/candidates/${row.id}/dismiss`, {});
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ status: 'dismissed', push: null });
    const stored = await app.strapi.db.connection('partner_match_candidates').where({ id: row.id }).first();
    // What the matcher does with a namesake pair (here: the same pair from another partner, and again from the first).
    for (const partnerKey of ['kl', 'co-pi']) {
      await recordCandidate(app.strapi.db.connection, {
        kind: 'person',
        partnerKey,
        externalId: stored.external_id,
        candidateDocumentId: stored.candidate_document_id,
        documentId: stored.document_id,
        rule: stored.rule,
        score: 0.5,
        evidence: {},
      });
    }
    expect(await candidates({ kind: 'person' })).toEqual([]);
  });

  it('answers 409 for a pair already decided and 404 for an unknown one', async () => {
    const [dismissed] = await candidates({ status: 'dismissed', kind: 'event' });
    const twice = await editor.post(`/admin/duplicates/candidates/${dismissed.id}/dismiss`, {});
    expect([twice.status, twice.body.error.details.code]).toEqual([409, 'not-pending']);
    const unknown = await editor.post('/admin/duplicates/candidates/999999/dismiss', {});
    expect([unknown.status, unknown.body.error.details.code]).toEqual([404, 'not-found']);
    const bad = await editor.post('/admin/duplicates/candidates/abc/merge', {});
    expect([bad.status, bad.body.error.details.code]).toEqual([400, 'bad-request']);
  });
});

describe('"the same"', () => {
  it('links a waiting event push to the event it is: nothing new is made', async () => {
    const [row] = await candidates({ kind: 'event' });
    const before = await contentCounts(app);
    const stale = await editor.post(`/admin/duplicates/candidates/${row.id}/merge`, { keep: { documentId: debate, updatedAt: '2020-01-01T00:00:00.000Z' } });
    expect([stale.status, stale.body.error.details.code]).toEqual([409, 'stale']);
    const garbled = await editor.post(`/admin/duplicates/candidates/${row.id}/merge`, { keep: { documentId: debate, updatedAt: 'yesterday' } });
    expect([garbled.status, garbled.body.error.details.code, garbled.body.error.message]).toEqual([400, 'bad-request', expect.stringContaining('keep.updatedAt')]);
    expect(await contentCounts(app)).toEqual(before);
    const response = await editor.post(`/admin/duplicates/candidates/${row.id}/merge`, { keep: { documentId: debate, updatedAt: row.candidate.document.updatedAt } });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ candidate: { status: 'merged' }, linked: { partner: 'kl', externalId: 'kl-fm-2', documentId: debate } });
    const after = await contentCounts(app);
    expect({ ...after, partner_events: before.partner_events }).toEqual(before);
    expect(after.partner_events).toBe(before.partner_events! + 1);
    const state = await app.http().get('/api/partner/events/kl-fm-2').set('Authorization', partners.kl.auth);
    expect(state.body.data).toMatchObject({ documentId: debate, match: { pendingReview: false } });
    expect(await candidates({ kind: 'event' })).toEqual([]);
  });

  it('merges two people of a pair, the one kept chosen by the editor', async () => {
    const third = await participantOf(await pushed('kl', 'kl-anne', talkWith(17, { name: 'Anne Jensen', organisation: 'Danske Regioner', title: 'Chefkonsulent' }, 'Regionerne og indkøb')));
    const people = await candidates({ kind: 'person' });
    expect(people.map((row) => row.pushed.document.documentId)).toEqual([third, third]);
    const row = people.find((candidate) => candidate.candidate.document.documentId !== third && candidate.candidate.document.label === 'Anne Jensen')!;
    const keep = row.candidate.document.documentId;
    const wrong = await editor.post(`/admin/duplicates/candidates/${row.id}/merge`, {
      keep: { documentId: debate, updatedAt: row.candidate.document.updatedAt },
      merge: { documentId: third, updatedAt: row.pushed.document.updatedAt },
    });
    expect([wrong.status, wrong.body.error.details.code]).toEqual([400, 'not-this-pair']);
    const response = await editor.post(`/admin/duplicates/candidates/${row.id}/merge`, {
      keep: { documentId: keep, updatedAt: row.candidate.document.updatedAt },
      merge: { documentId: third, updatedAt: row.pushed.document.updatedAt },
    });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ candidate: { status: 'merged' }, merge: { kept: keep, merged: third } });
    expect(await rowsOf(app, PERSON, third)).toEqual([]);
    // The other pair named the merged person; it now names the kept one, and the two were dismissed as not the same.
    expect(await candidates({ kind: 'person' })).toEqual([]);
  });
});
