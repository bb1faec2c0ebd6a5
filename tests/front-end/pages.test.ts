/**
 * The requests a news site makes for its pages, in both locales, over REST and GraphQL, each
 * answered in one request with the facts of the seed story.
 */
import { startApp, type TestApp } from '../helpers/app';
import { ARTICLE, DEBATE, LOCALES, PANEL, QUOTED } from '../public-api/shared';
import { FESTIVAL, byLocalDay, getJson, queryGraphql } from './shared';
import { someFields } from '../helpers/documents';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ seed: true });
  // A second festival debate on the next day, so the programme has two days.
  const events = app.strapi.documents('api::event.event');
  const festival = await events.findFirst({ locale: 'da', filters: { slug: FESTIVAL.da.slug } });
  const saturday = await events.create({
    locale: 'da',
    data: someFields('api::event.event', {
      title: 'Lørdagsdebat om grøn omstilling',
      startsAt: '2023-06-17T08:00:00.000Z',
      timeZone: 'Europe/Copenhagen',
      kind: 'debate',
      eventStatus: 'scheduled',
      attendanceMode: 'offline',
      parent: festival!.documentId,
    }),
  });
  await events.update({
    documentId: saturday.documentId,
    locale: 'en',
    data: { title: 'Saturday debate on the green transition', parent: festival!.documentId },
  });
  await events.publish({ documentId: saturday.documentId, locale: '*' });
});
afterAll(async () => {
  await app?.stop();
});

const quotedPeople = (blocks: Array<{ __component?: string; __typename?: string; quote: { person: { name: string } } }>) =>
  blocks
    .filter((block) => block.__component === 'blocks.quote' || block.__typename === 'ComponentBlocksQuote')
    .map((block) => block.quote.person.name);

