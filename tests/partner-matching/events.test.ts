/**
 * Event matching across sources (issue 13, item 1): the centre's own debate, entered by an
 * editor (the seed), pushed again by the festival's programme and by its organiser CO-PI, each
 * with a lightly different title, is one event everywhere the public looks: the list, the
 * .ics programme and the change feed. The partners' externalIds are linked to it privately;
 * the organiser of record moves its times, nobody overwrites the editor's texts. A doubtful
 * title makes nothing public and waits for review, once.
 */
import { startApp, type TestApp } from '../helpers/app';
import { getCalendar } from '../calendar/shared';
import {
  SEEDED_DEBATE_SLUG,
  SEEDED_DEBATE_SUMMARY_START,
  SEEDED_DEBATE_TITLE,
  contentCounts,
  createPartners,
  festivalListing,
  organiserListing,
  put,
  type Partners,
} from './shared';

let app: TestApp;
let partners: Partners;
let debateId: string;

beforeAll(async () => {
  app = await startApp({ seed: true });
  partners = await createPartners(app);
  const row = await app.strapi.db.query('api::event.event').findOne({ where: { slug: SEEDED_DEBATE_SLUG, locale: 'da' } });
  debateId = row.documentId;
});
afterAll(async () => {
  await app?.stop();
});

const publicDebate = (locale = 'da') => app.http().get(`/api/events/${debateId}`).query({ locale, populate: { venue: true } });

/** Public events of that Friday, Danish. */
async function fridayTitles(): Promise<Array<{ documentId: string; title: string }>> {
  const response = await app
    .http()
    .get('/api/events')
    .query({ locale: 'da', filters: { startsAt: { $gte: '2023-06-16T00:00:00Z', $lt: '2023-06-17T00:00:00Z' } }, pagination: { pageSize: 100 } });
  expect(response.status).toBe(200);
  return response.body.data.map((event: { documentId: string; title: string }) => ({ documentId: event.documentId, title: event.title }));
}

