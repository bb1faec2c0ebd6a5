/**
 * iCalendar feeds: `GET /api/events.ics` (the programme, filtered) and
 * `GET /api/events/:documentId/calendar.ics` (one event), parsed back with ical.js.
 */
import { startApp, type TestApp } from '../helpers/app';
import { SEED, SITE, SITE_HOST, ZONE, createEvent, createPerson, createVenue, getCalendar, parseCalendar, seedId } from './shared';

let app: TestApp;
const ids = {} as Record<'spring' | 'winterSide' | 'summerSide' | 'draft' | 'danishOnly' | 'night' | 'debate', string>;
const PARTNER_KEY = 'spring-partner';
const EXTERNAL_ID = 'ext-spring-7781';
const PRIVATE_EMAIL = 'hidden.moderator@example.dk';

beforeAll(async () => {
  app = await startApp({ seed: true });
  const topic = await seedId(app, 'api::topic.topic', SEED.topic.da);
  const copi = await seedId(app, 'api::organisation.organisation', SEED.copi);
  const danskErhverv = await seedId(app, 'api::organisation.organisation', SEED.danskErhverv);
  ids.debate = await seedId(app, 'api::event.event', SEED.debate.da);
  const tent = await createVenue(app, {
    name: { da: 'Forårsteltet', en: 'The spring tent' },
    code: 'F1',
    address: 'Havnegade 1, 3770 Allinge',
    city: 'Allinge',
    // Full precision on both databases (float columns; `decimal` kept two decimals on PostgreSQL).
    latitude: 55.2764,
    longitude: 14.7983,
  });
  const moderator = await createPerson(app, { name: 'Skjult Moderator', email: PRIVATE_EMAIL });

  ids.spring = await createEvent(app, {
    title: { da: 'Forårsmødet 2023', en: 'Spring Meeting 2023' },
    kind: 'festival',
    startsAt: '2023-03-23T23:00:00.000Z',
    endsAt: '2023-03-28T21:59:00.000Z',
  });
  // The day before Copenhagen moves to summer time (26 March 2023): 11:30 CET = 10:30 UTC.
  ids.winterSide = await createEvent(app, {
    title: { da: 'Vinterdebat om indkøb', en: 'Winter debate on procurement' },
    summary: { da: 'Sidste debat i vintertid.', en: 'The last debate in winter time.' },
    startsAt: '2023-03-25T10:30:00.000Z',
    endsAt: '2023-03-25T11:30:00.000Z',
    parent: ids.spring,
    venue: tent,
    organisers: [copi],
    topics: [topic],
    participants: [{ person: moderator, part: 'moderator' }],
    sourcePartner: PARTNER_KEY,
    externalId: EXTERNAL_ID,
  });
  // The day after: 11:30 CEST = 09:30 UTC. Cancelled.
  ids.summerSide = await createEvent(app, {
    title: { da: 'Sommerdebat om indkøb', en: 'Summer debate on procurement' },
    startsAt: '2023-03-27T09:30:00.000Z',
    endsAt: '2023-03-27T10:30:00.000Z',
    eventStatus: 'cancelled',
    parent: ids.spring,
    organisers: [danskErhverv],
  });
  ids.draft = await createEvent(app, {
    title: { da: 'Kladde til forårsmødet', en: 'Draft for the spring meeting' },
    startsAt: '2023-03-26T10:00:00.000Z',
    parent: ids.spring,
    sourcePartner: PARTNER_KEY,
    publish: [],
  });
  ids.danishOnly = await createEvent(app, {
    title: { da: 'Kun på dansk', en: 'Only in Danish (draft)' },
    startsAt: '2023-03-26T12:00:00.000Z',
    parent: ids.spring,
    publish: ['da'],
  });
  // Across the end of summer time (29 October 2023, 03:00 CEST -> 02:00 CET):
  // 00:00 CEST (22:00 UTC) to 03:30 CET (02:30 UTC), four and a half hours.
  ids.night = await createEvent(app, {
    title: { da: 'Natdebat', en: 'Night debate' },
    startsAt: '2023-10-28T22:00:00.000Z',
    endsAt: '2023-10-29T02:30:00.000Z',
    eventStatus: 'postponed',
  });
});

