/**
 * schema.org Event JSON-LD: `GET /api/events/:documentId/json-ld` and `jsonLd` in the REST
 * answers in the default shape (by documentId, by slug, lists), field by field.
 */
import { startApp, type TestApp } from '../helpers/app';
import { SEED, SITE, createEvent, createPerson, createVenue, seedId } from './shared';
import { someFields } from '../helpers/documents';

let app: TestApp;
let debateId = '';
let hybridId = '';
let draftId = '';
const PRIVATE_EMAIL = 'private.speaker@example.dk';
const PARTNER_KEY = 'webinar-partner';
const EXTERNAL_ID = 'ext-webinar-17';

const FESTIVAL_LD = {
  '@type': 'Event',
  name: 'Folkemødet 2023',
  url: 'https://folkemoedet.dk/',
  startDate: '2023-06-15T00:00:00+02:00',
  endDate: '2023-06-17T23:59:00+02:00',
};

const DEBATE_LD = {
  da: {
    '@context': 'https://schema.org',
    '@type': 'Event',
    name: 'Spænd innovation for den offentlige indkøbsvogn',
    description: 'Debat om, hvordan offentlige og private sammen får mere fart på innovative offentlige indkøb.',
    startDate: '2023-06-16T11:30:00+02:00',
    endDate: '2023-06-16T12:30:00+02:00',
    eventStatus: 'https://schema.org/EventScheduled',
    eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
    location: {
      '@type': 'Place',
      name: 'Kæmpestrandens debattelt',
      identifier: 'J5',
      address: { '@type': 'PostalAddress', streetAddress: 'Kæmpestranden, 3770 Allinge', addressLocality: 'Allinge, Bornholm' },
    },
    organizer: [
      { '@type': 'Organization', name: 'Center for Offentlig-Privat Innovation', url: 'https://co-pi.dk/' },
      // No website in the seed: no url.
      { '@type': 'Organization', name: 'Erhvervshus Hovedstaden' },
    ],
    performer: ['Mette Harbo', 'Morten Jung', 'Karen Storgaard Larsen', 'Kim Toft Madsen'].map((name) => ({ '@type': 'Person', name })),
    superEvent: FESTIVAL_LD,
    inLanguage: 'da',
    url: 'https://folkemoedet.dk/',
  },
  en: {
    name: 'Hitch innovation to the public shopping trolley',
    description: 'A debate on how the public and private sectors can speed up innovative public procurement together.',
    location: { '@type': 'Place', name: 'Kæmpestranden debate tent' },
    inLanguage: 'en',
    startDate: '2023-06-16T11:30:00+02:00',
  },
};

beforeAll(async () => {
  app = await startApp({ seed: true });
  debateId = await seedId(app, 'api::event.event', SEED.debate.da);
  const copi = await seedId(app, 'api::organisation.organisation', SEED.copi);
  const venue = await createVenue(app, {
    name: { da: 'Innovationshuset', en: 'The Innovation House' },
    address: 'Havnegade 10',
    city: 'København',
    latitude: 55.6761,
    longitude: 12.5683,
  });
  const speaker = await createPerson(app, { name: 'Privat Taler', email: PRIVATE_EMAIL });
  // Winter time (+01:00), mixed attendance, cancelled, no festival.
  hybridId = await createEvent(app, {
    title: { da: 'Hybridwebinar om velfærdsteknologi', en: 'Hybrid webinar on welfare technology' },
    summary: { da: 'I salen og online.', en: 'In the room and online.' },
    kind: 'webinar',
    startsAt: '2023-01-16T09:30:00.000Z',
    endsAt: '2023-01-16T11:00:00.000Z',
    eventStatus: 'cancelled',
    attendanceMode: 'mixed',
    programmeUrl: 'https://example.dk/webinar',
    venue,
    organisers: [copi],
    participants: [
      { person: speaker, part: 'speaker' },
      { person: speaker, part: 'moderator' },
    ],
    sourcePartner: PARTNER_KEY,
    externalId: EXTERNAL_ID,
  });
  draftId = await createEvent(app, {
    title: { da: 'Hemmelig kladde', en: 'Secret draft' },
    startsAt: '2023-02-01T10:00:00.000Z',
    publish: [],
  });
});

afterAll(async () => {
  await app?.stop();
});

