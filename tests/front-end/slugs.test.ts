/** Slugs: made from the title with Danish letters, unique per locale, stable, and old ones keep resolving. */
import { slugify } from '../../src/lib/slug';
import { startApp, type TestApp } from '../helpers/app';
import { ARTICLE, DEBATE } from '../public-api/shared';
import { someFields } from '../helpers/documents';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ seed: true });
});
afterAll(async () => {
  await app?.stop();
});

const articles = () => app.strapi.documents('api::article.article');

describe('slugify', () => {
  it.each([
    ['Spænd innovation for den offentlige indkøbsvogn', 'spaend-innovation-for-den-offentlige-indkoebsvogn'],
    ['Ærø, Øresund og Århus', 'aeroe-oeresund-og-aarhus'],
    ['Café Müller & Søn — 2025!', 'cafe-muller-soen-2025'],
    ['  --CO-PI på Folkemødet--  ', 'co-pi-paa-folkemoedet'],
    ['!!!', ''],
  ])('%s -> %s', (text, slug) => {
    expect(slugify(text)).toBe(slug);
  });
});

describe('slugs made on create', () => {
  it('makes the slug from the title when none is given', async () => {
    const created = await articles().create({ locale: 'da', data: someFields('api::article.article', { title: 'Grøn omstilling på Ærø' }) });
    expect(created.slug).toBe('groen-omstilling-paa-aeroe');
  });

  it('adds a number when the slug is taken in the same locale, not in another', async () => {
    const second = await articles().create({ locale: 'da', data: someFields('api::article.article', { title: 'Grøn omstilling på Ærø' }) });
    const third = await articles().create({ locale: 'da', data: someFields('api::article.article', { title: 'Grøn omstilling på Ærø' }) });
    const english = await articles().create({ locale: 'en', data: someFields('api::article.article', { title: 'Grøn omstilling på Ærø' }) });
    expect([second.slug, third.slug, english.slug]).toEqual([
      'groen-omstilling-paa-aeroe-2',
      'groen-omstilling-paa-aeroe-3',
      'groen-omstilling-paa-aeroe',
    ]);
  });

  it('keeps counting past the numbers looked up first (ten), and takes a freed number first', async () => {
    const create = async () => String((await articles().create({ locale: 'da', data: someFields('api::article.article', { title: 'Samme titel igen' }) })).slug);
    const made: string[] = [];
    for (let n = 0; n < 12; n++) made.push(await create());
    expect(made).toEqual(['samme-titel-igen', ...Array.from({ length: 11 }, (_, index) => `samme-titel-igen-${index + 2}`)]);
    const fourth = await articles().findFirst({ locale: 'da', status: 'draft', filters: { slug: 'samme-titel-igen-4' } });
    await articles().delete({ documentId: fourth!.documentId, locale: 'da' });
    expect(await create()).toBe('samme-titel-igen-4');
    expect(await create()).toBe('samme-titel-igen-13');
  });

  it('makes the slug for a new locale version from its own title', async () => {
    const created = await articles().create({ locale: 'da', data: someFields('api::article.article', { title: 'Klimaløsninger i byggeriet' }) });
    const english = await articles().update({
      documentId: created.documentId,
      locale: 'en',
      data: { title: 'Climate solutions in construction' },
    });
    expect(english?.slug).toBe('climate-solutions-in-construction');
  });

  it("replaces the admin's untitled placeholder (\"article\", \"article-1\") with the title's slug on a new document or locale", async () => {
    const created = await articles().create({ locale: 'da', data: { title: 'Tør vi købe det nye?', slug: 'article' } });
    expect(created.slug).toBe('toer-vi-koebe-det-nye');
    const english = await articles().update({
      documentId: created.documentId,
      locale: 'en',
      data: { title: 'Dare we buy the new?', slug: 'article-1' },
    });
    expect(english!.slug).toBe('dare-we-buy-the-new');
    // Once saved, a slug is the editor's: the same words are kept on an existing version.
    const kept = await articles().update({ documentId: created.documentId, locale: 'da', data: { slug: 'article' } });
    expect(kept!.slug).toBe('article');
    // A real slug given on create is kept as given.
    const chosen = await articles().create({ locale: 'da', data: { title: 'Noget andet', slug: 'article-about-procurement' } });
    expect(chosen.slug).toBe('article-about-procurement');
  });

  it('keeps the slug when the title is edited', async () => {
    const created = await articles().create({ locale: 'da', data: someFields('api::article.article', { title: 'Velfærdsteknologi i Aabenraa' }) });
    await articles().publish({ documentId: created.documentId, locale: 'da' });
    const edited = await articles().update({
      documentId: created.documentId,
      locale: 'da',
      data: { title: 'Velfærdsteknologi i Aabenraa Kommune' },
    });
    expect(edited?.slug).toBe('velfaerdsteknologi-i-aabenraa');
  });
});

