/** Shared by the review/merge tests: editors' sessions, documents to merge, and what to compare. */
import type { UID } from '@strapi/strapi';
import type { JsonBody, TestApp } from '../helpers/app';
import { loginWithRole, type AdminSession } from '../helpers/admin';
import { someFields } from '../helpers/documents';

export const PERSON = 'api::person.person';
export const ORGANISATION = 'api::organisation.organisation';
export const EVENT = 'api::event.event';
export const ARTICLE = 'api::article.article';
export const QUOTE = 'api::quote.quote';

export async function sessions(app: TestApp): Promise<{ editor: AdminSession; author: AdminSession }> {
  const roles = app.strapi.service('admin::role');
  const editor = await loginWithRole(app, (await roles.findOne({ code: 'editor' })).id);
  const author = await loginWithRole(app, (await roles.findOne({ code: 'author' })).id);
  return { editor, author };
}

/** A person in Danish and English, published in both unless `draft`. */
export async function makePerson(app: TestApp, name: string, options: { draft?: boolean } = {}): Promise<string> {
  const people = app.strapi.documents(PERSON);
  const created = await people.create({ locale: 'da', data: someFields(PERSON, { name, bio: `${name} (da)` }) });
  await people.update({ documentId: created.documentId, locale: 'en', data: someFields(PERSON, { name, bio: `${name} (en)` }) });
  if (!options.draft) await people.publish({ documentId: created.documentId, locale: '*' });
  return created.documentId;
}

/** The version a reviewer sees: the latest updatedAt of the document's rows. */
export async function versionOf(app: TestApp, uid: string, documentId: string): Promise<string | null> {
  const rows = await app.strapi.db.query(uid as UID.ContentType).findMany({ select: ['updatedAt'], where: { documentId } });
  const values = rows.map((row: { updatedAt: string }) => new Date(row.updatedAt).toISOString()).sort();
  return values[values.length - 1] ?? null;
}

export async function rowsOf(app: TestApp, uid: string, documentId: string): Promise<Array<{ locale: string; published: boolean }>> {
  const rows = await app.strapi.db.query(uid as UID.ContentType).findMany({ select: ['locale', 'publishedAt'], where: { documentId } });
  return rows
    .map((row: { locale: string; publishedAt: unknown }) => ({ locale: row.locale, published: Boolean(row.publishedAt) }))
    .sort((a, b) => `${a.locale}${a.published}`.localeCompare(`${b.locale}${b.published}`));
}

/** Everything a refused merge must leave alone: row counts of content and private tables, and the change log's head. */
export async function snapshot(app: TestApp): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const tables = [
    'people', 'events', 'organisations', 'articles', 'quotes', 'sync_changes', 'slug_histories', 'document_redirects',
    'partner_events', 'partner_identities', 'partner_match_candidates', 'webhook_deliveries',
    'articles_authors_lnk', 'quotes_person_lnk', 'components_events_participants_person_lnk',
  ];
  for (const table of tables) {
    const [row] = await app.strapi.db.connection(table).count({ n: '*' });
    counts[table] = Number((row as { n: number | string }).n);
  }
  const [max] = await app.strapi.db.connection('sync_changes').max({ head: 'id' });
  counts.head = Number((max as { head: number | null }).head ?? 0);
  return counts;
}

/** Every item of GET /api/sync after `cursor` (or from the start), and the cursor to go on from. */
export async function feedAfter(app: TestApp, cursor?: string): Promise<{ items: JsonBody[]; cursor: string }> {
  const items: JsonBody[] = [];
  for (;;) {
    const response = await app.http().get('/api/sync').query({ limit: 500, ...(cursor ? { cursor } : {}) });
    if (response.status !== 200) throw new Error(`GET /api/sync ${response.status}`);
    items.push(...response.body.data);
    cursor = response.body.meta.nextCursor as string;
    if (!response.body.meta.hasMore) return { items, cursor: cursor! };
  }
}
