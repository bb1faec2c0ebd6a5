/** `?locale=en&fallbackLocale=da`: what is missing in English is served in Danish, and says so. */
import { startApp, type TestApp } from '../helpers/app';
import { ARTICLE } from '../public-api/shared';
import { someFields } from '../helpers/documents';
import { statementsSent } from '../helpers/sql-statements';

let app: TestApp;
let danishOnlyId: string;
beforeAll(async () => {
  app = await startApp({ seed: true });
  const articles = app.strapi.documents('api::article.article');
  const [topic] = await app.strapi.documents('api::topic.topic').findMany({ locale: 'da', filters: { slug: 'velfaerdsteknologi' } });
  const danishOnly = await articles.create({
    locale: 'da',
    data: someFields('api::article.article', { title: 'Kun på dansk', lead: 'Endnu ikke oversat', topics: [topic!.documentId] }),
  });
  danishOnlyId = danishOnly.documentId;
  await articles.publish({ documentId: danishOnlyId, locale: 'da' });
  // An English draft that is not published does not count as an English version.
  const draftInEnglish = await articles.create({ locale: 'da', data: someFields('api::article.article', { title: 'Dansk med engelsk kladde' }) });
  await articles.publish({ documentId: draftInEnglish.documentId, locale: 'da' });
  await articles.update({ documentId: draftInEnglish.documentId, locale: 'en', data: { title: 'English draft' } });
});
afterAll(async () => {
  await app?.stop();
});

const get = async (path: string) => {
  const response = await app.http().get(path);
  expect(response.status).toBe(200);
  return response.body;
};
const titlesAndLocales = (data: Array<{ title: unknown; locale: unknown; fallback: unknown }>) => data.map((item) => [item.title, item.locale, item.fallback]);

describe('lists', () => {
  it('without fallbackLocale behave as Strapi does: English only, no flags', async () => {
    const { data, meta } = await get('/api/articles?locale=en&fields[0]=title');
    expect(data.map((item: { title: unknown }) => item.title)).toEqual([ARTICLE.en.title]);
    expect(data[0].fallback).toBeUndefined();
    expect(meta.pagination.total).toBe(1);
  });

  it('with fallbackLocale=da add the Danish-only documents, flagged, in the requested order', async () => {
    const { data, meta } = await get('/api/articles?locale=en&fallbackLocale=da&sort=title:asc&fields[0]=title&fields[1]=locale');
    expect(titlesAndLocales(data)).toEqual([
      ['Dansk med engelsk kladde', 'da', true],
      [ARTICLE.en.title, 'en', false],
      ['Kun på dansk', 'da', true],
    ]);
    expect(meta.pagination.total).toBe(3);
  });

  it('are merged in the requested order when the sort is on a field the answer leaves out', async () => {
    // Published after the seed: the newest first, each without the publishedAt it was sorted on.
    const { data } = await get('/api/articles?locale=en&fallbackLocale=da&sort=publishedAt:desc&fields[0]=title&fields[1]=locale');
    expect(titlesAndLocales(data)).toEqual([
      ['Dansk med engelsk kladde', 'da', true],
      ['Kun på dansk', 'da', true],
      [ARTICLE.en.title, 'en', false],
    ]);
    expect(data.every((item: object) => !('publishedAt' in item))).toBe(true);
  });

  it('paginate the merged list as one list', async () => {
    const page = async (n: number) =>
      (await get(`/api/articles?locale=en&fallbackLocale=da&sort=title:desc&pagination[pageSize]=2&pagination[page]=${n}`)).data;
    expect(titlesAndLocales(await page(1))).toEqual([
      ['Kun på dansk', 'da', true],
      [ARTICLE.en.title, 'en', false],
    ]);
    expect(titlesAndLocales(await page(2))).toEqual([['Dansk med engelsk kladde', 'da', true]]);
  });

  it('apply filters to both locales', async () => {
    const { data } = await get('/api/articles?locale=en&fallbackLocale=da&filters[title][$containsi]=dansk');
    expect(titlesAndLocales(data).sort()).toEqual([
      ['Dansk med engelsk kladde', 'da', true],
      ['Kun på dansk', 'da', true],
    ]);
  });
});

