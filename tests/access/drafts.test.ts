import { startApp, type TestApp } from '../helpers/app';
import { DRAFT_ARTICLE, DRAFT_EVENT, DRAFT_LOCALE_TITLE, UNPUBLISHED_EDIT } from './shared';

let app: TestApp;
let draftArticleId: string;
let draftEventId: string;
let seedArticleId: string;

beforeAll(async () => {
  app = await startApp({ seed: true });
  const { strapi } = app;

  const topic = await strapi.documents('api::topic.topic').findFirst({ locale: 'da', filters: { slug: 'innovative-offentlige-indkoeb' } });
  const festival = await strapi.documents('api::event.event').findFirst({ locale: 'da', filters: { slug: 'folkemoedet-2023' } });

  // A draft that was never published, linked from published content.
  draftArticleId = (
    await strapi.documents('api::article.article').create({
      locale: 'da',
      data: { ...DRAFT_ARTICLE, topics: [topic!.documentId] },
    })
  ).documentId;
  draftEventId = (
    await strapi.documents('api::event.event').create({
      locale: 'da',
      data: {
        ...DRAFT_EVENT,
        startsAt: '2023-06-16T12:00:00.000Z',
        timeZone: 'Europe/Copenhagen',
        kind: 'debate',
        eventStatus: 'scheduled',
        attendanceMode: 'offline',
        parent: festival!.documentId,
      },
    })
  ).documentId;

  // A published article whose draft carries an edit that is not published.
  const seedArticle = await strapi.documents('api::article.article').findFirst({ locale: 'da' });
  seedArticleId = seedArticle!.documentId;
  await strapi.documents('api::article.article').update({ documentId: seedArticleId, locale: 'da', data: { title: UNPUBLISHED_EDIT } });

  // The English version of the published article, taken offline and edited: a draft only.
  const english = await strapi.documents('api::article.article').findOne({ documentId: seedArticleId, locale: 'en', status: 'published' });
  if (english) await strapi.documents('api::article.article').unpublish({ documentId: seedArticleId, locale: 'en' });
  await strapi.documents('api::article.article').update({ documentId: seedArticleId, locale: 'en', data: { title: DRAFT_LOCALE_TITLE } });
});
afterAll(async () => {
  await app?.stop();
});

/** The draft content must not appear anywhere in a response body. */
function expectNoDraftIn(body: unknown) {
  const text = JSON.stringify(body);
  expect(text).not.toContain(DRAFT_ARTICLE.title);
  expect(text).not.toContain(DRAFT_EVENT.title);
  expect(text).not.toContain(UNPUBLISHED_EDIT);
  expect(text).not.toContain(DRAFT_LOCALE_TITLE);
  expect(text).not.toContain(draftArticleId);
  expect(text).not.toContain(draftEventId);
}

describe('drafts are invisible to the public over REST', () => {
  it.each([
    ['list', '/api/articles'],
    ['list with status=draft', '/api/articles?status=draft'],
    ['populated relation (topic -> articles)', '/api/topics?status=draft&populate=articles'],
    ['populated relation (festival -> sub-events)', '/api/events?status=draft&populate=subEvents'],
    ['populate=* on events', '/api/events?populate=*&status=draft'],
    ['populated localizations', '/api/articles?populate=localizations&status=draft'],
    ['English list with the Danish fallback', '/api/articles?locale=en&fallbackLocale=da'],
  ])('%s shows published content only', async (_name, path) => {
    const response = await app.http().get(path);
    expect(response.status).toBe(200);
    expect(response.body.data.length).toBeGreaterThan(0);
    expectNoDraftIn(response.body);
  });

  it.each([
    ['the draft title', '/api/articles?status=draft&filters[title][$containsi]=hemmelig'],
    ['unpublished entries', '/api/articles?status=draft&filters[publishedAt][$null]=true'],
    ['the English version, a draft only', '/api/articles?locale=en&status=draft'],
  ])('a list filtered for %s finds nothing', async (_name, path) => {
    const response = await app.http().get(path);
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual([]);
  });

  it('answers 404 for a draft-only document, with or without status=draft', async () => {
    for (const query of ['', '?status=draft']) {
      const response = await app.http().get(`/api/articles/${draftArticleId}${query}`);
      expect(response.status).toBe(404);
    }
  });

  it('serves the published version of a document whose draft has unpublished edits', async () => {
    const response = await app.http().get(`/api/articles/${seedArticleId}?status=draft`);
    expect(response.status).toBe(200);
    expect(response.body.data.title).not.toBe(UNPUBLISHED_EDIT);
    expect(response.body.data.publishedAt).not.toBeNull();
  });
});