afterAll(async () => {
  await app?.stop();
});

const byTitle = (events: Array<{ summary: string }>) => events.map((event) => event.summary);

describe('the programme feed', () => {
  it('is text/calendar with a download name, version 2.0 and a VTIMEZONE for Europe/Copenhagen', async () => {
    const { response, text, calendar } = await getCalendar(app, '/api/events.ics?festival=foraarsmoedet-2023');
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('inline; filename="foraarsmoedet-2023-da.ics"');
    expect(calendar.version).toBe('2.0');
    expect(calendar.prodId).toBe(`-//${SITE_HOST}//Events//DA`);
    expect(calendar.name).toBe('Forårsmødet 2023 – program');
    expect(calendar.timezones).toEqual([ZONE]);
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(text).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H');
  });

  it('gives 11:30 local on both sides of the March DST change, with the right UTC instants', async () => {
    const { text, calendar } = await getCalendar(app, '/api/events.ics?festival=foraarsmoedet-2023');
    const [winter, summer] = ['Vinterdebat om indkøb', 'Sommerdebat om indkøb'].map((title) => calendar.events.find((event) => event.summary === title)!);
    expect(winter).toMatchObject({
      summary: 'Vinterdebat om indkøb',
      startZone: ZONE,
      endZone: ZONE,
      startLocal: '2023-03-25T11:30:00',
      endLocal: '2023-03-25T12:30:00',
      startUtc: '2023-03-25T10:30:00.000Z',
      endUtc: '2023-03-25T11:30:00.000Z',
    });
    expect(summer).toMatchObject({
      summary: 'Sommerdebat om indkøb',
      startZone: ZONE,
      startLocal: '2023-03-27T11:30:00',
      endLocal: '2023-03-27T12:30:00',
      startUtc: '2023-03-27T09:30:00.000Z',
      endUtc: '2023-03-27T10:30:00.000Z',
    });
    // As written on the wire, too.
    expect(text).toContain('DTSTART;TZID=Europe/Copenhagen:20230325T113000');
    expect(text).toContain('DTSTART;TZID=Europe/Copenhagen:20230327T113000');
  });

  it('keeps local and UTC times right for an event spanning the October DST change', async () => {
    const { calendar } = await getCalendar(app, '/api/events.ics');
    const night = calendar.events.find((event) => event.summary === 'Natdebat')!;
    expect(night).toMatchObject({
      startLocal: '2023-10-29T00:00:00',
      endLocal: '2023-10-29T03:30:00',
      startUtc: '2023-10-28T22:00:00.000Z',
      endUtc: '2023-10-29T02:30:00.000Z',
      status: 'TENTATIVE',
    });
  });

  it('describes each event: stable UID, status, location with geo, URL, organisers, topics, last modified', async () => {
    const { calendar } = await getCalendar(app, '/api/events.ics?festival=foraarsmoedet-2023');
    const [winter, summer] = ['Vinterdebat om indkøb', 'Sommerdebat om indkøb'].map((title) => calendar.events.find((event) => event.summary === title)!);
    const stored = await app.strapi
      .documents('api::event.event')
      .findOne({ documentId: ids.winterSide, locale: 'da', status: 'published', fields: ['updatedAt', 'slug'] });
    expect(winter).toMatchObject({
      uid: `${ids.winterSide}@${SITE_HOST}`,
      status: 'CONFIRMED',
      location: 'Forårsteltet (F1), Havnegade 1, 3770 Allinge, Allinge',
      geo: [55.2764, 14.7983],
      url: `${SITE}/da/events/${stored!.slug}`,
      description: `Sidste debat i vintertid.\n\nArrangører: Center for Offentlig-Privat Innovation\n\n${SITE}/da/events/${stored!.slug}`,
      categories: ['Innovative offentlige indkøb'],
      // iCalendar times have whole seconds.
      lastModified: new Date(Math.floor(new Date(stored!.updatedAt as string | Date).getTime() / 1000) * 1000).toISOString(),
    });
    expect(winter!.sequence).toBeGreaterThanOrEqual(1);
    expect(summer).toMatchObject({ uid: `${ids.summerSide}@${SITE_HOST}`, status: 'CANCELLED', location: null, geo: null });
  });

  it('serves the requested locale, and only what is published in it', async () => {
    const da = await getCalendar(app, '/api/events.ics?festival=foraarsmoedet-2023');
    expect(byTitle(da.calendar.events)).toEqual(['Vinterdebat om indkøb', 'Kun på dansk', 'Sommerdebat om indkøb']);

    // Slugs are per locale; the English festival has its own.
    const en = await getCalendar(app, '/api/events.ics?festival=spring-meeting-2023&locale=en');
    expect(en.response.headers['content-disposition']).toBe('inline; filename="spring-meeting-2023-en.ics"');
    expect(en.calendar.name).toBe('Spring Meeting 2023 – programme');
    expect(byTitle(en.calendar.events)).toEqual(['Winter debate on procurement', 'Summer debate on procurement']);
    const winter = en.calendar.events[0]!;
    expect(winter.uid).toBe(`${ids.winterSide}@${SITE_HOST}`);
    expect(winter.url).toMatch(new RegExp(`^${SITE}/en/events/winter-debate-on-procurement$`));
    expect(winter.description).toContain('Organisers: Centre for Public-Private Innovation');
    expect(winter.categories).toEqual(['Innovative public procurement']);
  });

  it('never shows drafts or private fields', async () => {
    const { text, calendar } = await getCalendar(app, '/api/events.ics');
    const titles = byTitle(calendar.events);
    expect(titles).not.toContain('Kladde til forårsmødet');
    expect(titles).toEqual(expect.arrayContaining(['Folkemødet 2023', 'Spænd innovation for den offentlige indkøbsvogn', 'Forårsmødet 2023', 'Natdebat']));
    for (const secret of [PARTNER_KEY, EXTERNAL_ID, PRIVATE_EMAIL]) expect(text).not.toContain(secret);
    // Sorted by start.
    const starts = calendar.events.map((event) => event.startUtc);
    expect(starts).toEqual([...starts].sort());

    const partnerFeed = await getCalendar(app, `/api/events.ics?partner=${PARTNER_KEY}`);
    expect(byTitle(partnerFeed.calendar.events)).toEqual(['Vinterdebat om indkøb']);
  });

  it('filters by festival, topic, organiser and partner, alone and together', async () => {
    const titles = async (query: string) => byTitle((await getCalendar(app, `/api/events.ics?${query}`)).calendar.events);
    expect(await titles('festival=folkemoedet-2023')).toEqual(['Spænd innovation for den offentlige indkøbsvogn']);
    expect(await titles(`festival=${ids.spring}&locale=en`)).toEqual(['Winter debate on procurement', 'Summer debate on procurement']);
    expect(await titles(`topic=${SEED.topic.da}`)).toEqual(['Vinterdebat om indkøb', 'Spænd innovation for den offentlige indkøbsvogn']);
    expect(await titles(`topic=${SEED.topic.en}&locale=en`)).toEqual([
      'Winter debate on procurement',
      'Hitch innovation to the public shopping trolley',
    ]);
    expect(await titles(`organiser=${SEED.copi}`)).toEqual(['Vinterdebat om indkøb', 'Spænd innovation for den offentlige indkøbsvogn']);
    expect(await titles(`organiser=${SEED.danskErhverv}`)).toEqual(['Sommerdebat om indkøb']);
    expect(await titles(`organiser=${SEED.copi}&festival=folkemoedet-2023`)).toEqual(['Spænd innovation for den offentlige indkøbsvogn']);
    expect(await titles(`partner=${PARTNER_KEY}&topic=${SEED.topic.da}&festival=foraarsmoedet-2023`)).toEqual(['Vinterdebat om indkøb']);
    // An unknown partner is an empty calendar, not an error that tells which partners exist.
    const empty = await getCalendar(app, '/api/events.ics?partner=nobody-at-all');
    expect(empty.calendar.events).toEqual([]);
    expect(empty.calendar.version).toBe('2.0');
  });

  it.each([
    ['locale=fr', 'locale'],
    ['festival=no-such-festival', 'festival'],
    ['festival=Not%20A%20Slug', 'festival'],
    ['festival=folkemoedet-2023&festival=foraarsmoedet-2023', 'festival'],
    ['topic=no-such-topic', 'topic'],
    ['organiser=no-such-organisation', 'organiser'],
    ['partner=bad%20key', 'partner'],
    ['partner=', 'partner'],
    ['organizer=dansk-erhverv', 'organizer'],
  ])('answers ?%s with a 400 JSON error naming %s', async (query, param) => {
    const response = await app.http().get(`/api/events.ics?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError', details: { code: 'bad-parameter', param } });
    expect(response.body.error.message).toContain(param);
  });

  it('does not resolve a festival published only in another locale', async () => {
    const response = await app.http().get(`/api/events.ics?festival=${ids.danishOnly}&locale=en`);
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual({ code: 'bad-parameter', param: 'festival' });
  });
});

describe('one event', () => {
  it('is an attachment with one VEVENT, the same UID and SEQUENCE as in the feed, and its VTIMEZONE', async () => {
    const { response, calendar } = await getCalendar(app, `/api/events/${ids.winterSide}/calendar.ics?locale=en`);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="winter-debate-on-procurement-en.ics"');
    expect(calendar.timezones).toEqual([ZONE]);
    expect(calendar.events).toHaveLength(1);
    const feed = (await getCalendar(app, '/api/events.ics?locale=en')).calendar.events.find((event) => event.uid === calendar.events[0]!.uid)!;
    expect(calendar.events[0]).toEqual(feed);
    expect(calendar.events[0]).toMatchObject({ startLocal: '2023-03-25T11:30:00', startUtc: '2023-03-25T10:30:00.000Z' });
  });

  it('is a 404 JSON error for a draft, an unpublished locale or an unknown id, and a 400 for a bad locale', async () => {
    for (const path of [
      `/api/events/${ids.draft}/calendar.ics`,
      `/api/events/${ids.danishOnly}/calendar.ics?locale=en`,
      '/api/events/doesnotexist0000000000000/calendar.ics',
    ]) {
      const response = await app.http().get(path);
      expect(response.status).toBe(404);
      expect(response.body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
    }
    const bad = await app.http().get(`/api/events/${ids.winterSide}/calendar.ics?locale=de`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual({ code: 'bad-parameter', param: 'locale' });
  });

  it('grows SEQUENCE and moves LAST-MODIFIED with every published change, keeping the UID', async () => {
    const path = `/api/events/${ids.summerSide}/calendar.ics`;
    const before = (await getCalendar(app, path)).calendar.events[0]!;

    const events = app.strapi.documents('api::event.event');
    await events.update({ documentId: ids.summerSide, locale: 'da', data: { title: 'Sommerdebat om indkøb (aflyst)' } });
    // A draft edit is not a public change.
    expect((await getCalendar(app, path)).calendar.events[0]).toEqual(before);
    await events.publish({ documentId: ids.summerSide, locale: 'da' });
    const afterFirst = (await getCalendar(app, path)).calendar.events[0]!;

    await events.update({ documentId: ids.summerSide, locale: 'en', data: { summary: 'Called off.' } });
    await events.publish({ documentId: ids.summerSide, locale: 'en' });
    const afterSecond = (await getCalendar(app, path)).calendar.events[0]!;

    expect(afterFirst.uid).toBe(before.uid);
    expect(afterFirst.summary).toBe('Sommerdebat om indkøb (aflyst)');
    expect(afterFirst.sequence).toBeGreaterThan(before.sequence);
    expect(afterSecond.sequence).toBeGreaterThan(afterFirst.sequence);
    expect(afterFirst.lastModified! >= before.lastModified!).toBe(true);
    expect(afterSecond.uid).toBe(before.uid);
  });
});

it('parses back the very text it is given (no stale zone from an earlier parse)', () => {
  // Guards the helper itself: a calendar without VTIMEZONE has floating/UTC times only.
  const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//t//EN', 'BEGIN:VEVENT', 'UID:x@t', 'DTSTAMP:20230101T000000Z',
    'DTSTART:20230325T103000Z', 'SUMMARY:t', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  expect(parseCalendar(text).events[0]).toMatchObject({ startUtc: '2023-03-25T10:30:00.000Z', startZone: null });
});
