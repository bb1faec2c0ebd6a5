/**
 * Editors write through the admin's content-manager API. Bad input there is a 400 with a
 * JSON error that names the field, and nothing is written.
 */
import { loginAsSuperAdmin, type AdminSession } from '../helpers/admin';
import { startApp, type TestApp } from '../helpers/app';

let app: TestApp;
let editor: AdminSession;
beforeAll(async () => {
  app = await startApp();
  editor = await loginAsSuperAdmin(app);
});
afterAll(async () => {
  await app?.stop();
});

const EVENTS = '/content-manager/collection-types/api::event.event';
const ARTICLES = '/content-manager/collection-types/api::article.article';

const validEvent = {
  title: 'Debat om indkøb',
  slug: 'debat-om-indkoeb',
  startsAt: '2023-06-16T09:30:00.000Z',
  endsAt: '2023-06-16T10:30:00.000Z',
  timeZone: 'Europe/Copenhagen',
  kind: 'debate',
  eventStatus: 'scheduled',
  attendanceMode: 'offline',
};

const eventRows = () => app.strapi.db.query('api::event.event').count();

it('creates a valid event as a Danish draft (the control)', async () => {
  const response = await editor.post(`${EVENTS}?locale=da`, validEvent);
  expect(response.status).toBe(201);
  expect(response.body.data).toMatchObject({ title: validEvent.title, locale: 'da', publishedAt: null });
});

describe('bad input on create answers 400, names the field, and writes nothing', () => {
  it.each([
    ['unknown time zone', { ...validEvent, slug: 'b', timeZone: 'Europe/Atlantis' }, 'timeZone'],
    ['end before start', { ...validEvent, slug: 'c', endsAt: '2023-06-16T08:00:00.000Z' }, 'endsAt'],
    ['kind outside the list', { ...validEvent, slug: 'd', kind: 'party' }, 'kind'],
    ['not a date', { ...validEvent, slug: 'f', startsAt: 'next friday' }, 'startsAt'],
    ['title over 200 characters', { ...validEvent, slug: 'g', title: 'x'.repeat(201) }, 'title'],
  ])('%s', async (_name, body, field) => {
    const before = await eventRows();
    const response = await editor.post(`${EVENTS}?locale=da`, body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
    const paths = (response.body.error.details?.errors ?? []).map((error: { path: string[] }) => error.path.join('.'));
    expect(paths).toContain(field);
    expect(await eventRows()).toBe(before);
  });
});

describe('bad input on update answers 400 and leaves the stored event as it was', () => {
  let documentId: string;
  beforeAll(async () => {
    documentId = (await editor.post(`${EVENTS}?locale=da`, { ...validEvent, slug: 'til-opdatering' })).body.data.documentId;
  });

  it('refuses an end before the stored start when only the end is sent', async () => {
    const response = await editor.put(`${EVENTS}/${documentId}?locale=da`, { endsAt: '2023-06-15T10:00:00.000Z' });
    expect(response.status).toBe(400);
    expect(response.body.error.details.errors[0].path).toEqual(['endsAt']);

    const stored = await app.strapi.documents('api::event.event').findOne({ documentId, locale: 'da' });
    expect(stored?.endsAt).toBe(validEvent.endsAt);
  });
});

// Strapi lets drafts be incomplete (required fields, patterns); publishing checks them.
describe('publishing checks what drafts may leave out, names the field, and publishes nothing', () => {
  const publishedEvents = () => app.strapi.db.query('api::event.event').count({ where: { publishedAt: { $notNull: true } } });

  it.each([
    ['without a title', { ...validEvent, slug: 'uden-titel', title: undefined }, 'title'],
    ['with a programme URL that is not http(s)', { ...validEvent, slug: 'js-url', programmeUrl: 'javascript:alert(1)' }, 'programmeUrl'],
  ])('an event %s', async (_name, body, field) => {
    const created = await editor.post(`${EVENTS}?locale=da`, body);
    expect(created.status).toBe(201);
    const before = await publishedEvents();
    const response = await editor.post(`${EVENTS}/${created.body.data.documentId}/actions/publish?locale=da`, {});
    expect(response.status).toBe(400);
    const paths = response.body.error.details.errors.map((error: { path: string[] }) => error.path.join('.'));
    expect(paths).toContain(field);
    expect(await publishedEvents()).toBe(before);
  });

  it('refuses to publish a quote without the person who said it', async () => {
    const created = await editor.post('/content-manager/collection-types/api::quote.quote?locale=da', { text: 'Uden afsender' });
    expect(created.status).toBe(201);
    const response = await editor.post(
      `/content-manager/collection-types/api::quote.quote/${created.body.data.documentId}/actions/publish?locale=da`,
      {}
    );
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.error)).toContain('person');
    expect(await app.strapi.db.query('api::quote.quote').count({ where: { publishedAt: { $notNull: true } } })).toBe(0);
  });

});

describe('article body blocks', () => {
  it('refuses a block of a component the body does not list, pointing at the block', async () => {
    const response = await editor.post(`${ARTICLES}?locale=da`, {
      title: 'Artikel',
      slug: 'artikel',
      body: [
        { __component: 'blocks.fact-box', title: 'Fakta', facts: [{ label: 'Tid', value: 'Fredag' }] },
        { __component: 'shared.seo', metaTitle: 'x' },
      ],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details.errors[0].path).toEqual(['body', 1, '__component']);
    expect(await app.strapi.db.query('api::article.article').count()).toBe(0);
  });

  it('accepts the blocks the body lists (the control)', async () => {
    const response = await editor.post(`${ARTICLES}?locale=da`, {
      title: 'Artikel',
      slug: 'artikel',
      body: [{ __component: 'blocks.fact-box', title: 'Fakta', facts: [{ label: 'Tid', value: 'Fredag' }] }],
    });
    expect(response.status).toBe(201);
  });
});