describe('single reads', () => {
  it('serve a Danish-only document for an English request, flagged, with its relations in Danish', async () => {
    expect((await app.http().get(`/api/articles/${danishOnlyId}?locale=en`)).status).toBe(404);
    const { data } = await get(`/api/articles/${danishOnlyId}?locale=en&fallbackLocale=da`);
    expect(data).toMatchObject({ title: 'Kun på dansk', locale: 'da', fallback: true });
    expect(data.topics).toEqual([expect.objectContaining({ slug: 'velfaerdsteknologi', locale: 'da', fallback: true })]);
  });

  it('serve the English version when there is one, flagged as no fallback', async () => {
    const { data } = await get(`/api/articles/slug/${ARTICLE.en.slug}?locale=en&fallbackLocale=da`);
    expect(data).toMatchObject({ locale: 'en', fallback: false });
    expect(data.topics[0]).toMatchObject({ locale: 'en', fallback: false });
  });

  it('look slugs up in the fallback locale too', async () => {
    const { data } = await get('/api/articles/slug/kun-paa-dansk?locale=en&fallbackLocale=da');
    expect(data).toMatchObject({ documentId: danishOnlyId, locale: 'da', fallback: true });
  });
});

describe('bad input', () => {
  it('answers an unknown fallback locale with a 400 naming the parameter', async () => {
    const response = await app.http().get('/api/articles?locale=en&fallbackLocale=sv');
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ status: 400, details: { param: 'fallbackLocale' } });
  });

  it('treats a fallback equal to the requested locale as no fallback', async () => {
    const { data } = await get('/api/articles?locale=da&fallbackLocale=da&fields[0]=title');
    expect(data).toHaveLength(3);
    expect(data[0].fallback).toBeUndefined();
  });
});

