/**
 * The change log records what the public can see change, from any write path, in the write's
 * own transaction: nothing for draft-only edits, nothing when the write rolls back.
 */
import { CHANGE_TABLE } from '../../src/lib/sync/change-store';
import { startApp, type TestApp } from '../helpers/app';
import { someFields } from '../helpers/documents';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

const TOPIC = 'api::topic.topic';
const VENUE = 'api::venue.venue';

async function changesOf(documentId: string, knex = app.strapi.db.connection) {
  const rows = await knex(CHANGE_TABLE).where({ document_id: documentId }).orderBy('id');
  return rows.map((row: { locale: string; action: string }) => `${row.locale}:${row.action}`);
}

it('logs publish, republish, unpublish and delete per locale, and nothing for draft edits', async () => {
  const topics = app.strapi.documents(TOPIC);
  const draft = await topics.create({ locale: 'da', data: someFields('api::topic.topic', { name: 'Velfærdsteknologi' }) });
  await topics.update({ documentId: draft.documentId, locale: 'en', data: { name: 'Welfare technology' } });
  expect(await changesOf(draft.documentId)).toEqual([]);

  await topics.publish({ documentId: draft.documentId, locale: '*' });
  await topics.update({ documentId: draft.documentId, locale: 'da', data: { name: 'Velfærdsteknologi i kommunerne' } });
  expect(await changesOf(draft.documentId)).toEqual(['da:published', 'en:published']);

  await topics.publish({ documentId: draft.documentId, locale: 'da' });
  await topics.unpublish({ documentId: draft.documentId, locale: 'en' });
  await topics.delete({ documentId: draft.documentId, locale: '*' });
  expect(await changesOf(draft.documentId)).toEqual(['da:published', 'en:published', 'da:updated', 'en:unpublished', 'da:deleted']);
});

it('logs created, updated and deleted for a type without drafts', async () => {
  const venues = app.strapi.documents(VENUE);
  const venue = await venues.create({ locale: 'da', data: { name: 'Folkemødets store telt' } });
  await venues.update({ documentId: venue.documentId, locale: 'da', data: { city: 'Allinge' } });
  await venues.delete({ documentId: venue.documentId, locale: 'da' });
  expect(await changesOf(venue.documentId)).toEqual(['da:created', 'da:updated', 'da:deleted']);
});

it('writes no change when the surrounding transaction rolls back', async () => {
  const topics = app.strapi.documents(TOPIC);
  let documentId = '';
  await expect(
    app.strapi.db.transaction(async ({ trx }) => {
      const topic = await topics.create({ locale: 'da', data: someFields('api::topic.topic', { name: 'Rullet tilbage' }), status: 'published' });
      documentId = topic.documentId;
      expect(await changesOf(documentId, trx)).toEqual(['da:published']);
      throw new Error('abort');
    }),
  ).rejects.toThrow('abort');
  expect(documentId).not.toBe('');
  expect(await changesOf(documentId)).toEqual([]);
});

it('gives positions in the order the changes were made', async () => {
  const topics = app.strapi.documents(TOPIC);
  const made: string[] = [];
  for (const name of ['Første', 'Anden', 'Tredje']) {
    const topic = await topics.create({ locale: 'da', data: someFields('api::topic.topic', { name }), status: 'published' });
    made.push(topic.documentId);
  }
  const rows = await app.strapi.db.connection(CHANGE_TABLE).whereIn('document_id', made).orderBy('id');
  expect(rows.map((row: { document_id: string }) => row.document_id)).toEqual(made);
});
