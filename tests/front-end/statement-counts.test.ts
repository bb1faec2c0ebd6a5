/**
 * A list page costs the same number of SQL statements whatever its size: relations are loaded
 * per relation for the whole page, never per row (REST by Strapi's populate, GraphQL by
 * src/lib/graphql/batched-relations.ts). Counted on knex's query events, so the figure does
 * not depend on the machine.
 * A differing count prints each run's statements (tests/helpers/sql-statements.ts).
 */
import { startApp, type TestApp } from '../helpers/app';
import { countStatements, statementCountsPerRun } from '../helpers/sql-statements';
import { someFields } from '../helpers/documents';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ seed: true });
  // 100 more published Danish articles, each with an author, a topic, a quote and an event.
  const { strapi } = app;
  const [person] = await strapi.documents('api::person.person').findMany({ locale: 'da', filters: { slug: 'mette-harbo' } });
  const [topic] = await strapi.documents('api::topic.topic').findMany({ locale: 'da' });
  const [quote] = await strapi.documents('api::quote.quote').findMany({ locale: 'da' });
  const [event] = await strapi.documents('api::event.event').findMany({ locale: 'da', filters: { kind: 'debate' } });
  for (let i = 0; i < 100; i++) {
    const article = await strapi.documents('api::article.article').create({
      locale: 'da',
      data: someFields('api::article.article', {
        title: `Artikel nummer ${i}`,
        lead: 'Kort indledning',
        authors: [person!.documentId],
        topics: [topic!.documentId],
        quotes: [quote!.documentId],
        events: [event!.documentId],
        body: [{ __component: 'blocks.quote', quote: quote!.documentId }],
      }),
    });
    await strapi.documents('api::article.article').publish({ documentId: article.documentId, locale: 'da' });
  }
  // Strapi's after-commit event payload queries must not land in the first count.
  await app.quiet();
});
afterAll(async () => {
  await app?.stop();
});

const PAGE_SIZES = [5, 25, 100];

it('REST article lists in the default shape: same statement count for 5, 25 and 100 articles', async () => {
  // The first default-shape read of a type also takes Strapi's whole path once, to check the fast one.
  await app.http().get('/api/articles?pagination[pageSize]=1').expect(200);
  const counts: number[] = [];
  for (const size of PAGE_SIZES) {
    counts.push(
      await countStatements(app.strapi, async () => {
        const response = await app.http().get(`/api/articles?pagination[pageSize]=${size}&sort=id`);
        expect(response.body.data).toHaveLength(size);
        expect(response.body.data[size - 1].authors[0].affiliations[0].organisation.name).toBeTruthy();
      })
    );
  }
  expect(new Set(counts).size).toBe(1);
  expect(counts[0]).toBeLessThan(40);
});

it('GraphQL article lists with authors, topics, quotes -> person -> organisation: same count for 5, 25 and 100', async () => {
  const query = `query ($n: Int) {
    articles(pagination: { limit: $n }, sort: "id") {
      title authors { name } topics { name }
      quotes { text person { name affiliations { title organisation { name } } } }
    }
  }`;
  const { counts } = await statementCountsPerRun(
    app.strapi,
    PAGE_SIZES.map((size) => async () => {
      const { body } = await app.graphql(query, { n: size });
      expect(body.errors).toBeUndefined();
      expect(body.data.articles).toHaveLength(size);
      const last = body.data.articles[size - 1];
      expect(last.quotes[0].person.affiliations[0].organisation.name).toBe('Center for IT og Medicoteknologi');
      expect(last.authors).toEqual([{ name: 'Mette Harbo' }]);
    }),
  );
  expect(new Set(counts).size).toBe(1);
  expect(counts[0]).toBeLessThan(30);
});

it('GraphQL relation pagination still applies per item when loads are batched', async () => {
  const { body } = await app.graphql(`{
    topics(sort: "slug") { slug articles(pagination: { limit: 3 }, sort: "title:desc") { title } }
  }`);
  expect(body.errors).toBeUndefined();
  const withArticles = body.data.topics.find((topic: { slug: unknown }) => topic.slug === 'innovative-offentlige-indkoeb');
  expect(withArticles.articles.map((article: { title: unknown }) => article.title)).toEqual([
    'Folkemødet: Hvordan får innovation plads i den offentlige indkøbsvogn?',
    'Artikel nummer 99',
    'Artikel nummer 98',
  ]);
  const without = body.data.topics.filter((topic: { slug: unknown }) => topic.slug !== 'innovative-offentlige-indkoeb');
  expect(without.every((topic: { articles: unknown[] }) => topic.articles.length === 0)).toBe(true);
});