describe('the same debate from an editor and two partners', () => {
  it('links the festival programme’s listing (other title, tent by code) to the editor’s event, creating nothing', async () => {
    const before = await contentCounts(app);
    const logBefore = Number((await app.strapi.db.connection('sync_changes').max({ head: 'id' }).first())?.head ?? 0);
    const response = await put(app, partners.festival, 'fm23-j5-1130', festivalListing());
    expect(response.status).toBe(201);
    expect(response.headers.location).toBe('/api/partner/events/fm23-j5-1130');
    expect(response.body.data).toMatchObject({
      externalId: 'fm23-j5-1130',
      documentId: debateId,
      result: 'linked',
      version: 1,
      published: true,
      match: { rule: 'same-start+same-venue-code+similar-title', pendingReview: false },
    });
    expect(response.body.data.match.score).toBeGreaterThanOrEqual(0.85);
    expect(response.body.data.match.score).toBeLessThan(1);
    const after = await contentCounts(app);
    // One mapping more; no event, person, organisation or venue.
    expect(after).toEqual({ ...before, partner_events: before.partner_events! + 1 });
    // The event is now in the festival's programme: logged as an update of its public locales.
    const logged = await app.strapi.db.connection('sync_changes').where('id', '>', logBefore).orderBy('id').select('document_id', 'action', 'locale');
    expect(logged).toEqual([
      { document_id: debateId, action: 'updated', locale: 'da' },
      { document_id: debateId, action: 'updated', locale: 'en' },
    ]);
  });

  it('links the organiser’s own push (Danish letters spelled out) too, and its times win', async () => {
    const response = await put(app, partners.copi, 'copi-2023-07', organiserListing());
    expect(response.status).toBe(201);
    expect(response.body.data).toMatchObject({ documentId: debateId, result: 'linked', match: { rule: 'same-start+same-venue+similar-title', score: 1 } });
    const da = await publicDebate('da');
    expect(da.body.data).toMatchObject({
      title: SEEDED_DEBATE_TITLE,
      startsAt: '2023-06-16T09:30:00.000Z',
      endsAt: '2023-06-16T10:45:00.000Z',
      venue: { code: 'J5' },
    });
    expect(da.body.data.summary.startsWith(SEEDED_DEBATE_SUMMARY_START)).toBe(true);
    const en = await publicDebate('en');
    expect(en.body.data).toMatchObject({ title: 'Hitch innovation to the public shopping trolley', endsAt: '2023-06-16T10:45:00.000Z' });
  });

  it('shows the debate once in the public list, the .ics programme and the change feed', async () => {
    const friday = await fridayTitles();
    expect(friday.filter((event) => /indk(ø|oe)bsvogn/i.test(event.title))).toEqual([{ documentId: debateId, title: SEEDED_DEBATE_TITLE }]);

    const { calendar } = await getCalendar(app, '/api/events.ics?locale=da');
    const friday1130 = calendar.events.filter((event) => event.startUtc === '2023-06-16T09:30:00.000Z');
    expect(friday1130.map((event) => event.summary)).toEqual([SEEDED_DEBATE_TITLE]);

    const feed = await app.http().get('/api/sync').query({ type: 'events', locale: 'da', limit: 500 });
    expect(feed.status).toBe(200);
    const debates = feed.body.data.filter((item: { entry?: { title?: string } | null }) => /indk(ø|oe)bsvogn/i.test(item.entry?.title ?? ''));
    expect(new Set(debates.map((item: { documentId: unknown; entry: { documentId: unknown } }) => item.documentId ?? item.entry.documentId))).toEqual(new Set([debateId]));
  });

  it('lists the debate in each linked partner’s programme calendar (.ics?partner=), once', async () => {
    for (const key of ['folkemoedet', 'co-pi']) {
      const { calendar } = await getCalendar(app, `/api/events.ics?locale=da&partner=${key}`);
      expect(calendar.events.filter((event) => event.summary === SEEDED_DEBATE_TITLE)).toHaveLength(1);
    }
  });

  it('keeps the sources private: both partners’ externalIds point at the event, with rule and score', async () => {
    const rows = await app.strapi.db
      .connection('partner_events')
      .where({ document_id: debateId })
      .orderBy('partner_key')
      .select('partner_key', 'external_id', 'role', 'match_rule', 'match_score');
    expect(rows.map((row: { partner_key: unknown; external_id: unknown; role: unknown; match_rule: unknown }) => [row.partner_key, row.external_id, row.role, row.match_rule])).toEqual([
      ['co-pi', 'copi-2023-07', 'linked', 'same-start+same-venue+similar-title'],
      ['folkemoedet', 'fm23-j5-1130', 'linked', 'same-start+same-venue-code+similar-title'],
    ]);
    const text = JSON.stringify((await publicDebate('da')).body) + (await getCalendar(app, `/api/events/${debateId}/calendar.ics?locale=da`)).text;
    expect(text).not.toMatch(/fm23-j5-1130|copi-2023-07|sourcePartner|externalId|"co-pi"|"folkemoedet"|same-start/);
  });

  it('lets a partner that does not organise it change nothing: a re-push is its new version, the event stays', async () => {
    const before = (await publicDebate('da')).body.data;
    const response = await put(app, partners.festival, 'fm23-j5-1130', festivalListing({ startsAt: '2023-06-16T13:00', endsAt: '2023-06-16T14:00', da: { title: 'Helt ny titel' } }));
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ result: 'updated', version: 2, documentId: debateId });
    const after = (await publicDebate('da')).body.data;
    expect(after).toMatchObject({ title: before.title, startsAt: before.startsAt, endsAt: before.endsAt, summary: before.summary });
    // The same body once more is unchanged, as for any partner event.
    const again = await put(app, partners.festival, 'fm23-j5-1130', festivalListing({ startsAt: '2023-06-16T13:00', endsAt: '2023-06-16T14:00', da: { title: 'Helt ny titel' } }));
    expect(again.body.data.result).toBe('unchanged');
  });

  it('lets the organiser move its times on a later push, never its texts', async () => {
    const response = await put(app, partners.copi, 'copi-2023-07', organiserListing({ startsAt: '2023-06-16T11:45:00+02:00', da: { title: 'CO-PI’s nye titel' } }));
    expect(response.body.data).toMatchObject({ result: 'updated', version: 2 });
    const da = (await publicDebate('da')).body.data;
    expect(da).toMatchObject({ title: SEEDED_DEBATE_TITLE, startsAt: '2023-06-16T09:45:00.000Z' });
    expect(da.summary.startsWith(SEEDED_DEBATE_SUMMARY_START)).toBe(true);
  });

  it('withdrawing a linked listing drops the link, not the editor’s event', async () => {
    const programme = '/api/events.ics?locale=da&partner=folkemoedet';
    const debatesIn = async () => (await getCalendar(app, programme)).calendar.events.filter((event) => event.summary === SEEDED_DEBATE_TITLE).length;
    expect(await debatesIn()).toBe(1);
    const changesOfDebate = () => app.strapi.db.connection('sync_changes').where({ document_id: debateId }).orderBy('id').select('id', 'action', 'locale');
    const before = (await changesOfDebate()).length;
    const response = await app.http().delete('/api/partner/events/fm23-j5-1130').set('Authorization', partners.festival.auth);
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ result: 'withdrawn', withdrawn: true, documentId: debateId });
    expect((await publicDebate('da')).status).toBe(200);
    // It leaves the festival's programme at once (the cached calendar is not served again), and
    // feed readers hear of it as an update of the debate.
    expect(await debatesIn()).toBe(0);
    const { calendar } = await getCalendar(app, '/api/events.ics?locale=da&partner=co-pi');
    expect(calendar.events.filter((event) => event.summary === SEEDED_DEBATE_TITLE)).toHaveLength(1);
    const logged = (await changesOfDebate()).slice(before).map(({ action, locale }: { action: string; locale: string }) => ({ action, locale }));
    expect(logged).toEqual([
      { action: 'updated', locale: 'da' },
      { action: 'updated', locale: 'en' },
    ]);
  });

  it('pushing the withdrawn listing again links it again: back in the programme, logged the same way', async () => {
    const changesOfDebate = () => app.strapi.db.connection('sync_changes').where({ document_id: debateId }).orderBy('id').select('action', 'locale');
    const before = (await changesOfDebate()).length;
    const again = await put(app, partners.festival, 'fm23-j5-1130', festivalListing({ startsAt: '2023-06-16T13:00', endsAt: '2023-06-16T14:00', da: { title: 'Helt ny titel' } }));
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ result: 'updated', withdrawn: false, documentId: debateId });
    const { calendar } = await getCalendar(app, '/api/events.ics?locale=da&partner=folkemoedet');
    expect(calendar.events.filter((event) => event.summary === SEEDED_DEBATE_TITLE)).toHaveLength(1);
    expect((await changesOfDebate()).slice(before)).toEqual([
      { action: 'updated', locale: 'da' },
      { action: 'updated', locale: 'en' },
    ]);
  });
});