describe('GET /api/events/:documentId/json-ld', () => {
  it('answers application/ld+json with every field of the seed debate, in Danish', async () => {
    const response = await app.http().get(`/api/events/${debateId}/json-ld`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/ld+json; charset=utf-8');
    expect(JSON.parse(response.text)).toEqual(DEBATE_LD.da);
  });

  it('answers in English with locale=en: localised names, the same times and structure', async () => {
    const response = await app.http().get(`/api/events/${debateId}/json-ld?locale=en`);
    const body = JSON.parse(response.text);
    expect(body).toMatchObject(DEBATE_LD.en);
    expect(body.organizer.map((organisation: { name: unknown }) => organisation.name)).toEqual([
      'Centre for Public-Private Innovation',
      'Business Hub Greater Copenhagen',
    ]);
    expect(body.superEvent).toEqual(FESTIVAL_LD);
    expect(Object.keys(body)).toEqual(Object.keys(DEBATE_LD.da));
  });

  it('gives winter offsets, cancelled and mixed attendance with a Place (with geo) and a VirtualLocation', async () => {
    const body = JSON.parse((await app.http().get(`/api/events/${hybridId}/json-ld?locale=en`)).text);
    expect(body).toEqual({
      '@context': 'https://schema.org',
      '@type': 'Event',
      name: 'Hybrid webinar on welfare technology',
      description: 'In the room and online.',
      startDate: '2023-01-16T10:30:00+01:00',
      endDate: '2023-01-16T12:00:00+01:00',
      eventStatus: 'https://schema.org/EventCancelled',
      eventAttendanceMode: 'https://schema.org/MixedEventAttendanceMode',
      location: [
        {
          '@type': 'Place',
          name: 'The Innovation House',
          address: { '@type': 'PostalAddress', streetAddress: 'Havnegade 10', addressLocality: 'København' },
          geo: { '@type': 'GeoCoordinates', latitude: 55.6761, longitude: 12.5683 },
        },
        { '@type': 'VirtualLocation', url: 'https://example.dk/webinar' },
      ],
      organizer: [{ '@type': 'Organization', name: 'Centre for Public-Private Innovation', url: 'https://co-pi.dk/' }],
      // One person in two parts is one performer.
      performer: [{ '@type': 'Person', name: 'Privat Taler' }],
      inLanguage: 'en',
      url: 'https://example.dk/webinar',
    });
  });

  it('links to our own event page when the event has no programme URL', async () => {
    const events = app.strapi.documents('api::event.event');
    await events.update({ documentId: hybridId, locale: 'da', data: someFields('api::event.event', { programmeUrl: null }) });
    await events.publish({ documentId: hybridId, locale: 'da' });
    const body = JSON.parse((await app.http().get(`/api/events/${hybridId}/json-ld`)).text);
    expect(body.url).toBe(`${SITE}/da/events/hybridwebinar-om-velfaerdsteknologi`);
    // Without a URL there is no virtual location to name.
    expect(body.location).toMatchObject({ '@type': 'Place', name: 'Innovationshuset' });
  });

  it('never carries private fields', async () => {
    for (const locale of ['da', 'en']) {
      const text = (await app.http().get(`/api/events/${hybridId}/json-ld?locale=${locale}`)).text;
      for (const secret of [PRIVATE_EMAIL, PARTNER_KEY, EXTERNAL_ID, 'sourcePartner', 'externalId', 'email']) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it('is a 404 JSON error for drafts and unknown ids, a 400 for a bad locale', async () => {
    const draft = await app.http().get(`/api/events/${draftId}/json-ld`);
    expect(draft.status).toBe(404);
    expect(draft.body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
    expect((await app.http().get('/api/events/doesnotexist0000000000000/json-ld')).status).toBe(404);
    const bad = await app.http().get(`/api/events/${debateId}/json-ld?locale=xx`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual({ code: 'bad-parameter', param: 'locale' });
  });
});

describe('jsonLd in the REST answers', () => {
  it('is data.jsonLd of GET /api/events/:documentId, the same object the dedicated endpoint gives', async () => {
    for (const locale of ['da', 'en']) {
      const rest = await app.http().get(`/api/events/${debateId}?locale=${locale}`);
      expect(rest.status).toBe(200);
      const dedicated = JSON.parse((await app.http().get(`/api/events/${debateId}/json-ld?locale=${locale}`)).text);
      expect(rest.body.data.jsonLd).toEqual(dedicated);
      // The rest of the answer is unchanged.
      expect(rest.body.data).toMatchObject({ documentId: debateId, startsAtLocal: '2023-06-16T11:30:00+02:00', venue: { code: 'J5' } });
    }
  });

  it('is data.jsonLd of GET /api/events/slug/:slug', async () => {
    const response = await app.http().get(`/api/events/slug/${SEED.debate.en}?locale=en`);
    expect(response.status).toBe(200);
    expect(response.body.data.jsonLd).toMatchObject({ ...DEBATE_LD.en, superEvent: FESTIVAL_LD });
    expect(response.body.meta.slug).toMatchObject({ current: SEED.debate.en, moved: false });
  });

  it('follows the served locale when English falls back to Danish', async () => {
    const events = app.strapi.documents('api::event.event');
    const danishOnly = await createEvent(app, {
      title: { da: 'Kun dansk debat', en: 'unused' },
      startsAt: '2023-06-16T12:00:00.000Z',
      publish: ['da'],
    });
    const response = await app.http().get(`/api/events/${danishOnly}?locale=en&fallbackLocale=da`);
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ locale: 'da', fallback: true });
    expect(response.body.data.jsonLd).toMatchObject({ name: 'Kun dansk debat', inLanguage: 'da' });
    await events.delete({ documentId: danishOnly, locale: '*' });
  });

  it('is in list items too (a single read is the list item), one read per locale whatever the page size', async () => {
    const list = await app.http().get('/api/events?sort=startsAt');
    expect(list.body.data.length).toBeGreaterThan(2);
    for (const event of list.body.data) expect(event.jsonLd).toMatchObject({ '@type': 'Event', name: event.title, inLanguage: 'da' });
  });

  it('is left out of requests that name their own fields or populate', async () => {
    const narrowed = await app.http().get(`/api/events/${debateId}?fields[0]=title`);
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.data).toEqual({ id: expect.any(Number), documentId: debateId, title: DEBATE_LD.da.name });
    const populated = await app.http().get(`/api/events?populate=venue`);
    for (const event of populated.body.data) expect(event).not.toHaveProperty('jsonLd');
  });
});
