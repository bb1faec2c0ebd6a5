/**
 * The typed front-end client (types/client/) against the running app: the home, article, event
 * and person pages in both locales, over REST (openapi-fetch with the contract's types) and
 * GraphQL (the typed page documents), as a front end would load them. Type-checked by
 * `npm run typecheck`, so a contract change that breaks a page's types fails there too.
 */
import type { AddressInfo } from 'node:net';
import {
  ArticlePageDocument,
  EventPageDocument,
  GraphQLRequestError,
  HomePageDocument,
  PersonPageDocument,
  createRestClient,
  graphqlRequest,
  type ArticlePageQuery,
  type GraphQLRequestOptions,
  type RestClient,
} from '../../types/client';
import { startApp, type TestApp } from '../helpers/app';
import { ARTICLE, DEBATE, LOCALES, PANEL, QUOTED } from '../public-api/shared';
import { DANISH_ONLY, PERSON_SLUG, TOPIC_SLUG } from './shared';
import { someFields } from '../helpers/documents';

let app: TestApp;
let rest: RestClient;
let graphql: GraphQLRequestOptions;

beforeAll(async () => {
  app = await startApp({ seed: true });
  // An article published in Danish only: English pages get it only with fallbackLocale=da.
  const articles = app.strapi.documents('api::article.article');
  const danishOnly = await articles.create({ locale: 'da', data: someFields('api::article.article', { title: DANISH_ONLY.title, lead: 'Endnu ikke oversat' }) });
  await articles.publish({ documentId: danishOnly.documentId, locale: 'da' });

  const server = app.strapi.server.httpServer;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rest = createRestClient({ baseUrl: `${base}/api` });
  graphql = { url: `${base}/graphql` };
});
afterAll(async () => {
  await app?.stop();
});

type ArticleBody = NonNullable<ArticlePageQuery['articleBySlug']>['body'];
const quotedPeople = (body: ArticleBody) =>
  (body ?? []).flatMap((block) => (block?.__typename === 'ComponentBlocksQuote' ? [block.quote?.person?.name] : []));

