/**
 * GraphQL `syncChanges` is `GET /api/sync` over GraphQL: the same pages, items, tombstones and
 * cursors, and a cursor from one continues in the other.
 */
import { startApp, type TestApp } from '../helpers/app';
import { createPartner, type TestPartner } from '../helpers/partners';
import { SYNC_QUERY, graphqlPage, readAll, restPage } from './shared';

let app: TestApp;
let partner: TestPartner;
beforeAll(async () => {
  app = await startApp({ seed: true });
  partner = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
});
afterAll(async () => {
  await app?.stop();
});

const put = (externalId: string, title: string) =>
  app
    .http()
    .put(`/api/partner/events/${externalId}`)
    .set('Authorization', partner.auth)
    .send({ startsAt: '2024-06-14T10:00:00+02:00', da: { title }, en: { title: `${title} (en)` } });

const rest = () => restPage;
const graphql = () => graphqlPage;
const alternating = (n: number) => (n % 2 === 0 ? restPage : graphqlPage);

let cursor: string;

it('lists everything published now in the same pages, items and cursors as REST', async () => {
  const overRest = await readAll(app, { limit: 7 }, rest);
  const overGraphql = await readAll(app, { limit: 7 }, graphql);
  expect(overRest.pages.length).toBeGreaterThan(3);
  expect(overGraphql).toEqual(overRest);
  // A cursor from one transport continues in the other.
  expect(await readAll(app, { limit: 7 }, alternating)).toEqual(overRest);
  cursor = overRest.cursor;
});

it('then gives the same changes, tombstones included, from a REST cursor over GraphQL and back', async () => {
  const first = await put('fm24-301', 'Første debat');
  await put('fm24-302', 'Anden debat');
  await put('fm24-301', 'Første debat, ny titel');
  await app.http().delete('/api/partner/events/fm24-302').set('Authorization', partner.auth);

  const overRest = await readAll(app, { cursor, limit: 3 }, rest);
  const overGraphql = await readAll(app, { cursor, limit: 3 }, graphql);
  expect(overGraphql).toEqual(overRest);
  expect(await readAll(app, { cursor, limit: 3 }, alternating)).toEqual(overRest);

  const items = overGraphql.pages.flatMap((page) => page.items);
  expect(items.map((item) => item.action)).toEqual(['published', 'published', 'published', 'published', 'updated', 'updated', 'unpublished', 'unpublished']);
  expect(items[4]!.entry).toMatchObject({ documentId: first.body.data.documentId, title: 'Første debat, ny titel' });
  expect(items[6]!.entry).toBeNull();
  expect(items.every((item) => typeof item.position === 'number' && typeof item.occurredAt === 'string')).toBe(true);
});

it('filters by types and locale as REST does, and keeps the filters in the cursor', async () => {
  const query = { types: ['topics', 'venues'], locale: 'en', limit: 4 };
  const overRest = await readAll(app, query, rest);
  expect(await readAll(app, query, graphql)).toEqual(overRest);
  const items = overRest.pages.flatMap((page) => page.items);
  expect(items.length).toBeGreaterThan(0);
  expect(items.every((item) => ['topics', 'venues'].includes(item.type) && item.locale === 'en')).toBe(true);
  // The cursor alone carries the filters: following it without repeating them stays filtered.
  expect(await graphqlPage(app, { cursor: overRest.pages[0]!.nextCursor, limit: 4 })).toEqual(overRest.pages[1]);
});

it.each([
  [{ cursor: 'not-a-cursor' }, 'cursor'],
  [{ types: ['events', 'admins'] }, 'types'],
  [{ locale: 'de' }, 'locale'],
  [{ limit: 0 }, 'limit'],
  [{ limit: 501 }, 'limit'],
])('refuses %p as REST does, naming the argument', async (variables, param) => {

  const { body } = await app.graphql(SYNC_QUERY, variables);
  expect(body.data).toBeNull();
  expect(body.errors?.[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', error: { name: 'ValidationError', details: { param } } });
  // REST refuses the same input with the same message.
  const { types, ...rest } = variables as { types?: string[] } & Record<string, unknown>;
  const response = await app.http().get('/api/sync').query({ ...rest, ...(types ? { type: types.join(',') } : {}) });
  expect(response.status).toBe(400);
  expect(response.body.error.message).toBe(body.errors?.[0]!.message);
});

it('refuses a cursor with other filters than it was made with', async () => {

  const { body } = await app.graphql(SYNC_QUERY, { cursor, types: ['articles'] });
  expect(body.errors?.[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', error: { details: { param: 'cursor' } } });
});
