/**
 * The content manager shows our types the way the repo says (src/features/editorial/admin/views.ts and
 * labels.ts): list columns, default sort, Danish labels with English hints, relation pickers
 * that name people with their organisation. Read back through the admin API an editor's
 * browser uses.
 */
import { loginAsSuperAdmin, type AdminSession } from '../helpers/admin';
import { appModule, startApp, type TestApp } from '../helpers/app';
import type * as AdminViews from '../../src/features/editorial/admin/views';

// The app's own copy: it compares the stored views with its own by prototype (util.isDeepStrictEqual).
const { applyAdminViews } = appModule<typeof AdminViews>('src/features/editorial/admin/views');
import { configurationPath } from './shared';

let app: TestApp;
let admin: AdminSession;
beforeAll(async () => {
  app = await startApp({ seed: true });
  admin = await loginAsSuperAdmin(app);
});
afterAll(async () => {
  await app?.stop();
});

const configuration = async (uid: string) => {
  const response = await admin.get(configurationPath(uid));
  expect(response.status).toBe(200);
  return response.body.data;
};

it('lists articles by title, topics and last update, newest first, with Danish labels', async () => {
  const { contentType } = await configuration('api::article.article');
  expect(contentType.layouts.list).toEqual(['title', 'topics', 'updatedAt']);
  expect(contentType.settings).toMatchObject({ defaultSortBy: 'updatedAt', defaultSortOrder: 'DESC', mainField: 'title' });
  expect(contentType.metadatas.title.edit).toMatchObject({ label: 'Titel', placeholder: 'Tør vi købe det nye?' });
  expect(contentType.metadatas.title.edit.description).toBe('Overskriften, læseren ser først. (EN: The headline readers see first.)');
  expect(contentType.metadatas.updatedAt.list.label).toBe('Opdateret');
  expect(contentType.metadatas.topics.list).toMatchObject({ label: 'Emner', mainField: 'name' });
  expect(contentType.metadatas.authors.edit.mainField).toBe('displayName');
  expect(contentType.layouts.edit[0]).toEqual([{ name: 'title', size: 12 }]);
});

it('lists events by title, start, venue and event status, latest start first; partner ids are read-only', async () => {
  const { contentType } = await configuration('api::event.event');
  expect(contentType.layouts.list).toEqual(['title', 'startsAt', 'venue', 'eventStatus']);
  expect(contentType.settings).toMatchObject({ defaultSortBy: 'startsAt', defaultSortOrder: 'DESC' });
  expect(contentType.metadatas.venue.list.mainField).toBe('name');
  expect(contentType.metadatas.externalId.edit.editable).toBe(false);
});

it('lists people by name and current affiliation, A to Z; the derived fields are hidden in the edit view', async () => {
  const { contentType, components } = await configuration('api::person.person');
  expect(contentType.layouts.list).toEqual(['name', 'currentAffiliation', 'updatedAt']);
  expect(contentType.settings).toMatchObject({ defaultSortBy: 'name', defaultSortOrder: 'ASC', mainField: 'displayName' });
  expect(contentType.metadatas.displayName.edit.visible).toBe(false);
  const editFields = contentType.layouts.edit.flat().map((field: { name: string }) => field.name);
  expect(editFields).not.toContain('displayName');
  expect(components['people.affiliation'].metadatas.organisation.edit).toMatchObject({ label: 'Organisation', mainField: 'name' });
  expect(components['people.affiliation'].settings.mainField).toBe('title');
});

it('shows a person with title and organisation in the list and with the organisation in relation pickers', async () => {
  const list = await admin.get('/content-manager/collection-types/api::person.person?locale=da&_q=Harbo');
  expect(list.status).toBe(200);
  expect(list.body.results[0]).toMatchObject({
    name: 'Mette Harbo',
    currentAffiliation: expect.stringMatching(/^Konstitueret direktør, Center for IT og Medicoteknologi/i),
  });

  const picker = await admin.get('/content-manager/relations/api::article.article/authors?locale=da&_q=Harbo');
  expect(picker.status).toBe(200);
  expect(picker.body.results[0].displayName).toMatch(/^Mette Harbo \(Center for IT og Medicoteknologi/);
});

it('keeps the derived names in step when an editor changes the affiliation, and keeps them out of the public API', async () => {
  const person = await app.strapi.documents('api::person.person').create({
    locale: 'da',
    data: { name: 'Ida Testesen', slug: 'ida-testesen', affiliations: [{ title: 'Chefkonsulent', kind: 'employment', current: true }] },
  });
  const row = () => app.strapi.db.query('api::person.person').findOne({ where: { documentId: person.documentId, locale: 'da' } });
  expect(await row()).toMatchObject({ displayName: 'Ida Testesen', currentAffiliation: 'Chefkonsulent' });

  const organisation = await app.strapi.documents('api::organisation.organisation').create({ locale: 'da', data: { name: 'Dansk Erhverv', slug: 'dansk-erhverv-test', kind: 'association' } });
  await app.strapi.documents('api::person.person').update({
    documentId: person.documentId,
    locale: 'da',
    data: { affiliations: [{ title: 'Markedschef', kind: 'employment', current: true, organisation: organisation.documentId }] },
  });
  expect(await row()).toMatchObject({ displayName: 'Ida Testesen (Dansk Erhverv)', currentAffiliation: 'Markedschef, Dansk Erhverv' });

  await app.strapi.documents('api::person.person').publish({ documentId: person.documentId, locale: 'da' });
  const response = await app.http().get(`/api/people/${person.documentId}`);
  expect(response.status).toBe(200);
  expect(response.body.data).not.toHaveProperty('displayName');
  expect(response.body.data).not.toHaveProperty('currentAffiliation');
});

it('applies nothing on a second run, and puts back a view changed by hand at the next boot', async () => {
  expect(await applyAdminViews(app.strapi)).toEqual([]);

  // What "Configure the view" does when an editor saves other columns.
  const contentTypes = app.strapi.plugin('content-manager').service('content-types');
  const model = contentTypes.findContentType('api::article.article');
  const stored = await contentTypes.findConfiguration(model);
  await contentTypes.updateConfiguration(model, { ...stored, layouts: { ...stored.layouts, list: ['title', 'lead'] } });
  expect((await configuration('api::article.article')).contentType.layouts.list).toEqual(['title', 'lead']);

  expect(await applyAdminViews(app.strapi)).toEqual(['api::article.article']);
  expect((await configuration('api::article.article')).contentType.layouts.list).toEqual(['title', 'topics', 'updatedAt']);
});

it('fills the slug from the title in the edit view, Danish letters spelled out as the API does', async () => {
  const response = await admin.post('/content-manager/uid/generate?locale=da', {
    contentTypeUID: 'api::article.article',
    field: 'slug',
    data: { title: 'Tør vi købe det nye på Bornholm?' },
  });
  expect(response.status).toBe(200);
  expect(response.body.data).toBe('toer-vi-koebe-det-nye-paa-bornholm');
});

it('proposes the next free slug in the locale, as saving would', async () => {
  await app.strapi.documents('api::article.article').create({ locale: 'da', data: { title: 'Samme titel', slug: 'samme-titel' } });
  const response = await admin.post('/content-manager/uid/generate?locale=da', {
    contentTypeUID: 'api::article.article',
    field: 'slug',
    data: { title: 'Samme titel' },
  });
  expect(response.body.data).toBe('samme-titel-2');
});
