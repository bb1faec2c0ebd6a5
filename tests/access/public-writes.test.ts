import { PUBLIC_CONTENT_TYPES } from '../../src/lib/access/content-types';
import { startApp, type TestApp } from '../helpers/app';
import { COLLECTIONS } from './shared';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ seed: true });
});
afterAll(async () => {
  await app?.stop();
});

/** Rows in every table the public could try to write to, to prove nothing changed. */
async function rowCounts(): Promise<Record<string, number>> {
  const uids = [
    ...PUBLIC_CONTENT_TYPES,
    'plugin::users-permissions.user',
    'plugin::upload.file',
    'plugin::i18n.locale',
  ] as const;
  const counts: Record<string, number> = {};
  for (const uid of uids) counts[uid] = await app.strapi.db.query(uid).count();
  return counts;
}

let before: Record<string, number>;
beforeAll(async () => {
  before = await rowCounts();
});

describe.each(COLLECTIONS)('public REST writes to /api/%s are refused', (collection) => {
  let documentId: string;
  beforeAll(async () => {
    const response = await app.http().get(`/api/${collection}`);
    documentId = response.body.data[0].documentId;
  });

  it('POST answers 403 with a JSON error', async () => {
    const response = await app.http().post(`/api/${collection}`).send({ data: { title: 'x', name: 'x', text: 'x' } });
    expect(response.status).toBe(403);
    expect(response.body.error).toMatchObject({ status: 403, name: 'ForbiddenError' });
  });

  it('PUT answers 403', async () => {
    const response = await app.http().put(`/api/${collection}/${documentId}`).send({ data: { title: 'x', name: 'x' } });
    expect(response.status).toBe(403);
  });

  it('DELETE answers 403', async () => {
    const response = await app.http().delete(`/api/${collection}/${documentId}`);
    expect(response.status).toBe(403);
  });
});

describe('other public write and admin paths are closed', () => {
  it.each([
    ['register a user', 'post', '/api/auth/local/register', { username: 'eve', email: 'eve@example.invalid', password: 'Secret123!' }],
    ['log in', 'post', '/api/auth/local', { identifier: 'eve@example.invalid', password: 'Secret123!' }],
    ['list users', 'get', '/api/users', undefined],
    ['list roles', 'get', '/api/users-permissions/roles', undefined],
    ['upload a file', 'post', '/api/upload', undefined],
    ['list the locales admin', 'get', '/api/i18n/locales', undefined],
  ] as const)('%s: 403', async (_name, method, path, body) => {
    const response = await app.http()[method](path).send(body ?? {});
    expect(response.status).toBe(403);
  });
});

describe('public GraphQL mutations are refused', () => {
  it.each([
    ['create', 'mutation { createArticle(data: { title: "x", slug: "x" }) { documentId } }'],
    ['update', 'mutation($id: ID!) { updateArticle(documentId: $id, data: { title: "x" }) { documentId } }'],
    ['delete', 'mutation($id: ID!) { deleteArticle(documentId: $id) { documentId } }'],
    ['create a person', 'mutation { createPerson(data: { name: "x", slug: "x" }) { documentId } }'],
  ])('%s answers Forbidden', async (_name, mutation) => {
    const [article] = (await app.http().get('/api/articles')).body.data;
    const { body } = await app.graphql(mutation, mutation.includes('$id') ? { id: article.documentId } : undefined);
    expect(body.errors?.[0]).toMatchObject({ message: 'Forbidden access', extensions: { code: 'FORBIDDEN' } });
  });
});

// Runs last (jest keeps file order): whatever the tests above tried, no row was written.
it('wrote no row in any table the tests above tried to write to', async () => {
  expect(before['api::article.article']).toBeGreaterThan(0);
  expect(await rowCounts()).toEqual(before);
});
