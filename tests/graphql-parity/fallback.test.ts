/**
 * GraphQL says what REST says about locale fallback: `fallback: Boolean!` on every localised
 * type (items and their relations), and `fallbackLocale:` on single reads by documentId.
 */
import { startApp, type TestApp } from '../helpers/app';
import { getJson, queryGraphql } from '../front-end/shared';
import { someFields } from '../helpers/documents';

let app: TestApp;
let danishOnlyId: string;
let translatedId: string;
beforeAll(async () => {
  app = await startApp({ seed: true });
  const articles = app.strapi.documents('api::article.article');
  const [topic] = await app.strapi.documents('api::topic.topic').findMany({ locale: 'da', filters: { slug: 'velfaerdsteknologi' } });
  const danishOnly = await articles.create({ locale: 'da', data: someFields('api::article.article', { title: 'Kun på dansk', lead: 'Endnu ikke oversat', topics: [topic!.documentId] }) });
  danishOnlyId = danishOnly.documentId;
  await articles.publish({ documentId: danishOnlyId, locale: 'da' });
  const [translated] = await articles.findMany({ locale: 'en', status: 'published' });
  translatedId = translated!.documentId;
});
afterAll(async () => {
  await app?.stop();
});

/** What both transports must agree on for a served document and its topics. */
const served = (item: { documentId: unknown; title: unknown; locale: unknown; fallback: unknown; topics: Array<{ slug: unknown; locale: unknown; fallback: unknown }> }) => ({
  documentId: item.documentId,
  title: item.title,
  locale: item.locale,
  fallback: item.fallback,
  topics: item.topics.map((topic: { slug: unknown; locale: unknown; fallback: unknown }) => [topic.slug, topic.locale, topic.fallback]),
});

it('every localised type has a non-null `fallback` field', async () => {
  const data = await queryGraphql(app, '{ __schema { types { name fields { name type { kind ofType { name } } } } } }');
  const types = new Map(data.__schema.types.map((type: { name: unknown; fields: unknown }) => [type.name, type.fields]));
  for (const name of ['Article', 'Quote', 'Person', 'Organisation', 'Event', 'Venue', 'Topic']) {
    const field = (types.get(name) as Array<{ name: string; type: unknown }>).find((candidate) => candidate.name === 'fallback');
    expect([name, field?.type]).toEqual([name, { kind: 'NON_NULL', ofType: { name: 'Boolean' } }]);
  }
});

it('lists with fallback: the same items, order and flags as REST, relations included', async () => {
  const rest = await getJson(app, '/api/articles?locale=en&fallbackLocale=da&sort=title:asc');
  const data = await queryGraphql(
    app,
    '{ articlesWithFallback(locale: "en", fallbackLocale: "da", sort: "title:asc") { documentId title locale fallback topics { slug locale fallback } } }'
  );
  expect(data.articlesWithFallback.map(served)).toEqual(rest.data.map(served));
  expect(data.articlesWithFallback.map((item: { fallback: unknown }) => item.fallback)).toEqual([false, true]);
  expect(data.articlesWithFallback[1].topics).toEqual([{ slug: 'velfaerdsteknologi', locale: 'da', fallback: true }]);
});

it('lists without fallback: every item is `fallback: false`', async () => {
  const data = await queryGraphql(app, '{ en: articles(locale: "en") { fallback topics { fallback } } da: articles { fallback } }');
  const flags = JSON.stringify(data).match(/"fallback":(true|false)/g) ?? [];
  expect(flags.length).toBeGreaterThan(3);
  expect(new Set(flags)).toEqual(new Set(['"fallback":false']));
});

it('a single read by documentId takes fallbackLocale, as REST and the slug queries do', async () => {
  const query = `query ($id: ID!) {
    withFallback: article(documentId: $id, locale: "en", fallbackLocale: "da") { documentId title locale fallback topics { slug locale fallback } }
    without: article(documentId: $id, locale: "en") { title }
  }`;
  const data = await queryGraphql(app, query, { id: danishOnlyId });
  const rest = await getJson(app, `/api/articles/${danishOnlyId}?locale=en&fallbackLocale=da`);
  expect(served(data.withFallback)).toEqual(served(rest.data));
  expect(data.withFallback).toMatchObject({ locale: 'da', fallback: true });
  expect(data.without).toBeNull();
  expect((await app.http().get(`/api/articles/${danishOnlyId}?locale=en`)).status).toBe(404);
});

it('a single read of a translated document serves the requested locale, flagged false', async () => {
  const data = await queryGraphql(app, `{ article(documentId: "${translatedId}", locale: "en", fallbackLocale: "da") { documentId title locale fallback topics { slug locale fallback } } }`);
  const rest = await getJson(app, `/api/articles/${translatedId}?locale=en&fallbackLocale=da`);
  expect(served(data.article)).toEqual(served(rest.data));
  expect(data.article).toMatchObject({ locale: 'en', fallback: false });
});

it('slug queries flag the fallback too', async () => {
  const data = await queryGraphql(app, '{ articleBySlug(slug: "kun-paa-dansk", locale: "en", fallbackLocale: "da") { documentId locale fallback } }');
  const rest = await getJson(app, '/api/articles/slug/kun-paa-dansk?locale=en&fallbackLocale=da');
  expect(data.articleBySlug).toEqual({ documentId: rest.data.documentId, locale: rest.data.locale, fallback: rest.data.fallback });
  expect(data.articleBySlug.fallback).toBe(true);
});

it('Strapi\'s own single read is unchanged without fallbackLocale (status, locale, permission)', async () => {
  const data = await queryGraphql(app, `{ da: article(documentId: "${translatedId}") { locale } en: article(documentId: "${translatedId}", locale: "en") { locale } }`);
  expect(data).toEqual({ da: { locale: 'da' }, en: { locale: 'en' } });
  const draft = await app.strapi.documents('api::article.article').create({ locale: 'da', data: someFields('api::article.article', { title: 'Kladde' }) });
  const { body } = await app.graphql(`{ article(documentId: "${draft.documentId}", fallbackLocale: "en") { title } }`);
  expect(body.data).toEqual({ article: null });
});
