/** Each public type answers REST reads with what a page needs, unless the request narrows it. */
import { startApp, type TestApp } from '../helpers/app';
import { ARTICLE, DEBATE, PANEL } from '../public-api/shared';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ seed: true });
});
afterAll(async () => {
  await app?.stop();
});

async function get(path: string) {
  const response = await app.http().get(path);
  expect(response.status).toBe(200);
  return response.body.data;
}

describe('default shapes', () => {
  it('article: cover, topics, events with venue, body blocks with quote -> person -> affiliation -> organisation', async () => {
    const [article] = await get('/api/articles?locale=en');
    expect(article.title).toBe(ARTICLE.en.title);
    expect(article.cover.mime).toBe('image/png');
    expect(article.topics.map((topic: { slug: unknown }) => topic.slug)).toEqual(['innovative-public-procurement']);
    expect(article.events[0]).toMatchObject({ slug: DEBATE.en.slug, venue: { code: 'J5' } });
    const quoteBlock = article.body.find((block: { __component: unknown }) => block.__component === 'blocks.quote');
    const current = quoteBlock.quote.person.affiliations.find((affiliation: { current: unknown }) => affiliation.current);
    expect(current).toMatchObject({ title: 'Acting director', organisation: { name: 'Centre for IT and Medical Technology' } });
    const teaser = article.body.find((block: { __component: unknown }) => block.__component === 'blocks.event-teaser');
    expect(teaser.event).toMatchObject({ slug: DEBATE.en.slug, startsAt: DEBATE.startsAt });
    expect(article.seo.metaTitle).toContain('Folkemødet');
  });

  it('event: venue, parent, organisers, participants with person and affiliation, topics, articles', async () => {
    const [event] = await get(`/api/events?locale=da&filters[slug][$eq]=${DEBATE.da.slug}`);
    expect(event.venue.code).toBe('J5');
    expect(event.parent.title).toBe('Folkemødet 2023');
    expect(event.organisers.map((organisation: { shortName: unknown }) => organisation.shortName)).toContain('CO-PI');
    expect(event.participants.map((participant: { person: { name: unknown } }) => participant.person.name).sort()).toEqual(PANEL);
    expect(event.participants[0].person.affiliations[0].organisation.name).toBeTruthy();
    expect(event.topics[0].slug).toBe('innovative-offentlige-indkoeb');
    expect(event.articles.map((article: { slug: unknown }) => article.slug)).toEqual([ARTICLE.da.slug]);
  });

  it('person: affiliations with organisations, quotes with their articles', async () => {
    const [person] = await get('/api/people?filters[slug][$eq]=morten-jung');
    expect(person.affiliations.map((affiliation: { organisation: { name: unknown } }) => affiliation.organisation.name)).toEqual([
      'Dansk Erhverv',
      'Center for Offentlig-Privat Innovation',
    ]);
    expect(person.quotes[0].articles[0].slug).toBe(ARTICLE.da.slug);
  });

  it("person: the events they take part in, with their part (through the events' participants)", async () => {
    const [person] = await get('/api/people?locale=en&filters[slug][$eq]=karen-storgaard-larsen');
    expect(person.events.map((event: { slug: unknown; part: unknown }) => [event.slug, event.part])).toEqual([[DEBATE.en.slug, 'panelist']]);
    expect(person.events[0]).toMatchObject({ startsAtLocal: '2023-06-16T11:30:00+02:00', venue: { code: 'J5' } });
    const bySlug = (await app.http().get('/api/people/slug/karen-storgaard-larsen')).body.data;
    expect(bySlug.events.map((event: { slug: unknown }) => event.slug)).toEqual([DEBATE.da.slug]);
  });

  it("organisation: its people with the titles they hold there (through the people's affiliations)", async () => {
    const [copi] = await get('/api/organisations?filters[shortName][$eq]=CO-PI');
    expect(copi.people).toEqual([
      expect.objectContaining({ name: 'Morten Jung', roles: [{ title: 'Bestyrelsesmedlem', kind: 'board', current: true }] }),
    ]);
    const list = await get('/api/organisations?locale=en&sort=name');
    const region = list.find((organisation: { slug: unknown }) => organisation.slug === 'danish-chamber-of-commerce');
    expect(region.people.map((person: { name: unknown }) => person.name)).toEqual(['Morten Jung']);
  });

  it('organisation: parent, units and the events it organises', async () => {
    const [unit] = await get('/api/organisations?filters[shortName][$eq]=CIMT');
    expect(unit.parent.name).toBe('Region Hovedstaden');
    const [copi] = await get('/api/organisations?filters[shortName][$eq]=CO-PI');
    expect(copi.organisedEvents.map((event: { slug: unknown }) => event.slug)).toEqual([DEBATE.da.slug]);
  });

  it('topic: its articles and events', async () => {
    const [topic] = await get('/api/topics?filters[slug][$eq]=innovative-offentlige-indkoeb');
    expect(topic.articles.map((article: { slug: unknown }) => article.slug)).toEqual([ARTICLE.da.slug]);
    expect(topic.events.map((event: { slug: unknown }) => event.slug)).toEqual([DEBATE.da.slug]);
  });

  it('single reads get the same shape as lists (schema.org JSON-LD included)', async () => {
    const [listed] = await get('/api/events?locale=en&filters[kind][$eq]=debate');
    const single = await get(`/api/events/${listed.documentId}?locale=en`);
    expect(single).toEqual(listed);
    expect(single.jsonLd).toMatchObject({ '@type': 'Event', name: listed.title });
  });
});

describe('explicit queries narrow the shape', () => {
  it('populate names exactly the relations that come back', async () => {
    const [article] = await get('/api/articles?populate=topics');
    expect(article.topics).toHaveLength(1);
    expect(article.body).toBeUndefined();
    expect(article.cover).toBeUndefined();
  });

  it('explicit populate leaves out the reverse lists too', async () => {
    const [person] = await get('/api/people?filters[slug][$eq]=mette-harbo&populate=quotes');
    expect(person.events).toBeUndefined();
  });

  it('fields alone return just those fields', async () => {
    const [article] = await get('/api/articles?fields[0]=title');
    expect(Object.keys(article).sort()).toEqual(['documentId', 'id', 'title']);
  });
});
