/**
 * Matching must not tell a partner about events it cannot read (issue 29, item 1). An editor's
 * embargoed draft, or another partner's unpublished event, with the same start and venue as a
 * push used to answer `201 linked` with the draft's documentId (identical title) or `202
 * pending-review` with the similarity score (similar title): an existence and title oracle. Now
 * the partner gets what it would get if the draft were not there (`created`, no match, no
 * score), and the editors' review queue gets the pair, to merge or dismiss.
 */
import { createPartner, type TestPartner } from '../helpers/partners';
import { startApp, type TestApp } from '../helpers/app';
import { put } from './shared';
import { sessions } from '../review-merge/shared';

let app: TestApp;
let festival: TestPartner;
let kl: TestPartner;
let draftMaker: TestPartner;
let venueId: string;
let embargoedId: string;
let secondEmbargoedId: string;

const START = '2024-06-14T10:00:00.000Z';
const EMBARGOED_TITLE = 'Ministeren præsenterer ny strategi for velfærdsteknologi';
const SECOND_TITLE = 'Ny handlingsplan for ældrepleje præsenteres';
const VENUE = { id: 'fm-k3', name: 'Kæmpestranden, telt K3', code: 'K3', city: 'Allinge' };
const push = (title: string, overrides: Record<string, unknown> = {}) => ({
  startsAt: '2024-06-14T12:00',
  kind: 'debate',
  venue: VENUE,
  da: { title },
  ...overrides,
});

beforeAll(async () => {
  app = await startApp({ seed: true });
  festival = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
  kl = await createPartner(app, { name: 'KL', key: 'kl', publishMode: 'publish' });
  draftMaker = await createPartner(app, { name: 'Kladdepartner', key: 'kladdepartner', publishMode: 'draft' });
  const venue = await app.strapi.documents('api::venue.venue').create({ data: { name: VENUE.name, code: VENUE.code, slug: 'telt-k3' } as never, status: 'published' });
  venueId = venue.documentId;
  // Two editor's events, not yet announced: drafts only.
  const draft = async (title: string, slug: string, startsAt: string) =>
    (
      await app.strapi.documents('api::event.event').create({
        locale: 'da',
        data: {
          title,
          slug,
          startsAt,
          timeZone: 'Europe/Copenhagen',
          kind: 'debate',
          eventStatus: 'scheduled',
          attendanceMode: 'offline',
          venue: venueId,
        } as never,
      })
    ).documentId;
  embargoedId = await draft(EMBARGOED_TITLE, 'embargoeret-strategi', START);
  secondEmbargoedId = await draft(SECOND_TITLE, 'embargoeret-handlingsplan', '2024-06-14T11:00:00.000Z');
});
afterAll(async () => {
  await app?.stop();
});

const candidatesOf = (partnerKey: string, externalId: string) =>
  app.strapi.db
    .connection('partner_match_candidates')
    .where({ kind: 'event', partner_key: partnerKey, external_id: externalId })
    .select('candidate_document_id', 'document_id', 'status');

/** Nothing in the partner's answer may name the draft, its title, or a match with it. */
function expectNothingAbout(body: unknown) {
  const text = JSON.stringify(body);
  expect(text).not.toContain(embargoedId);
  expect(text).not.toContain(EMBARGOED_TITLE);
  expect(text).not.toContain(secondEmbargoedId);
  expect(text).not.toContain(SECOND_TITLE);
  expect(text).not.toMatch(/score|pendingReview|linked/);
}

it('the identical title of an embargoed draft: the partner gets a new event of its own, not a link to the draft', async () => {
  const response = await put(app, festival, 'fm24-k3-1200', push(EMBARGOED_TITLE));
  expect(response.status).toBe(201);
  expect(response.body.data).toMatchObject({ result: 'created', published: true });
  expect(response.body.data.documentId).not.toBe(embargoedId);
  expectNothingAbout(response.body);
  // The draft is untouched and still not public.
  expect((await app.http().get(`/api/events/${embargoedId}`)).status).toBe(404);
  // The editors are asked whether the two are one event.
  expect(await candidatesOf('folkemoedet', 'fm24-k3-1200')).toEqual([
    { candidate_document_id: embargoedId, document_id: response.body.data.documentId, status: 'pending' },
  ]);
  // The partner's own view of the item says no more.
  const state = await app.http().get('/api/partner/events/fm24-k3-1200').set('Authorization', festival.auth);
  expect(state.status).toBe(200);
  expectNothingAbout(state.body);
});

