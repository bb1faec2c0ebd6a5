/**
 * What the lossless-merge tests count and compare, read independently of src/api/partner/merge:
 * - a document's inventory: every value of every field it owns (scalars, relation targets,
 *   files, components) per locale, draft and published, read through the Document Service;
 * - every table's row count (nothing half-written after a refused request);
 * - the public answers a front end gets (REST by documentId and slug, GraphQL), as text.
 */
import type { UID } from '@strapi/strapi';
import type { TestApp } from '../helpers/app';
import { looseDocuments, type Entry } from '../helpers/documents';

const SYSTEM = new Set(['id', 'documentId', 'locale', 'publishedAt', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'localizations']);
const DERIVED = new Set(['displayName', 'currentAffiliation']);
export const LOCALES = ['da', 'en'] as const;
export const STATES = ['draft', 'published'] as const;

interface Attribute {
  type: string;
  mappedBy?: string;
  relation?: string;
  multiple?: boolean;
  repeatable?: boolean;
  component?: string;
}

function attributesOf(app: TestApp, uid: string): Record<string, Attribute> {
  return (app.strapi.getModel(uid as UID.Schema) as unknown as { attributes: Record<string, Attribute> }).attributes;
}

/** The fields a merge accounts for: everything a document owns but its system fields, slug and derived fields. */
export function ownedFields(app: TestApp, uid: string): Array<[string, Attribute]> {
  return Object.entries(attributesOf(app, uid)).filter(([name, attribute]) => !SYSTEM.has(name) && !DERIVED.has(name) && attribute.type !== 'uid' && !(attribute.type === 'relation' && attribute.mappedBy));
}

function populateOf(app: TestApp, uid: string): Record<string, unknown> {
  const populate: Record<string, unknown> = {};
  for (const [name, attribute] of ownedFields(app, uid)) {
    if (attribute.type === 'relation' || attribute.type === 'media') populate[name] = true;
    if (attribute.type === 'component') {
      const inner: Record<string, unknown> = {};
      for (const [innerName, innerAttribute] of Object.entries(attributesOf(app, attribute.component!))) {
        if (innerAttribute.type === 'relation' || innerAttribute.type === 'media') inner[innerName] = true;
      }
      populate[name] = { populate: inner };
    }
  }
  return populate;
}

/** A JSON text with keys sorted, for comparing values. */
export function sorted(value: unknown): string {
  const walk = (inner: unknown): unknown => {
    if (Array.isArray(inner)) return inner.map(walk);
    if (inner && typeof inner === 'object') return Object.fromEntries(Object.keys(inner).sort().map((key) => [key, walk((inner as Record<string, unknown>)[key])]));
    return inner;
  };
  return JSON.stringify(walk(value ?? null));
}

/** A component as compared: its fields, relations by documentId, files by id. */
function componentItem(app: TestApp, componentUid: string, component: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(attributesOf(app, componentUid))) {
    if (name === 'id') continue;
    const value = component[name];
    if (attribute.type === 'relation') out[name] = Array.isArray(value) ? value.map((item: { documentId: string }) => ({ documentId: item.documentId })) : value ? { documentId: (value as { documentId: string }).documentId } : null;
    else if (attribute.type === 'media') out[name] = Array.isArray(value) ? value.map((item: { id: number }) => ({ id: item.id })) : value ? { id: (value as { id: number }).id } : null;
    else out[name] = value ?? null;
  }
  return sorted(out);
}

/** One field's value as items: `name=<json>`, `name-><documentId>`, `name#<file id>`, `name:<component>`. */
export function itemsOf(app: TestApp, uid: string, name: string, value: unknown): string[] {
  const attribute = attributesOf(app, uid)[name]!;
  const list = (inner: unknown) => (Array.isArray(inner) ? inner : inner ? [inner] : []) as Array<Record<string, unknown>>;
  if (attribute.type === 'relation') return list(value).map((item) => `${name}->${String(item.documentId)}`);
  if (attribute.type === 'media') return list(value).map((item) => `${name}#${String(item.id)}`);
  if (attribute.type === 'component') return list(value).map((item) => `${name}:${componentItem(app, attribute.component!, item)}`);
  return [`${name}=${sorted(value ?? null)}`];
}

