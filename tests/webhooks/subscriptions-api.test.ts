/**
 * /api/partner/webhooks: a partner manages its own subscriptions only; bad input is a 400 that
 * names each bad field; secrets are shown once and never listed.
 */
import { PUBLIC_CONTENT_TYPES } from '../../src/lib/access/content-types';
import { startApp, type TestApp } from '../helpers/app';
import { DELIVERIES, partnerWithToken, publishTopic, webhookTestEnvironment } from './shared';
import type { Test } from 'supertest';

let app: TestApp;
let folkemoedet: string;
let cpi: string;

beforeAll(async () => {
  webhookTestEnvironment();
  app = await startApp();
  folkemoedet = await partnerWithToken(app, 'Folkemødet', 'folkemoedet');
  cpi = await partnerWithToken(app, 'CO-PI', 'co-pi');
});
afterAll(async () => {
  await app?.stop();
});

const as = (token: string | undefined) => {
  const auth = (request: Test) => (token ? request.set('Authorization', `Bearer ${token}`) : request);
  return {
    list: () => auth(app.http().get('/api/partner/webhooks')),
    create: (body: object) => auth(app.http().post('/api/partner/webhooks')).send(body),
    rotate: (id: number | string, body: object = {}) => auth(app.http().post(`/api/partner/webhooks/${id}/rotate-secret`)).send(body),
    remove: (id: number | string) => auth(app.http().delete(`/api/partner/webhooks/${id}`)),
  };
};

it('creates a subscription and shows its secret once, never in the list', async () => {
  const created = await as(folkemoedet).create({
    url: 'https://programme.example.dk/hooks',
    eventTypes: ['entry.published', 'entry.unpublished'],
    contentTypes: ['events', 'api::venue.venue'],
    locales: ['da'],
  });
  expect(created.status).toBe(201);
  expect(created.body.data).toMatchObject({
    url: 'https://programme.example.dk/hooks',
    eventTypes: ['entry.published', 'entry.unpublished'],
    // Plural names are stored as uids, the names the payload's contentType uses.
    contentTypes: ['api::event.event', 'api::venue.venue'],
    locales: ['da'],
    active: true,
    secrets: [{ createdAt: expect.any(String), expiresAt: null }],
  });
  const { secret } = created.body.data;
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

  const list = await as(folkemoedet).list();
  expect(list.status).toBe(200);
  expect(list.body.data.map((s: { id: number }) => s.id)).toContain(created.body.data.id);
  expect(JSON.stringify(list.body)).not.toContain(secret.slice('whsec_'.length));
  expect(JSON.stringify(list.body)).not.toContain('whsec_');
});

it('defaults to every event type, content type and locale', async () => {
  const created = await as(folkemoedet).create({ url: 'http://127.0.0.1:9/all' });
  expect(created.status).toBe(201);
  expect(created.body.data).toMatchObject({ eventTypes: null, contentTypes: null, locales: null });
});

it('accepts every public content type by its plural API name', async () => {
  const plurals = PUBLIC_CONTENT_TYPES.map((uid) => app.strapi.contentType(uid).info.pluralName);
  const created = await as(folkemoedet).create({ url: 'https://example.dk/all-types', contentTypes: plurals });
  expect(created.status).toBe(201);
  expect(created.body.data.contentTypes).toEqual([...PUBLIC_CONTENT_TYPES]);
});