it('a similar title: the same answer as for no match at all, with no score', async () => {
  const similar = await put(app, kl, 'kl-aeldre-1', push('Ny handlingsplan for ældrepleje præsenteres i dag af ministeren', { startsAt: '2024-06-14T13:00' }));
  const unrelated = await put(app, kl, 'kl-andet-1', push('Noget helt andet om havnebusser', { startsAt: '2024-06-14T15:00' }));
  expect(similar.status).toBe(201);
  expect(unrelated.status).toBe(201);
  expect(Object.keys(similar.body.data).sort()).toEqual(Object.keys(unrelated.body.data).sort());
  expect(similar.body.data).toMatchObject({ result: 'created' });
  expectNothingAbout(similar.body);
  expect(await candidatesOf('kl', 'kl-aeldre-1')).toEqual([
    expect.objectContaining({ candidate_document_id: secondEmbargoedId, document_id: similar.body.data.documentId, status: 'pending' }),
  ]);
});

it('another partner’s unpublished event is not linked to either', async () => {
  const first = await put(app, draftMaker, 'kladde-1', push('Havnens fremtid: debat om grøn skibsfart', { startsAt: '2024-06-14T16:00' }));
  expect(first.status).toBe(201);
  expect(first.body.data).toMatchObject({ result: 'created', published: false });
  const second = await put(app, festival, 'fm24-k3-1600', push('Havnens fremtid: debat om grøn skibsfart', { startsAt: '2024-06-14T16:00' }));
  expect(second.status).toBe(201);
  expect(second.body.data.result).toBe('created');
  expect(JSON.stringify(second.body)).not.toContain(first.body.data.documentId);
});

it('the editor merges the partner’s event into the draft from the review queue; once published, pushes link to it as before', async () => {
  const { editor } = await sessions(app);
  const queue = await editor.get('/admin/duplicates/candidates?kind=event');
  expect(queue.status).toBe(200);
  const pair = queue.body.data.find((view: { externalId: string }) => view.externalId === 'fm24-k3-1200');
  expect(pair).toMatchObject({ partner: 'folkemoedet', candidate: { document: { documentId: embargoedId, published: false } } });
  const twin = pair.pushed.document;
  const merged = await editor.post(`/admin/duplicates/candidates/${pair.id}/merge`, {
    keep: { documentId: embargoedId, updatedAt: pair.candidate.document.updatedAt },
    merge: { documentId: twin.documentId, updatedAt: twin.updatedAt },
  });
  expect(merged.status).toBe(200);
  // The festival's item now points at the editor's event, which is still a draft.
  expect(await app.strapi.db.connection('partner_events').where({ partner_key: 'folkemoedet', external_id: 'fm24-k3-1200' }).first()).toMatchObject({
    document_id: embargoedId,
  });

  await app.strapi.documents('api::event.event').publish({ documentId: embargoedId, locale: 'da' });
  const response = await put(app, kl, 'kl-velfaerd-2', push(EMBARGOED_TITLE));
  expect(response.status).toBe(201);
  expect(response.body.data).toMatchObject({ result: 'linked', documentId: embargoedId, match: { pendingReview: false } });
});

it('a linked partner sees only the published locales of the event it is linked to', async () => {
  // An English version saved as a draft: the public does not see it, so neither does the partner.
  await app.strapi.documents('api::event.event').update({ documentId: embargoedId, locale: 'en', data: { title: 'Draft English title' } as never });
  const state = await app.http().get('/api/partner/events/kl-velfaerd-2').set('Authorization', kl.auth);
  expect(state.status).toBe(200);
  expect(state.body.data.locales).toEqual(['da']);
});

it('bad input to the push is a 400 naming the field, and nothing is written', async () => {
  const before = await app.strapi.db.connection('partner_match_candidates').count({ n: '*' }).first();
  const response = await put(app, festival, 'fm24-bad', push(EMBARGOED_TITLE, { startsAt: 'not a time' }));
  expect(response.status).toBe(400);
  expect(JSON.stringify(response.body.error)).toContain('startsAt');
  expect(await app.strapi.db.connection('partner_match_candidates').count({ n: '*' }).first()).toEqual(before);
  expect(await app.strapi.db.connection('partner_events').where({ external_id: 'fm24-bad' }).first()).toBeUndefined();
});