describe.each(LOCALES)('pages in %s', (locale) => {
  // The Danish-only article is the newest: first on the Danish home page, absent on the English one.
  const homeTitles = locale === 'da' ? [DANISH_ONLY.title, ARTICLE.da.title] : [ARTICLE.en.title];

  describe('home page', () => {
    it('REST: latest articles, events and topics in the locale, typed from the contract', async () => {
      const articles = await rest.GET('/articles', {
        params: { query: { locale, sort: { publishedAt: 'desc' }, 'pagination[pageSize]': 10, populate: ['cover', 'topics'] } },
      });
      expect(articles.response.status).toBe(200);
      expect(articles.data?.data.map((article) => article.title)).toEqual(homeTitles);
      expect(articles.data?.data.every((article) => article.locale === locale)).toBe(true);
      expect(articles.data?.meta?.pagination?.total).toBe(homeTitles.length);
      const seeded = articles.data?.data.find((article) => article.slug === ARTICLE[locale].slug);
      expect(seeded?.cover?.url).toMatch(/^\/uploads\//);

      const events = await rest.GET('/events', { params: { query: { locale, when: 'past', 'pagination[pageSize]': 5 } } });
      expect(events.data?.data.map((event) => event.slug)).toContain(DEBATE[locale].slug);
      const topics = await rest.GET('/topics', { params: { query: { locale, sort: 'name', fields: ['name', 'slug'] } } });
      expect(topics.data?.data).toHaveLength(4);
      expect(topics.data?.data.map((topic) => topic.slug)).toContain(TOPIC_SLUG[locale]);
    });

    it('GraphQL: HomePageDocument in one request', async () => {
      const data = await graphqlRequest(graphql, HomePageDocument, { locale });
      expect(data.articles.map((article) => article?.title)).toEqual(homeTitles);
      expect(data.articles.map((article) => [article?.locale, article?.fallback])).toEqual(homeTitles.map(() => [locale, false]));
      expect(data.events.map((event) => event?.slug)).toContain(DEBATE[locale].slug);
      expect(data.topics).toHaveLength(4);
    });

  });

  describe('article page', () => {
    it('REST and GraphQL serve the same article, with its quotes and event teaser', async () => {
      const { data: restArticle, response } = await rest.GET('/articles/slug/{slug}', {
        params: { path: { slug: ARTICLE[locale].slug }, query: { locale } },
      });
      expect(response.status).toBe(200);
      expect(restArticle?.data).toMatchObject({ title: ARTICLE[locale].title, slug: ARTICLE[locale].slug, locale });
      expect(restArticle?.data.externalLinks?.[0]?.url).toBe('https://folkemoedet.dk/');
      expect(restArticle?.meta?.slug).toEqual({ requested: ARTICLE[locale].slug, current: ARTICLE[locale].slug, moved: false });

      const { articleBySlug: article } = await graphqlRequest(graphql, ArticlePageDocument, { slug: ARTICLE[locale].slug, locale });
      expect(article).toMatchObject({ documentId: restArticle?.data.documentId, title: ARTICLE[locale].title, locale, fallback: false });
      expect(quotedPeople(article?.body ?? [])).toEqual(['Mette Harbo', 'Morten Jung']);
      const teaser = article?.body?.find((block) => block?.__typename === 'ComponentBlocksEventTeaser');
      expect(teaser?.__typename === 'ComponentBlocksEventTeaser' && teaser.event).toMatchObject({
        slug: DEBATE[locale].slug,
        startsAtLocal: '2023-06-16T11:30:00+02:00',
        venue: { code: 'J5' },
      });
    });

  });

  describe('event page', () => {
    it('REST and GraphQL serve the debate with its panel, organisers, festival and article', async () => {
      const { data: restEvent } = await rest.GET('/events/slug/{slug}', { params: { path: { slug: DEBATE[locale].slug }, query: { locale } } });
      expect(restEvent?.data).toMatchObject({ title: DEBATE[locale].title, startsAt: DEBATE.startsAt, endsAt: DEBATE.endsAt, locale });
      expect(restEvent?.data.participants?.map((participant) => participant.person?.name).sort()).toEqual(PANEL);
      expect(restEvent?.data.organisers?.map((organisation) => organisation.name).sort()).toEqual(DEBATE.organisers[locale]);

      const { eventBySlug: event } = await graphqlRequest(graphql, EventPageDocument, { slug: DEBATE[locale].slug, locale });
      expect(event).toMatchObject({
        documentId: restEvent?.data.documentId,
        locale,
        fallback: false,
        startsAtLocal: '2023-06-16T11:30:00+02:00',
        endsAtLocal: '2023-06-16T12:30:00+02:00',
        venue: { code: DEBATE.venueCode, name: DEBATE.venueName[locale], city: 'Allinge, Bornholm' },
        parent: { title: DEBATE.festival[locale] },
      });
      expect(event?.participants?.map((participant) => participant?.person?.name).sort()).toEqual(PANEL);
      expect(event?.articles).toEqual([{ slug: ARTICLE[locale].slug, title: ARTICLE[locale].title }]);
    });
  });

  describe('person page', () => {
    it('REST and GraphQL serve the person with their current role, quotes and events', async () => {
      const { data: restPerson } = await rest.GET('/people/slug/{slug}', { params: { path: { slug: PERSON_SLUG }, query: { locale } } });
      expect(restPerson?.data).toMatchObject({ name: 'Mette Harbo', slug: PERSON_SLUG, locale });
      const currentRoles = restPerson?.data.affiliations?.filter((affiliation) => affiliation.current);
      expect(currentRoles?.map((affiliation) => [affiliation.title, affiliation.organisation?.name])).toEqual([
        [QUOTED[locale][0]!.title, QUOTED[locale][0]!.organisation],
      ]);

      const { personBySlug: person } = await graphqlRequest(graphql, PersonPageDocument, { slug: PERSON_SLUG, locale });
      expect(person).toMatchObject({ documentId: restPerson?.data.documentId, name: 'Mette Harbo', locale, fallback: false });
      expect(person?.affiliations?.filter((affiliation) => affiliation?.current)).toEqual([
        { title: QUOTED[locale][0]!.title, current: true, organisation: { name: QUOTED[locale][0]!.organisation } },
      ]);
      expect(person?.quotes.map((quote) => quote?.articles.map((article) => article?.slug))).toEqual([[ARTICLE[locale].slug]]);
      expect(person?.events.map((event) => event?.slug)).toEqual([DEBATE[locale].slug]);
    });
  });

  describe('bad input', () => {
    it('an unknown slug is a typed 404 over REST and null over GraphQL', async () => {
      const { data, error, response } = await rest.GET('/events/slug/{slug}', { params: { path: { slug: 'no-such-event' }, query: { locale } } });
      expect(response.status).toBe(404);
      expect(data).toBeUndefined();
      expect(error?.error).toMatchObject({ status: 404, name: 'NotFoundError' });
      expect(error?.error.message).toContain('no-such-event');
      expect((await graphqlRequest(graphql, EventPageDocument, { slug: 'no-such-event', locale })).eventBySlug).toBeNull();
    });

    it('a page size over 100 is a typed 400 that names the limit', async () => {
      const { data, error, response } = await rest.GET('/articles', { params: { query: { locale, 'pagination[pageSize]': 101 } } });
      expect(response.status).toBe(400);
      expect(data).toBeUndefined();
      expect(error?.error).toMatchObject({ status: 400, name: 'ValidationError', details: { limit: 100 } });
    });

    it('the types refuse what the API refuses: a missing slug, a field the type lacks', async () => {
      // @ts-expect-error `slug` is required by ArticlePageDocument
      const missingSlug = graphqlRequest(graphql, ArticlePageDocument, { locale });
      await expect(missingSlug).rejects.toBeInstanceOf(GraphQLRequestError);
      await expect(missingSlug).rejects.toMatchObject({ status: 400 });

      // @ts-expect-error `fields` lists only the article's own fields
      const { response } = await rest.GET('/articles', { params: { query: { locale, fields: ['noSuchField'] } } });
      expect(response.status).toBe(400);
    });
  });
});

describe('English pages with fallbackLocale=da', () => {
  it('the home page lists the Danish-only article among the English ones, flagged, newest first', async () => {
    const { data } = await rest.GET('/articles', {
      params: { query: { locale: 'en', fallbackLocale: 'da', sort: { publishedAt: 'desc' }, populate: ['cover'] } },
    });
    expect(data?.data.map((article) => [article.title, article.locale, article.fallback])).toEqual([
      [DANISH_ONLY.title, 'da', true],
      [ARTICLE.en.title, 'en', false],
    ]);
    expect(data?.meta?.pagination?.total).toBe(2);
  });

  it('the article page of the Danish-only article is served in Danish, flagged, over REST and GraphQL', async () => {
    const notInEnglish = await rest.GET('/articles/slug/{slug}', { params: { path: { slug: DANISH_ONLY.slug }, query: { locale: 'en' } } });
    expect(notInEnglish.response.status).toBe(404);
    const { data: restArticle } = await rest.GET('/articles/slug/{slug}', {
      params: { path: { slug: DANISH_ONLY.slug }, query: { locale: 'en', fallbackLocale: 'da' } },
    });
    expect(restArticle?.data).toMatchObject({ title: DANISH_ONLY.title, locale: 'da', fallback: true });
    const { articleBySlug } = await graphqlRequest(graphql, ArticlePageDocument, { slug: DANISH_ONLY.slug, locale: 'en', fallbackLocale: 'da' });
    expect(articleBySlug).toMatchObject({ documentId: restArticle?.data.documentId, title: DANISH_ONLY.title, locale: 'da', fallback: true });
  });

  it('an article that exists in English is served in English, flagged as no fallback', async () => {
    const { data } = await rest.GET('/articles/slug/{slug}', {
      params: { path: { slug: ARTICLE.en.slug }, query: { locale: 'en', fallbackLocale: 'da' } },
    });
    expect(data?.data).toMatchObject({ title: ARTICLE.en.title, locale: 'en', fallback: false });
  });
});