it('answers bad input with a 400 that names every bad field', async () => {
  const response = await as(folkemoedet).create({
    url: 'ftp://files.example.dk/hooks',
    eventTypes: ['entry.published', 'entry.exploded'],
    contentTypes: ['partners'],
    locales: ['de'],
    secret: 'whsec_mine',
  });
  expect(response.status).toBe(400);
  expect(response.body).toMatchObject({ data: null, error: { status: 400, name: 'ValidationError' } });
  const paths = response.body.error.details.errors.map((error: { path: Array<string | number> }) => error.path.join('.'));
  expect(paths.sort()).toEqual(['contentTypes.0', 'eventTypes.1', 'locales.0', 'secret', 'url']);
  expect(response.body.error.message).toContain('url');
  const byPath = Object.fromEntries(response.body.error.details.errors.map((e: { path: unknown[]; message: unknown }) => [e.path.join('.'), e.message]));
  expect(byPath.url).toBe('must be an absolute http or https URL');
  expect(byPath['contentTypes.0']).toContain('unknown content type "partners"');
  expect(byPath['eventTypes.1']).toContain('entry.published');
});

it.each([
  ['no url', {}, 'url'],
  ['a url with credentials', { url: 'https://user:pass@example.dk/hooks' }, 'url'],
  ['an empty event type list', { url: 'https://example.dk', eventTypes: [] }, 'eventTypes'],
  ['a body that is a list', [{ url: 'https://example.dk' }], ''],
])('refuses %s', async (_name, body, path) => {
  const response = await as(folkemoedet).create(body);
  expect(response.status).toBe(400);
  expect(response.body.error.details.errors.map((e: { path: unknown[] }) => e.path.join('.'))).toContain(path);
});

it("treats another partner's subscription as absent: 404 to rotate or delete, missing from its list", async () => {
  const created = await as(folkemoedet).create({ url: 'https://example.dk/mine' });
  const id = created.body.data.id;
  expect((await as(cpi).rotate(id)).status).toBe(404);
  expect((await as(cpi).remove(id)).status).toBe(404);
  expect((await as(cpi).list()).body.data.map((s: { id: number }) => s.id)).not.toContain(id);
  expect((await as(cpi).rotate('not-a-number')).status).toBe(404);
  // Still there, with its one secret.
  const mine = (await as(folkemoedet).list()).body.data.find((s: { id: number }) => s.id === id);
  expect(mine.secrets).toHaveLength(1);
});

it('refuses requests without a valid partner token', async () => {
  expect((await as(undefined).list()).status).toBe(401);
  expect((await as(undefined).create({ url: 'https://example.dk' })).status).toBe(401);
  expect((await as('ptk_abcdef12_' + 'A'.repeat(43)).list()).status).toBe(401);
});

it('rotates with a grace period chosen by the partner, within limits', async () => {
  const created = await as(cpi).create({ url: 'https://example.dk/rotating' });
  const id = created.body.data.id;
  const bad = await as(cpi).rotate(id, { graceSeconds: -1 });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.errors[0].path).toEqual(['graceSeconds']);

  const before = Date.now();
  const rotated = await as(cpi).rotate(id);
  expect(rotated.status).toBe(200);
  const [old, current] = rotated.body.data.secrets;
  expect(current.expiresAt).toBeNull();
  // The default grace is a day.
  const grace = Date.parse(old.expiresAt) - before;
  expect(grace).toBeGreaterThanOrEqual(24 * 3600 * 1000 - 60_000);
  expect(grace).toBeLessThanOrEqual(24 * 3600 * 1000 + 60_000);
  expect(rotated.body.data.secret).not.toBe(created.body.data.secret);
});

it('deletes a subscription with its queued deliveries', async () => {
  const created = await as(cpi).create({ url: 'https://example.dk/leaving', contentTypes: ['topics'] });
  const id = created.body.data.id;
  await publishTopic(app, 'Offentlig-privat samarbejde');
  expect(await app.strapi.db.connection(DELIVERIES).where({ subscription_id: id })).toHaveLength(1);

  expect((await as(cpi).remove(id)).status).toBe(204);
  expect(await app.strapi.db.connection(DELIVERIES).where({ subscription_id: id })).toHaveLength(0);
  expect((await as(cpi).list()).body.data.map((s: { id: number }) => s.id)).not.toContain(id);
  expect((await as(cpi).remove(id)).status).toBe(404);
});