describe('GET /api/<type>/slug/:slug', () => {
  it.each([
    ['articles', 'da', ARTICLE.da.slug, ARTICLE.da.title],
    ['articles', 'en', ARTICLE.en.slug, ARTICLE.en.title],
    ['events', 'da', DEBATE.da.slug, DEBATE.da.title],
    ['events', 'en', DEBATE.en.slug, DEBATE.en.title],
  ])('/api/%s/slug/… in %s returns the published document in its default shape', async (type, locale, slug, title) => {
    const response = await app.http().get(`/api/${type}/slug/${slug}?locale=${locale}`);
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ slug, title, locale });
    expect(response.body.data.topics).toBeDefined();
    expect(response.body.meta.slug).toEqual({ requested: slug, current: slug, moved: false });
  });

  it('finds people, organisations and topics by slug, in Danish by default', async () => {
    for (const [type, slug] of [
      ['people', 'mette-harbo'],
      ['organisations', 'center-for-offentlig-privat-innovation'],
      ['topics', 'innovative-offentlige-indkoeb'],
    ]) {
      const response = await app.http().get(`/api/${type}/slug/${slug}`);
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({ slug, locale: 'da' });
    }
  });

  it('answers 404 with a JSON error for an unknown slug, a draft, or a slug from the other locale', async () => {
    const draft = await articles().create({ locale: 'da', data: someFields('api::article.article', { title: 'Hemmelig kladde' }) });
    for (const path of [
      '/api/articles/slug/findes-ikke',
      `/api/articles/slug/${draft.slug}`,
      `/api/articles/slug/${ARTICLE.en.slug}?locale=da`,
    ]) {
      const response = await app.http().get(path);
      expect(response.status).toBe(404);
      expect(response.body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
    }
  });

  it('keeps resolving an old slug after a new one is published, saying which is current', async () => {
    const created = await articles().create({ locale: 'da', data: someFields('api::article.article', { title: 'Indkøb med mod' }) });
    await articles().publish({ documentId: created.documentId, locale: 'da' });
    await articles().update({ documentId: created.documentId, locale: 'da', data: { slug: 'indkoeb-med-mod-og-risikovillighed' } });

    // Until the new slug is published the old one is simply current.
    const beforePublish = await app.http().get('/api/articles/slug/indkoeb-med-mod');
    expect(beforePublish.body.meta.slug.moved).toBe(false);
    expect((await app.http().get('/api/articles/slug/indkoeb-med-mod-og-risikovillighed')).status).toBe(404);

    await articles().publish({ documentId: created.documentId, locale: 'da' });
    const old = await app.http().get('/api/articles/slug/indkoeb-med-mod');
    expect(old.status).toBe(200);
    expect(old.body.data.slug).toBe('indkoeb-med-mod-og-risikovillighed');
    expect(old.body.meta.slug).toEqual({
      requested: 'indkoeb-med-mod',
      current: 'indkoeb-med-mod-og-risikovillighed',
      moved: true,
    });
  });
});

describe('GraphQL <type>BySlug', () => {
  it('returns the article with its relations, in the asked locale', async () => {
    const { body } = await app.graphql(
      /* GraphQL */ `
        query ($slug: String!, $locale: I18NLocaleCode) {
          articleBySlug(slug: $slug, locale: $locale) { slug locale title topics { slug } events { slug } }
        }
      `,
      { slug: ARTICLE.en.slug, locale: 'en' }
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.articleBySlug).toEqual({
      slug: ARTICLE.en.slug,
      locale: 'en',
      title: ARTICLE.en.title,
      topics: [{ slug: 'innovative-public-procurement' }],
      events: [{ slug: DEBATE.en.slug }],
    });
  });

  it('resolves an old slug and answers null for an unknown one or a draft', async () => {
    const { body } = await app.graphql(`{
      old: articleBySlug(slug: "indkoeb-med-mod") { slug }
      unknown: eventBySlug(slug: "findes-ikke") { slug }
      draft: articleBySlug(slug: "hemmelig-kladde") { slug }
      person: personBySlug(slug: "kim-toft-madsen") { name }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      old: { slug: 'indkoeb-med-mod-og-risikovillighed' },
      unknown: null,
      draft: null,
      person: { name: 'Kim Toft Madsen' },
    });
  });

  it('keeps the slug history out of the schema', async () => {
    const { body } = await app.graphql('{ __schema { queryType { fields { name } } } }');
    const names = body.data.__schema.queryType.fields.map((field: { name: string }) => field.name);
    expect(names).toEqual(expect.arrayContaining(['articleBySlug', 'eventBySlug', 'topicBySlug']));
    expect(names.filter((name: string) => /slugHistor/i.test(name))).toEqual([]);
  });
});
