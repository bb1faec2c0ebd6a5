/**
 * The import writes what the Document Service writes: the same small file imported into one
 * database and built through the Document Service (create in Danish, update in English, publish)
 * in another give the same public REST and GraphQL answers, every type, both locales, with
 * relations, components and the dynamic zone, and the same change log.
 *
 * Normalised, because they cannot be equal between two databases: ids and documentIds (made
 * fresh by each), and createdAt/updatedAt/publishedAt and their *Local forms (the time of each
 * write). Everything else,
 * slugs included, is compared as served.
 */
import type { Knex } from 'knex';
import { startApp, type TestApp } from '../helpers/app';
import { getJson, queryGraphql } from '../front-end/shared';
import { buildThroughDocumentService, importer, LINES, ndjson, writeFile } from './shared';

const VOLATILE = new Set(['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdAtLocal', 'updatedAtLocal', 'publishedAtLocal']);

/** The answer without what differs between two databases; lists sorted by their JSON, so neither order of creation counts. */
function normalised(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalised);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => !VOLATILE.has(key))
        .map(([key, inner]) => [key, normalised(inner)]),
    );
  }
  return value;
}

const REST = [
  '/api/articles?sort=slug:asc',
  '/api/articles?locale=en&sort=slug:asc',
  '/api/articles?locale=en&fallbackLocale=da&sort=slug:asc',
  '/api/articles?sort=slug:asc&populate=*',
  '/api/events?sort=slug:asc',
  '/api/events?locale=en&sort=slug:asc&populate=*',
  '/api/people?sort=slug:asc',
  '/api/people?locale=en&sort=slug:asc&populate=*',
  '/api/organisations?sort=slug:asc&populate=*',
  '/api/organisations?locale=en&sort=slug:asc',
  '/api/topics?sort=slug:asc&populate=*',
  '/api/topics?locale=en&sort=slug:asc',
  '/api/venues?sort=name:asc&populate=*',
  '/api/venues?locale=en&sort=name:asc',
  '/api/articles/slug/energi-i-fremtiden',
  '/api/events/slug/debat-om-energi',
];

const GRAPHQL = `{
  da: articles(sort: "slug:asc") { title slug lead coverCaption coverCredit locale
    body { __typename ... on ComponentBlocksRichText { body } }
    seo { metaTitle metaDescription noIndex } externalLinks { label url }
    authors { name slug } topics { name slug } events { title slug } }
  en: articles(locale: "en", sort: "slug:asc") { title slug locale body { __typename ... on ComponentBlocksRichText { body } } authors { slug } topics { slug } }
  events(sort: "slug:asc") { title slug summary description startsAt endsAt timeZone kind eventStatus attendanceMode
    venue { name code city } parent { slug } subEvents { slug } organisers { name slug kind } topics { slug }
    participants { part person { name slug } } articles { slug } }
  people(sort: "slug:asc") { name slug bio affiliations { title kind from to current organisation { slug } } authoredArticles { slug } }
  organisations(sort: "slug:asc") { name slug shortName kind website aliases parent { slug } units { slug } organisedEvents { slug } }
  topics(locale: "en", sort: "slug:asc") { name slug description articles { slug } events { slug } }
  venues(sort: "name:asc") { name code city latitude longitude events { slug } }
}`;

interface Answers {
  rest: Record<string, unknown>;
  graphql: unknown;
  changes: string[];
  /** A person's derived fields (not public; the person-display-fields rule sets them), row by row. */
  people: string[];
}

async function answersOf(app: TestApp): Promise<Answers> {
  const rest: Record<string, unknown> = {};
  for (const url of REST) rest[url] = normalised(await getJson(app, url));
  const graphql = normalised(await queryGraphql(app, GRAPHQL));
  const knex = app.strapi.db.connection as Knex;
  const changes = ((await knex('sync_changes').select('content_type', 'locale', 'action')) as Array<Record<string, string>>)
    .map((row) => `${row.content_type} ${row.locale} ${row.action}`)
    .sort();
  const people = ((await knex('people').select('slug', 'locale', 'published_at', 'display_name', 'current_affiliation', 'email')) as Array<Record<string, unknown>>)
    .map((row) => JSON.stringify([row.slug, row.locale, Boolean(row.published_at), row.display_name, row.current_affiliation, row.email]))
    .sort();
  return { rest, graphql, changes, people };
}

let imported: Answers;
let built: Answers;

beforeAll(async () => {
  const viaImport = await startApp();
  try {
    const summary = await importer().importFile(viaImport.strapi, writeFile(ndjson(LINES)));
    expect(summary.errors).toEqual([]);
    await viaImport.quiet();
    imported = await answersOf(viaImport);
  } finally {
    await viaImport.stop();
  }
  const viaDocuments = await startApp();
  try {
    await buildThroughDocumentService(viaDocuments, LINES);
    await viaDocuments.quiet();
    built = await answersOf(viaDocuments);
  } finally {
    await viaDocuments.stop();
  }
});

it('the import made every line (a sanity check of what is compared)', () => {
  const articles = imported.rest['/api/articles?sort=slug:asc'] as { data: Array<{ slug: string }> };
  expect(articles.data.map((article) => article.slug)).toEqual(['energi-i-fremtiden', 'kun-paa-dansk']);
  expect(JSON.stringify(imported.graphql)).toContain('Debat om energi');
  // The dynamic zone's block, the single and the repeatable component are in what is compared.
  const populated = JSON.stringify(imported.rest['/api/articles?sort=slug:asc&populate=*']);
  for (const text of ['blocks.rich-text', 'Andet afsnit', '"metaTitle":"Energi"', 'Rapport']) expect(populated).toContain(text);
});

it.each(REST)('REST %s: the same answer as the Document Service path', (url) => {
  expect(imported.rest[url]).toEqual(built.rest[url]);
});

it('GraphQL: the same nested answer as the Document Service path', () => {
  expect(imported.graphql).toEqual(built.graphql);
});

it("people's derived fields and private columns: the same rows as the Document Service path", () => {
  expect(imported.people).toEqual(built.people);
  expect(imported.people.join()).toContain('Professor');
});

it('the change log: the same entries (type, locale, action) as the Document Service path', () => {
  expect(imported.changes).toEqual(built.changes);
  expect(imported.changes.length).toBeGreaterThan(10);
});