describe('a doubtful title', () => {
  // Same tent, same start, a title that shares words but not enough.
  const doubtful = () => festivalListing({ startsAt: '2023-06-16T11:45', endsAt: undefined, da: { title: 'Innovation i den offentlige indkøbsproces' }, en: undefined });

  it('creates nothing public and answers 202 "pending-review" with why', async () => {
    const before = await contentCounts(app);
    const response = await put(app, partners.kl, 'kl-fm-1', doubtful());
    expect(response.status).toBe(202);
    expect(response.headers.location).toBeUndefined();
    expect(response.body.data).toMatchObject({
      externalId: 'kl-fm-1',
      result: 'pending-review',
      documentId: null,
      published: false,
      locales: [],
      match: { rule: 'same-start+same-venue-code+similar-title', pendingReview: true },
    });
    expect(response.body.data.match.score).toBeGreaterThanOrEqual(0.5);
    expect(response.body.data.match.score).toBeLessThan(0.85);
    expect(await contentCounts(app)).toEqual(before);
    expect((await fridayTitles()).map((event) => event.title)).not.toContain('Innovation i den offentlige indkøbsproces');
  });

  it('stores the pair for review with both sides, rule and score; a re-push refreshes it, never a second one', async () => {
    await put(app, partners.kl, 'kl-fm-1', doubtful());
    await put(app, partners.kl, 'kl-fm-1', doubtful());
    const rows = await app.strapi.db.connection('partner_match_candidates').where({ kind: 'event', partner_key: 'kl', external_id: 'kl-fm-1' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ candidate_document_id: debateId, status: 'pending', rule: 'same-start+same-venue-code+similar-title' });
    const evidence = JSON.parse(rows[0].evidence);
    expect(evidence.pushed.titles.da).toBe('Innovation i den offentlige indkøbsproces');
    expect(evidence.existing.titles.da).toBe(SEEDED_DEBATE_TITLE);
    expect(evidence.startDifferenceMinutes).toBe(0);
    expect(JSON.parse(rows[0].payload).da.title).toBe('Innovation i den offentlige indkøbsproces');
  });

  it('shows the partner its item as pending, and withdrawing takes it out of the queue', async () => {
    const read = await app.http().get('/api/partner/events/kl-fm-1').set('Authorization', partners.kl.auth);
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ externalId: 'kl-fm-1', documentId: null, match: { pendingReview: true } });
    // Another partner still sees nothing of it.
    expect((await app.http().get('/api/partner/events/kl-fm-1').set('Authorization', partners.festival.auth)).status).toBe(404);
    const withdrawn = await app.http().delete('/api/partner/events/kl-fm-1').set('Authorization', partners.kl.auth);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.data).toMatchObject({ result: 'withdrawn', documentId: null });
    const rows = await app.strapi.db.connection('partner_match_candidates').where({ partner_key: 'kl', external_id: 'kl-fm-1' });
    expect(rows.map((row: { status: unknown }) => row.status)).toEqual(['withdrawn']);
    expect((await app.http().get('/api/partner/events/kl-fm-1').set('Authorization', partners.kl.auth)).status).toBe(404);
  });

  it('a clearly different title at the same slot is another event, created as before', async () => {
    const response = await put(app, partners.kl, 'kl-fm-2', festivalListing({ da: { title: 'Kommunernes klimaplaner' }, en: undefined }));
    expect(response.status).toBe(201);
    expect(response.body.data.result).toBe('created');
    expect(response.body.data.documentId).not.toBe(debateId);
  });

  it('never matches a partner with its own events: the same title and slot under another externalId is another event', async () => {
    const listing = festivalListing({ startsAt: '2023-06-15T14:00', endsAt: undefined, da: { title: 'Gentagelse af morgendebatten' }, en: undefined });
    const first = await put(app, partners.kl, 'kl-repeat-1', listing);
    const second = await put(app, partners.kl, 'kl-repeat-2', listing);
    expect([first.status, first.body.data.result, second.status, second.body.data.result]).toEqual([201, 'created', 201, 'created']);
    expect(second.body.data.documentId).not.toBe(first.body.data.documentId);
  });

  it('titles one number apart ("Del 1", "Del 2") are never linked at once', async () => {
    const first = await put(app, partners.festival, 'fm23-serie-1', festivalListing({ startsAt: '2023-06-15T10:00', endsAt: undefined, da: { title: 'Fremtidens indkøb, del 1' } }));
    expect(first.body.data.result).toBe('created');
    const second = await put(app, partners.kl, 'kl-serie-2', festivalListing({ startsAt: '2023-06-15T10:00', endsAt: undefined, da: { title: 'Fremtidens indkøb, del 2' } }));
    expect(second.status).toBe(202);
    expect(second.body.data.result).toBe('pending-review');
  });
});