/** Every item of a document, by `locale|state`. */
export async function inventory(app: TestApp, uid: string, documentId: string): Promise<Map<string, Set<string>>> {
  const found = new Map<string, Set<string>>();
  const documents = looseDocuments(app.strapi, uid);
  for (const locale of LOCALES) {
    for (const status of STATES) {
      const entry = (await documents.findOne({ documentId, locale, status, populate: populateOf(app, uid) })) as Entry | null;
      if (!entry || entry.locale !== locale) continue;
      const items = new Set<string>();
      for (const [name] of ownedFields(app, uid)) for (const item of itemsOf(app, uid, name, entry[name])) items.add(item);
      found.set(`${locale}|${status}`, items);
    }
  }
  return found;
}

/** A value the merge record says it dropped, as an item. */
export interface Dropped {
  field: string;
  locale: string | null;
  from: 'keep' | 'merge';
  value: unknown;
}

/** An empty scalar: nothing to lose when the other side's value fills it. */
const EMPTY = /^[^=]+=(null|""|\[\])$/;

/**
 * What of `before` (a document's inventory before the merge) the kept document has not (at the
 * same locale and state) and the merge record does not list as dropped: should be nothing.
 */
export function unaccounted(app: TestApp, uid: string, before: Map<string, Set<string>>, after: Map<string, Set<string>>, dropped: Dropped[]): string[] {
  const droppedItems = dropped.map((entry) => ({ ...entry, items: itemsOf(app, uid, entry.field, entry.value) }));
  const missing: string[] = [];
  for (const [key, items] of before) {
    const locale = key.split('|')[0]!;
    for (const item of items) {
      if (after.get(key)?.has(item) || EMPTY.test(item)) continue;
      const field = item.split(/=|->|#|:/)[0]!;
      if (droppedItems.some((entry) => entry.field === field && (entry.locale === null || entry.locale === locale) && entry.items.includes(item))) continue;
      missing.push(`${key} ${item}`);
    }
  }
  return missing;
}

/** Row counts of every table of the app's database. */
export async function tableCounts(app: TestApp): Promise<Record<string, number>> {
  const knex = app.strapi.db.connection;
  const tables =
    app.strapi.db.dialect.client === 'sqlite'
      ? ((await knex('sqlite_master').select('name').where({ type: 'table' }).whereNot('name', 'like', 'sqlite_%')) as Array<{ name: string }>).map((row) => row.name)
      : ((await knex('pg_tables').select('tablename').whereRaw('schemaname = current_schema()')) as Array<{ tablename: string }>).map((row) => row.tablename);
  const counts: Record<string, number> = {};
  for (const table of tables.sort()) {
    const [row] = await knex(table).count({ n: '*' });
    counts[table] = Number((row as { n: number | string }).n);
  }
  return counts;
}

/**
 * Logs that grow with every write, whatever it is; and SQLite FTS5's own segment tables, whose
 * row count follows how often the index was written, not what it holds (search_fts_content and
 * search_fts_docsize hold one row per indexed document and are compared).
 */
export const LOG_TABLES = ['sync_changes', 'webhook_deliveries', 'merge_records', 'search_state', 'search_fts_data', 'search_fts_idx'];

export const withoutLogs = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([table]) => !LOG_TABLES.includes(table)));

/** GraphQL as the raw answer text. */
export async function graphqlText(app: TestApp, query: string): Promise<string> {
  const response = await app.http().post('/graphql').set('content-type', 'application/json').send({ query });
  return `${response.status} ${response.text}`;
}

/** REST GET as status and text. */
export async function restText(app: TestApp, path: string, query: Record<string, string> = {}): Promise<string> {
  const response = await app.http().get(path).query(query);
  return `${response.status} ${response.text}`;
}