describe.each(LOCALES)('pages in %s', (locale) => {
  describe('home page: latest 10 articles, next 5 events, all topics', () => {
    it('REST', async () => {
      const articles = await getJson(app, `/api/articles?locale=${locale}&sort=publishedAt:desc&pagination[pageSize]=10`);
      const events = await getJson(app, `/api/events?locale=${locale}&when=past&pagination[pageSize]=5`);
      const topics = await getJson(app, `/api/topics?locale=${locale}&sort=name&fields[0]=name&fields[1]=slug`);
      expect(articles.data.map((article: { title: unknown }) => article.title)).toEqual([ARTICLE[locale].title]);
      expect(articles.data[0].cover.url).toMatch(/^\/uploads\//);
      // The seed's events are in 2023: on a home page today they are past events.
      expect(events.data.map((event: { slug: unknown }) => event.slug)).toContain(DEBATE[locale].slug);
      expect(topics.data).toHaveLength(4);
    });

    it('GraphQL, in one request', async () => {
      const data = await queryGraphql(
        app,
        `query Home($locale: I18NLocaleCode) {
          articles(locale: $locale, sort: "publishedAt:desc", pagination: { limit: 10 }) { title slug lead cover { url } topics { name } }
          events(locale: $locale, sort: "startsAt:asc", pagination: { limit: 5 }) { title slug startsAtLocal venue { name } }
          topics(locale: $locale, sort: "name") { name slug }
        }`,
        { locale }
      );
      expect(data.articles.map((article: { slug: unknown }) => article.slug)).toEqual([ARTICLE[locale].slug]);
      expect(data.events.map((event: { slug: unknown }) => event.slug)).toContain(DEBATE[locale].slug);
      expect(data.topics).toHaveLength(4);
    });
  });

  describe('article page by slug', () => {
    it('REST', async () => {
      const { data } = await getJson(app, `/api/articles/slug/${ARTICLE[locale].slug}?locale=${locale}`);
      expect(data.title).toBe(ARTICLE[locale].title);
      expect(quotedPeople(data.body)).toEqual(['Mette Harbo', 'Morten Jung']);
      expect(data.body.find((block: { __component: unknown }) => block.__component === 'blocks.fact-box').facts).toHaveLength(2);
      expect(data.externalLinks[0].url).toBe('https://folkemoedet.dk/');
    });

    it('GraphQL', async () => {
      const data = await queryGraphql(
        app,
        `query ($slug: String!, $locale: I18NLocaleCode) {
          articleBySlug(slug: $slug, locale: $locale) {
            title lead coverCaption cover { url }
            body {
              __typename
              ... on ComponentBlocksRichText { body }
              ... on ComponentBlocksQuote { quote { text person { name affiliations { title current organisation { name } } } } }
              ... on ComponentBlocksFactBox { title facts { label value } }
              ... on ComponentBlocksEventTeaser { heading event { slug startsAtLocal venue { name code } } }
            }
          }
        }`,
        { slug: ARTICLE[locale].slug, locale }
      );
      const article = data.articleBySlug;
      expect(article.title).toBe(ARTICLE[locale].title);
      expect(quotedPeople(article.body)).toEqual(['Mette Harbo', 'Morten Jung']);
      const teaser = article.body.find((block: { __typename: unknown }) => block.__typename === 'ComponentBlocksEventTeaser');
      expect(teaser.event).toMatchObject({ startsAtLocal: '2023-06-16T11:30:00+02:00', venue: { code: 'J5' } });
    });
  });

  describe('event page by slug', () => {
    it('REST', async () => {
      const { data } = await getJson(app, `/api/events/slug/${DEBATE[locale].slug}?locale=${locale}`);
      expect(data).toMatchObject({ startsAtLocal: '2023-06-16T11:30:00+02:00', endsAtLocal: '2023-06-16T12:30:00+02:00' });
      expect(data.participants.map((participant: { person: { name: unknown } }) => participant.person.name).sort()).toEqual(PANEL);
      expect(data.organisers).toHaveLength(2);
      expect(data.parent.slug).toBe(FESTIVAL[locale].slug);
      expect(data.articles.map((article: { slug: unknown }) => article.slug)).toEqual([ARTICLE[locale].slug]);
    });

    it('GraphQL', async () => {
      const data = await queryGraphql(
        app,
        `query ($slug: String!, $locale: I18NLocaleCode) {
          eventBySlug(slug: $slug, locale: $locale) {
            title startsAtLocal endsAtLocal eventStatus
            venue { name code city }
            parent { title slug }
            organisers { name shortName }
            participants { part person { name affiliations { title current organisation { name } } } }
            articles { slug title }
          }
        }`,
        { slug: DEBATE[locale].slug, locale }
      );
      const event = data.eventBySlug;
      expect(event.venue).toMatchObject({ code: 'J5', city: 'Allinge, Bornholm' });
      expect(event.participants.map((participant: { person: { name: unknown } }) => participant.person.name).sort()).toEqual(PANEL);
      expect(event.articles).toEqual([{ slug: ARTICLE[locale].slug, title: ARTICLE[locale].title }]);
    });
  });

  describe('person page', () => {
    it('REST and GraphQL agree on the person, their roles and their quotes', async () => {
      const { data: rest } = await getJson(app, `/api/people/slug/mette-harbo?locale=${locale}`);
      const graphql = (
        await queryGraphql(
          app,
          `query ($locale: I18NLocaleCode) {
            personBySlug(slug: "mette-harbo", locale: $locale) {
              name bio affiliations { title current organisation { name } } quotes { text articles { slug } }
            }
            events(locale: $locale, filters: { participants: { person: { slug: { eq: "mette-harbo" } } } }) { slug }
          }`,
          { locale }
        )
      );
      type Affiliation = { current: unknown; title: unknown; organisation: { name: unknown } };
      const current = (person: { affiliations: Affiliation[] }) => person.affiliations.filter((affiliation) => affiliation.current);
      expect(current(rest).map((a) => [a.title, a.organisation.name])).toEqual([[QUOTED[locale][0]!.title, QUOTED[locale][0]!.organisation]]);
      expect(current(graphql.personBySlug)).toEqual(
        current(rest).map((a) => ({ title: a.title, current: true, organisation: { name: a.organisation.name } }))
      );
      expect(rest.quotes[0].articles[0].slug).toBe(ARTICLE[locale].slug);
      expect(graphql.personBySlug.quotes[0].articles[0].slug).toBe(ARTICLE[locale].slug);
      expect(graphql.events).toEqual([{ slug: DEBATE[locale].slug }]);
    });
  });

  describe('topic page with its articles and events', () => {
    const topicSlug = { da: 'innovative-offentlige-indkoeb', en: 'innovative-public-procurement' }[locale];

    it('REST', async () => {
      const { data } = await getJson(app, `/api/topics/slug/${topicSlug}?locale=${locale}`);
      expect(data.articles.map((article: { slug: unknown }) => article.slug)).toEqual([ARTICLE[locale].slug]);
      expect(data.events.map((event: { slug: unknown }) => event.slug)).toEqual([DEBATE[locale].slug]);
    });

    it('GraphQL', async () => {
      const data = await queryGraphql(
        app,
        `query ($slug: String!, $locale: I18NLocaleCode) {
          topicBySlug(slug: $slug, locale: $locale) { name articles { slug } events { slug startsAtLocal } }
        }`,
        { slug: topicSlug, locale }
      );
      expect(data.topicBySlug.articles).toEqual([{ slug: ARTICLE[locale].slug }]);
      expect(data.topicBySlug.events).toEqual([{ slug: DEBATE[locale].slug, startsAtLocal: '2023-06-16T11:30:00+02:00' }]);
    });
  });

  describe('festival page: the festival with its programme by day', () => {
    const expectedDays = ['2023-06-16', '2023-06-17'];

    it('REST', async () => {
      const { data } = await getJson(app, `/api/events/slug/${FESTIVAL[locale].slug}?locale=${locale}`);
      const days = byLocalDay<{ startsAtLocal: string; slug: string }>(data.subEvents);
      expect(Object.keys(days).sort()).toEqual(expectedDays);
      expect(days['2023-06-16']!.map((event) => event.slug)).toEqual([DEBATE[locale].slug]);
    });

    it('GraphQL', async () => {
      const data = await queryGraphql(
        app,
        `query ($slug: String!, $locale: I18NLocaleCode) {
          eventBySlug(slug: $slug, locale: $locale) {
            title startsAtLocal endsAtLocal
            subEvents(sort: "startsAt:asc") { title slug startsAtLocal venue { code } }
          }
        }`,
        { slug: FESTIVAL[locale].slug, locale }
      );
      const days = byLocalDay<{ startsAtLocal: string; venue: { code: string } }>(data.eventBySlug.subEvents);
      expect(Object.keys(days)).toEqual(expectedDays);
      expect(days['2023-06-16']![0]!.venue.code).toBe('J5');
    });
  });
});