describe('batches and bad input', () => {
  it('counts linked and pending items in a batch’s meta, with each item’s match', async () => {
    const response = await app
      .http()
      .post('/api/partner/events/batch')
      .set('Authorization', partners.kl.auth)
      .send({
        events: [
          // First the doubtful one: once kl has linked the debate, kl's own items are never matched to it again.
          { externalId: 'kl-b-1', ...festivalListing({ startsAt: '2023-06-16T11:45', endsAt: undefined, da: { title: 'Innovation i den offentlige indkøbsproces' }, en: undefined }) },
          { externalId: 'kl-b-2', ...organiserListing({ startsAt: '2023-06-16T11:45:00+02:00', da: { title: 'Spænd innovation for den offentlige indkøbsvogn' } }) },
          { externalId: 'kl-b-3', ...festivalListing({ venue: { name: 'Telt', code: 'x'.repeat(21) } }) },
        ],
      });
    expect(response.status).toBe(200);
    expect(response.body.meta).toEqual({ created: 0, updated: 0, unchanged: 0, failed: 1, linked: 1, pendingReview: 1 });
    expect(response.body.data.map((item: { status: unknown; result: unknown }) => [item.status, item.result])).toEqual([
      [202, 'pending-review'],
      [201, 'linked'],
      [400, 'invalid'],
    ]);
    expect(response.body.data[1]).toMatchObject({ documentId: debateId, match: { pendingReview: false } });
    expect(response.body.data[2].errors).toEqual([{ pointer: '/events/2/venue/code', path: ['events', 2, 'venue', 'code'], message: 'must be at most 20 characters' }]);
  });

  it('refuses a bad venue code with a 400 naming it, writing nothing', async () => {
    const before = await contentCounts(app);
    const candidates = await app.strapi.db.connection('partner_match_candidates').count({ n: '*' });
    const response = await put(app, partners.kl, 'kl-bad', festivalListing({ venue: { name: 'Telt', code: '' } }));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
    expect(response.body.error.details.errors).toEqual([{ pointer: '/venue/code', path: ['venue', 'code'], message: 'must not be empty' }]);
    expect(await contentCounts(app)).toEqual(before);
    expect(await app.strapi.db.connection('partner_match_candidates').count({ n: '*' })).toEqual(candidates);
  });
});
