/** Events by time, and every datetime shown with the Copenhagen offset beside the UTC instant. */
import { startOfLocalDay, toLocalIso } from '../../src/lib/time/format';
import { startApp, type TestApp } from '../helpers/app';
import { DEBATE } from '../public-api/shared';
import { someFields } from '../helpers/documents';

describe('toLocalIso across the 2023 DST changes in Europe/Copenhagen', () => {
  it.each([
    ['winter', '2023-01-16T09:30:00.000Z', '2023-01-16T10:30:00+01:00'],
    ['summer (the seed debate)', '2023-06-16T09:30:00.000Z', '2023-06-16T11:30:00+02:00'],
    ['last second before spring forward', '2023-03-26T00:59:59.000Z', '2023-03-26T01:59:59+01:00'],
    ['first second after spring forward', '2023-03-26T01:00:00.000Z', '2023-03-26T03:00:00+02:00'],
    ['02:30 the first time in autumn', '2023-10-29T00:30:00.000Z', '2023-10-29T02:30:00+02:00'],
    ['02:30 the second time in autumn', '2023-10-29T01:30:00.000Z', '2023-10-29T02:30:00+01:00'],
    ['midnight UTC is 01:00 in winter', '2023-12-31T23:00:00.000Z', '2024-01-01T00:00:00+01:00'],
  ])('%s', (_name, instant, local) => {
    expect(toLocalIso(instant)).toBe(local);
    // The local form names the same instant.
    expect(new Date(local).toISOString()).toBe(instant);
  });

  it('uses the zone it is given', () => {
    expect(toLocalIso('2023-06-16T09:30:00.000Z', 'UTC')).toBe('2023-06-16T09:30:00+00:00');
    expect(toLocalIso('2023-06-16T09:30:00.000Z', 'America/New_York')).toBe('2023-06-16T05:30:00-04:00');
  });

  it('finds where a Copenhagen day starts, also on the short and the long day', () => {
    expect(startOfLocalDay('2023-06-16')?.toISOString()).toBe('2023-06-15T22:00:00.000Z');
    expect(startOfLocalDay('2023-03-26')?.toISOString()).toBe('2023-03-25T23:00:00.000Z');
    expect(startOfLocalDay('2023-10-29')?.toISOString()).toBe('2023-10-28T22:00:00.000Z');
    expect(startOfLocalDay('2023-02-30')).toBeNull();
  });
});

describe('over the API', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ seed: true });
    const events = app.strapi.documents('api::event.event');
    const base = { timeZone: 'Europe/Copenhagen', kind: 'webinar', eventStatus: 'scheduled', attendanceMode: 'online' } as const;
    // Two events after now, one running now (an exhibition: started ten days ago, ends in ten),
    // one at the autumn DST change (2023), published in Danish.
    const day = 24 * 60 * 60 * 1000;
    for (const data of [
      { ...base, title: 'Udstilling om velfærdsteknologi', startsAt: new Date(Date.now() - 10 * day).toISOString(), endsAt: new Date(Date.now() + 10 * day).toISOString() },
      { ...base, title: 'Webinar om indkøb 2091', startsAt: '2091-01-15T09:00:00.000Z', endsAt: '2091-01-15T10:00:00.000Z' },
      { ...base, title: 'Webinar om indkøb 2090', startsAt: '2090-06-01T07:00:00.000Z' },
      { ...base, title: 'Natdebat ved skiftet til vintertid', startsAt: '2023-10-29T00:30:00.000Z', endsAt: '2023-10-29T01:30:00.000Z' },
    ]) {
      const created = await events.create({ locale: 'da', data: someFields('api::event.event', data) });
      await events.publish({ documentId: created.documentId, locale: 'da' });
    }
  });
  afterAll(async () => {
    await app?.stop();
  });

  const titles = async (path: string) => {
    const response = await app.http().get(path);
    expect(response.status).toBe(200);
    return response.body.data.map((event: { title: string }) => event.title);
  };

  it('lists upcoming events soonest first, with one still running (started before now) first', async () => {
    expect(await titles('/api/events?when=upcoming')).toEqual(['Udstilling om velfærdsteknologi', 'Webinar om indkøb 2090', 'Webinar om indkøb 2091']);
  });

  it('lists past events latest first', async () => {
    expect(await titles('/api/events?when=past')).toEqual([
      'Natdebat ved skiftet til vintertid',
      DEBATE.da.title,
      'Folkemødet 2023',
    ]);
  });

  it('filters by a range of Copenhagen days, combined with other filters', async () => {
    expect(await titles('/api/events?from=2023-06-16&to=2023-06-16')).toEqual([DEBATE.da.title]);
    expect(await titles('/api/events?from=2023-06-01&to=2023-06-30&filters[kind][$eq]=festival')).toEqual(['Folkemødet 2023']);
    // 11:30 Copenhagen is 09:30 UTC: a range starting at 11:31 local misses the debate.
    expect(await titles('/api/events?from=2023-06-16T11:31:00%2B02:00&to=2023-06-17')).toEqual([]);
    expect(await titles('/api/events?from=2023-06-16T11:30:00%2B02:00&to=2023-06-17')).toEqual([DEBATE.da.title]);
  });

  it.each([
    ['when=tomorrow', 'when'],
    ['from=16-06-2023', 'from'],
    ['to=2023-06-16T11:30:00', 'to'],
  ])('answers %s with a 400 naming the parameter', async (query, param) => {
    const response = await app.http().get(`/api/events?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ status: 400, name: 'BadRequestError', details: { param } });
    expect(response.body.error.message).toContain(param);
  });

  it('gives every datetime in REST answers a local form with the offset beside the UTC instant', async () => {
    const [debate] = (await app.http().get(`/api/events?filters[slug][$eq]=${DEBATE.da.slug}`)).body.data;
    expect(debate).toMatchObject({
      startsAt: '2023-06-16T09:30:00.000Z',
      startsAtLocal: '2023-06-16T11:30:00+02:00',
      endsAt: '2023-06-16T10:30:00.000Z',
      endsAtLocal: '2023-06-16T12:30:00+02:00',
    });
    expect(debate.publishedAtLocal).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
    // Nested events too (the parent festival).
    expect(debate.parent.startsAtLocal).toBe('2023-06-15T00:00:00+02:00');

    const [night] = (await app.http().get('/api/events?from=2023-10-29&to=2023-10-29')).body.data;
    expect(night).toMatchObject({ startsAtLocal: '2023-10-29T02:30:00+02:00', endsAtLocal: '2023-10-29T02:30:00+01:00' });
  });

  it('offers the same local forms in GraphQL', async () => {
    const { body } = await app.graphql(`{ events(filters: { slug: { eq: "${DEBATE.da.slug}" } }) { startsAt startsAtLocal endsAtLocal parent { startsAtLocal } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.events[0]).toEqual({
      startsAt: '2023-06-16T09:30:00.000Z',
      startsAtLocal: '2023-06-16T11:30:00+02:00',
      endsAtLocal: '2023-06-16T12:30:00+02:00',
      parent: { startsAtLocal: '2023-06-15T00:00:00+02:00' },
    });
  });
});