describe('GraphQL <type>BySlug(fallbackLocale:)', () => {
  it('serves the Danish version when the English one is missing, and the English one when it exists', async () => {
    const { body } = await app.graphql(`{
      missing: articleBySlug(slug: "kun-paa-dansk", locale: "en", fallbackLocale: "da") { title locale topics { slug locale } }
      withoutFallback: articleBySlug(slug: "kun-paa-dansk", locale: "en") { title }
      present: articleBySlug(slug: "${ARTICLE.en.slug}", locale: "en", fallbackLocale: "da") { locale }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      missing: { title: 'Kun på dansk', locale: 'da', topics: [{ slug: 'velfaerdsteknologi', locale: 'da' }] },
      withoutFallback: null,
      present: { locale: 'en' },
    });
  });
});

describe('GraphQL <plural>WithFallback(locale:, fallbackLocale:)', () => {
  it('adds the Danish-only documents to an English list, merged in the requested order', async () => {
    const { body } = await app.graphql(`{
      articlesWithFallback(locale: "en", fallbackLocale: "da", sort: "title:asc") { title locale topics { slug locale } }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.articlesWithFallback.map((article: { title: unknown; locale: unknown }) => [article.title, article.locale])).toEqual([
      ['Dansk med engelsk kladde', 'da'],
      [ARTICLE.en.title, 'en'],
      ['Kun på dansk', 'da'],
    ]);
    const danishOnly = body.data.articlesWithFallback.find((article: { title: unknown }) => article.title === 'Kun på dansk');
    expect(danishOnly.topics).toEqual([{ slug: 'velfaerdsteknologi', locale: 'da' }]);
  });

  it('paginates and filters the merged list as one list', async () => {
    const { body } = await app.graphql(`{
      page2: articlesWithFallback(locale: "en", fallbackLocale: "da", sort: "title:desc", pagination: { page: 2, pageSize: 2 }) { title }
      filtered: articlesWithFallback(locale: "en", fallbackLocale: "da", filters: { title: { containsi: "kun" } }) { title locale }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.page2).toEqual([{ title: 'Dansk med engelsk kladde' }]);
    expect(body.data.filtered).toEqual([{ title: 'Kun på dansk', locale: 'da' }]);
  });

  it('never serves drafts, in either locale', async () => {
    const { body } = await app.graphql('{ articlesWithFallback(locale: "en", fallbackLocale: "da") { title } }');
    expect(JSON.stringify(body.data)).not.toContain('English draft');
  });

  it('needs a fallback locale', async () => {
    const { status, body } = await app.graphql('{ articlesWithFallback(locale: "en") { title } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]!.message).toMatch(/fallbackLocale/);
  });
});

describe('at archive size', () => {
  // More documents in the requested locale than a statement may carry bound values (SQLite
  // 32,766, PostgreSQL 65,535): the fallback part must not list their ids. Rows are inserted
  // directly (a Document Service write each would take minutes), and removed after.
  const COUNT = 70_000;
  const prefix = 'scale-fallback-';

  afterAll(async () => {
    await app.strapi.db.connection('topics').where('document_id', 'like', `${prefix}%`).delete();
  });

  it('serves a list with fallbackLocale when 70,000 documents exist in the requested locale', async () => {
    const knex = app.strapi.db.connection;
    const now = new Date();
    const rows = Array.from({ length: COUNT }, (_, index) => ({
      document_id: `${prefix}${index}`,
      name: `Topic ${index}`,
      slug: `${prefix}${index}`,
      locale: 'en',
      published_at: now,
      created_at: now,
      updated_at: now,
    }));
    for (let start = 0; start < rows.length; start += 500) await knex('topics').insert(rows.slice(start, start + 500));
    const english = Number(((await knex('topics').count({ n: '*' }).where({ locale: 'en' }).whereNotNull('published_at')) as Array<{ n: number | string }>)[0]!.n);
    const danishOnly = Number(
      ((await knex('topics as d')
        .count({ n: '*' })
        .where('d.locale', 'da')
        .whereNotNull('d.published_at')
        .whereNotExists(knex('topics as e').select(1).whereRaw('e.document_id = d.document_id').where('e.locale', 'en').whereNotNull('e.published_at'))) as Array<{ n: number | string }>)[0]!.n,
    );
    expect(english).toBeGreaterThan(COUNT);
    const response = await app.http().get('/api/topics').query({ locale: 'en', fallbackLocale: 'da', 'pagination[pageSize]': 5, sort: 'name:asc', fields: ['name'], 'filters[name][$ne]': 'scale' });
    expect(response.status).toBe(200);
    expect(response.body.data).toHaveLength(5);
    // Past 10,000 a public list's total is a lower bound (src/lib/http/list-total.ts)…
    expect(english + danishOnly).toBeGreaterThan(10_000);
    expect(response.body.meta.pagination).toMatchObject({ total: 10_000, totalIsLowerBound: true });
    // …and under it exact, the two locales counted as one list over the 70,000.
    const prefix12 = 'Topic 12';
    const englishNamed = Number(((await knex('topics').count({ n: '*' }).where({ locale: 'en' }).whereNotNull('published_at').where('name', 'like', `${prefix12}%`)) as Array<{ n: number | string }>)[0]!.n);
    const named = await app.http().get('/api/topics').query({ locale: 'en', fallbackLocale: 'da', 'pagination[pageSize]': 5, fields: ['name'], 'filters[name][$startsWith]': prefix12 });
    expect(named.status).toBe(200);
    expect(englishNamed).toBeGreaterThan(1000);
    expect(named.body.meta.pagination).toMatchObject({ total: englishNamed, totalIsLowerBound: false });
  });

  it('reads a first page by probing each fallback row (a subquery correlated with it), a deep page with one set of the requested locale', async () => {
    const fallbackReads = async (page: number) =>
      (
        await statementsSent(app.strapi, async () => {
          const response = await app.http().get('/api/topics').query({ locale: 'en', fallbackLocale: 'da', 'pagination[page]': page, 'pagination[pageSize]': 25, sort: 'name:asc', fields: ['name'] });
          expect(response.status).toBe(200);
          expect(response.body.data).toHaveLength(25);
        })
      ).filter(({ sql }) => /^select/i.test(sql) && /not in \(select ["`]present["`]\.["`]document_id["`]/.test(sql) && !/^select count/i.test(sql));
    const [first] = await fallbackReads(1);
    expect(first?.sql).toMatch(/["`]present["`]\.["`]document_id["`] = ["`]t0["`]\.["`]document_id["`]/);
    // Item 1,025 is past the probing depth (1,000).
    const [deep] = await fallbackReads(41);
    expect(deep?.sql).toBeDefined();
    expect(deep!.sql).not.toMatch(/= ["`]t0["`]\.["`]document_id["`]/);
  });
});
