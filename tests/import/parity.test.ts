/**
 * The import writes what the Document Service writes: the same small file imported into one
 * database and built through the Document Service (create in Danish, update in English, publish)
 * in another give the same public REST and GraphQL answers, every type, both locales, with
 * relations, components and the dynamic zone, and the same change log.
 *
 * Normalised, because they cannot be equal between two databases: ids and documentIds (made
 * fresh by each), and createdAt/updatedAt/publishedAt and their *Local forms (the time of each
 * write). Everything else, slugs included, is compared as served.
 */
import { startApp } from '../helpers/app';
import { answersOf, buildThroughDocumentService, importer, LINES, ndjson, REST, writeFile, type Answers } from './shared';

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

it('no link joins rows of different status (a published row to a draft): the Document Service writes none, and public counts through a relation rely on it', () => {
  expect(built.linksAcrossStatus).toEqual([]);
  expect(imported.linksAcrossStatus).toEqual([]);
});