describe('drafts are invisible to the public over GraphQL', () => {
  it.each([
    ['list', '{ articles { documentId title } }'],
    ['list with status: DRAFT', '{ articles(status: DRAFT) { documentId title publishedAt } }'],
    ['connection with status: DRAFT', '{ articles_connection(status: DRAFT) { nodes { documentId title } } }'],
    ['nested relation', '{ topics(status: DRAFT) { articles { documentId title } } }'],
    ['festival sub-events', '{ events(status: DRAFT) { title subEvents { documentId title } } }'],
    // The nested resolver took the root's status as written, past the Document Service (issue 29).
    ['localizations', '{ articles { documentId localizations { title } } }'],
    ['localizations with status: DRAFT', '{ articles(status: DRAFT) { documentId localizations { title } } }'],
    ['localizations_connection with status: DRAFT', '{ articles(status: DRAFT) { localizations_connection { nodes { title } } } }'],
    ['English list', '{ articles(locale: "en", status: DRAFT) { documentId title } }'],
  ])('%s', async (_name, query) => {
    const { status, body } = await app.graphql(query);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expectNoDraftIn(body);
  });

  it('returns null for a draft-only document asked for by id, with or without status: DRAFT', async () => {
    for (const args of [`documentId: "${draftArticleId}"`, `documentId: "${draftArticleId}", status: DRAFT`]) {
      const { body } = await app.graphql(`{ article(${args}) { title } }`);
      expect(body.errors).toBeUndefined();
      expect(body.data.article).toBeNull();
    }
  });
});

describe('parameters that select by draft state are refused to the public (issue 29, item 3)', () => {
  // publicationFilter=modified picked exactly the published articles with an unpublished edit.
  it.each([
    ['publicationFilter', 'modified'],
    ['publicationFilter', 'unmodified'],
    ['publicationFilter', 'never-published'],
    ['publicationFilter', 'published-with-draft'],
    ['publicationFilter', 'no-such-mode'],
    ['hasPublishedVersion', 'true'],
    ['hasPublishedVersion', 'false'],
  ])('REST ?%s=%s is a 400 naming the parameter, on lists and single documents', async (param, value) => {
    for (const path of ['/api/articles', `/api/articles/${seedArticleId}`, '/api/topics']) {
      const response = await app.http().get(`${path}?${param}=${value}`);
      expect(response.status).toBe(400);
      expect(response.body.error.name).toBe('ValidationError');
      expect(response.body.error.message).toContain(param);
      expect(response.body.error.details).toMatchObject({ param });
      expectNoDraftIn(response.body);
    }
  });

  it.each([
    ['publicationFilter: MODIFIED', 'publicationFilter'],
    ['publicationFilter: UNMODIFIED', 'publicationFilter'],
    ['publicationFilter: NEVER_PUBLISHED', 'publicationFilter'],
    ['hasPublishedVersion: true', 'hasPublishedVersion'],
  ])('GraphQL articles(%s) is refused with an error naming the argument, and no data', async (args, param) => {
    const { status, body } = await app.graphql(`{ articles(${args}) { documentId title } }`);
    expect(status).toBe(200);
    expect(body.errors?.[0]?.message).toContain(param);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.data?.articles ?? null).toBeNull();
  });

  it('the answer without the parameter is unchanged (the seed article with an unpublished edit is listed)', async () => {
    const response = await app.http().get(`/api/articles?filters[documentId][$eq]=${seedArticleId}`);
    expect(response.status).toBe(200);
    expect(response.body.data).toHaveLength(1);
    expectNoDraftIn(response.body);
  });

  it('a full-access API token (editorial tools) may still use publicationFilter', async () => {
    const token = await app.strapi
      .service('admin::api-token')
      .create({ name: 'publication filter reader', type: 'full-access', lifespan: null, description: '' });
    const response = await app.http().get('/api/articles?publicationFilter=modified').set({ Authorization: `Bearer ${token.accessKey}` });
    expect(response.status).toBe(200);
    expect(response.body.data.map((article: { documentId: string }) => article.documentId)).toEqual([seedArticleId]);
  });
});

describe('a full-access API token may read drafts (for previews and sync)', () => {
  it('sees the draft with status=draft and only published content without it', async () => {
    const token = await app.strapi
      .service('admin::api-token')
      .create({ name: 'draft reader', type: 'full-access', lifespan: null, description: '' });
    const auth = { Authorization: `Bearer ${token.accessKey}` };

    const drafts = await app.http().get('/api/articles?status=draft').set(auth);
    expect(drafts.status).toBe(200);
    expect(drafts.body.data.map((article: { title: unknown }) => article.title)).toEqual(
      expect.arrayContaining([DRAFT_ARTICLE.title, UNPUBLISHED_EDIT])
    );

    const published = await app.http().get('/api/articles').set(auth);
    expect(JSON.stringify(published.body)).not.toContain(DRAFT_ARTICLE.title);
  });
});
