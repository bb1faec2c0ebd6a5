/**
 * The editorial roles (src/features/editorial/admin/roles.ts): an Author (`author`) writes and edits own
 * drafts and cannot publish; an Editor (`editor`) publishes. Exercised through the same
 * content-manager API the admin panel calls.
 */
import { loginWithRole, type AdminSession } from '../helpers/admin';
import { appModule, startApp, type TestApp } from '../helpers/app';
import type * as Roles from '../../src/features/editorial/admin/roles';
import { ARTICLES, ROLE, ROLE_NAME } from './shared';

// The app's own module: it holds the actions features granted editors at register (grantToEditors).
const { ensureEditorialRoles } = appModule<typeof Roles>('src/features/editorial/admin/roles.js');

let app: TestApp;
let author: AdminSession;
let otherAuthor: AdminSession;
let editor: AdminSession;
const roleId = async (code: string) => (await app.strapi.db.query('admin::role').findOne({ where: { code } })).id as number;

beforeAll(async () => {
  app = await startApp();
  author = await loginWithRole(app, await roleId(ROLE.author));
  otherAuthor = await loginWithRole(app, await roleId(ROLE.author));
  editor = await loginWithRole(app, await roleId(ROLE.editor));
});
afterAll(async () => {
  await app?.stop();
});

const draft = async (session: AdminSession, title: string) => {
  const response = await session.post(`${ARTICLES}?locale=da`, { title });
  expect(response.status).toBe(201);
  return response.body.data.documentId as string;
};
const del = (session: AdminSession, path: string) => app.http().delete(path).set({ Authorization: `Bearer ${session.token}` });

it('creates both roles by fixed code with Danish names, beside Strapi\'s own', async () => {
  const roles = await app.strapi.db.query('admin::role').findMany({ select: ['code', 'name'] });
  expect(roles).toEqual(
    expect.arrayContaining([
      { code: ROLE.author, name: ROLE_NAME.author },
      { code: ROLE.editor, name: ROLE_NAME.editor },
      expect.objectContaining({ code: 'strapi-author' }),
      expect.objectContaining({ code: 'strapi-editor' }),
    ])
  );
});

it('changes nothing when applied again: same roles, same permission rows', async () => {
  const snapshot = async () => ({
    roles: await app.strapi.db.query('admin::role').findMany({ select: ['id', 'code', 'name'], orderBy: { id: 'asc' } }),
    permissions: await app.strapi.db.query('admin::permission').findMany({ select: ['id', 'action', 'subject'], orderBy: { id: 'asc' } }),
  });
  const before = await snapshot();
  await ensureEditorialRoles(app.strapi);
  expect(await snapshot()).toEqual(before);
});

it('puts back a permission removed by hand', async () => {
  const id = await roleId(ROLE.editor);
  const publish = await app.strapi.db.query('admin::permission').findOne({
    where: { role: id, action: 'plugin::content-manager.explorer.publish', subject: 'api::article.article' },
  });
  await app.strapi.db.query('admin::permission').delete({ where: { id: publish.id } });
  await ensureEditorialRoles(app.strapi);
  expect(
    await app.strapi.db.query('admin::permission').count({
      where: { role: id, action: 'plugin::content-manager.explorer.publish', subject: 'api::article.article' },
    })
  ).toBe(1);
});

describe('an author', () => {
  it('creates an article draft and edits it', async () => {
    const documentId = await draft(author, 'Skribentens udkast');
    const edited = await author.put(`${ARTICLES}/${documentId}?locale=da`, { lead: 'Ny manchet' });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({ lead: 'Ny manchet', publishedAt: null });
  });

  it('cannot publish, not even an own draft', async () => {
    const documentId = await draft(author, 'Må ikke udgives af skribenten');
    const response = await author.post(`${ARTICLES}/${documentId}/actions/publish?locale=da`, {});
    expect(response.status).toBe(403);
    expect(await app.strapi.documents('api::article.article').findOne({ documentId, locale: 'da', status: 'published' })).toBeNull();
  });

  it("cannot change another author's article, and it stays as it was", async () => {
    const documentId = await draft(otherAuthor, 'En kollegas udkast');
    const response = await author.put(`${ARTICLES}/${documentId}?locale=da`, { title: 'Overtaget' });
    expect(response.status).toBe(403);
    const stored = await app.strapi.documents('api::article.article').findOne({ documentId, locale: 'da' });
    expect(stored?.title).toBe('En kollegas udkast');
  });

  it('reads colleagues\' articles (to link and follow up) but cannot delete any', async () => {
    const theirs = await draft(otherAuthor, 'Kan læses af kolleger');
    expect((await author.get(`${ARTICLES}/${theirs}?locale=da`)).status).toBe(200);
    const own = await draft(author, 'Kan ikke slettes af skribenten');
    expect((await del(author, `${ARTICLES}/${own}?locale=da`)).status).toBe(403);
  });

  it('cannot create events (only articles, quotes and people)', async () => {
    const response = await author.post('/content-manager/collection-types/api::event.event?locale=da', {
      title: 'Skribentens arrangement',
      startsAt: '2023-06-16T09:30:00.000Z',
    });
    expect(response.status).toBe(403);
  });
});

describe('an editor', () => {
  it("publishes an author's draft", async () => {
    const documentId = await draft(author, 'Udgives af redaktøren');
    const response = await editor.post(`${ARTICLES}/${documentId}/actions/publish?locale=da`, {});
    expect(response.status).toBe(200);
    const published = await app.strapi.documents('api::article.article').findOne({ documentId, locale: 'da', status: 'published' });
    expect(published?.title).toBe('Udgives af redaktøren');
  });

  it("edits another's article in English too", async () => {
    const documentId = await draft(author, 'Oversættes');
    const response = await editor.put(`${ARTICLES}/${documentId}?locale=en`, { title: 'Translated' });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ title: 'Translated', locale: 'en' });
  });
});
