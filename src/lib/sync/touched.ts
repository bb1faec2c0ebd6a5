/**
 * Which other answers a change to one document can alter, as dependency keys the response
 * cache and CDN purges share (issue 23):
 * - `doc:<documentId>` for every public document related to it, either way: what it points at
 *   (its relations, and those inside its components and dynamic zones) and what points at it
 *   (other documents' relations and components). Their answers may gain or lose the changed
 *   document, so they are touched both before the write (what it was related to) and after.
 * - `slug:<plural>:<slug>` for every slug it is published under, before and after: a slug
 *   lookup's answer changes when another document takes or leaves the slug.
 * Read from the published rows only (what the public sees), with the join tables Strapi's
 * metadata names, inside the writing transaction.
 */
import type { Core, UID } from '@strapi/strapi';
import type { Knex } from 'knex';
import { PUBLIC_CONTENT_TYPES } from '../access/content-types';
import { metaOf, ownersByComponent, referencesTo, type Meta } from '../db/references';

const PUBLIC = new Set<string>(PUBLIC_CONTENT_TYPES);
/** Components inside components inside components: deeper than any schema here. */
const MAX_COMPONENT_DEPTH = 5;

export const docKey = (documentId: string) => `doc:${documentId}`;
export const slugKey = (plural: string, slug: string) => `slug:${plural}:${slug}`;

function hasComponentTable(meta: Meta): boolean {
  const table = `${meta.tableName}_cmps`;
  return Object.values(meta.attributes).some((attribute) => attribute.joinTable?.name === table);
}

type Row = { uid: string; id: number };

function addTo(map: Map<number, Row[]>, id: number, rows: Row[]): void {
  const list = map.get(id);
  if (list) list.push(...rows);
  else map.set(id, [...rows]);
}

/** The public rows each row of `uid` (by id) points at, through its relations and its components. */
async function pointedAt(strapi: Core.Strapi, knex: Knex, uid: string, ids: number[], depth = 0): Promise<Map<number, Row[]>> {
  const found = new Map<number, Row[]>();
  const meta = metaOf(strapi, uid);
  if (!meta || ids.length === 0 || depth > MAX_COMPONENT_DEPTH) return found;
  for (const attribute of Object.values(meta.attributes)) {
    const joinTable = attribute.joinTable;
    if (attribute.type !== 'relation' || !attribute.target || !PUBLIC.has(attribute.target) || !joinTable || joinTable.morphColumn) continue;
    const source = joinTable.joinColumn.name;
    const target = joinTable.inverseJoinColumn.name;
    const rows = (await knex(joinTable.name).select(source, target).whereIn(source, ids)) as Array<Record<string, number>>;
    for (const row of rows) addTo(found, Number(row[source]), [{ uid: attribute.target, id: Number(row[target]) }]);
  }
  if (!hasComponentTable(meta)) return found;
  const components = (await knex(`${meta.tableName}_cmps`).select('entity_id', 'component_type', 'cmp_id').whereIn('entity_id', ids)) as Array<{
    entity_id: number;
    component_type: string;
    cmp_id: number;
  }>;
  const byComponent = new Map<string, number[]>();
  for (const row of components) {
    const ids = byComponent.get(row.component_type);
    if (ids) ids.push(Number(row.cmp_id));
    else byComponent.set(row.component_type, [Number(row.cmp_id)]);
  }
  const inside = new Map<string, Map<number, Row[]>>();
  for (const [component, componentIds] of byComponent) inside.set(component, await pointedAt(strapi, knex, component, componentIds, depth + 1));
  for (const row of components) addTo(found, Number(row.entity_id), inside.get(row.component_type)?.get(Number(row.cmp_id)) ?? []);
  return found;
}

/** The public rows pointing at each row of `uid` (by id), through their relations or components. */
async function pointingAt(strapi: Core.Strapi, knex: Knex, uid: string, ids: number[]): Promise<Map<number, Row[]>> {
  const found = new Map<number, Row[]>();
  if (ids.length === 0) return found;
  for (const reference of referencesTo(strapi, uid)) {
    const rows = (await knex(reference.table).select(reference.sourceColumn, reference.targetColumn).whereIn(reference.targetColumn, ids)) as Array<Record<string, number>>;
    if (rows.length === 0) continue;
    const sourceIds = [...new Set(rows.map((row) => Number(row[reference.sourceColumn])))];
    const owners = reference.sourceIsComponent ? await ownersByComponent(strapi, knex, reference.source, sourceIds) : undefined;
    for (const row of rows) {
      const source = Number(row[reference.sourceColumn]);
      const holders = owners ? (owners.get(source) ?? []) : [{ uid: reference.source, id: source }];
      addTo(
        found,
        Number(row[reference.targetColumn]),
        holders.filter((owner) => PUBLIC.has(owner.uid)),
      );
    }
  }
  return found;
}

/**
 * The dependency keys a change to `documentId` touches besides its own `doc:` key, in the
 * database's current state (call it before and after a write for both sides).
 */
export async function touchedKeys(strapi: Core.Strapi, knex: Knex, uid: string, documentId: string): Promise<Set<string>> {
  return (await touchedKeysOf(strapi, knex, uid, [documentId])).get(documentId) ?? new Set<string>();
}

/** The same for many documents of one type, with one set of statements for all of them. */
export async function touchedKeysOf(strapi: Core.Strapi, knex: Knex, uid: string, documentIds: string[]): Promise<Map<string, Set<string>>> {
  const keys = new Map<string, Set<string>>(documentIds.map((documentId) => [documentId, new Set<string>()]));
  const meta = metaOf(strapi, uid);
  if (!meta || documentIds.length === 0) return keys;
  const hasSlug = 'slug' in meta.attributes;
  const rows = (await knex(meta.tableName)
    .select(hasSlug ? ['id', 'document_id', 'slug'] : ['id', 'document_id'])
    .whereIn('document_id', documentIds)
    .whereNotNull('published_at')) as Array<{ id: number; document_id: string; slug?: string | null }>;
  if (rows.length === 0) return keys;
  const plural = strapi.contentType(uid as UID.ContentType)?.info.pluralName;
  for (const row of rows) if (row.slug && plural) keys.get(row.document_id)!.add(slugKey(plural, row.slug));

  const ids = rows.map((row) => Number(row.id));
  const outgoing = await pointedAt(strapi, knex, uid, ids);
  const incoming = await pointingAt(strapi, knex, uid, ids);
  const related = new Map<string, Set<number>>();
  for (const list of [...outgoing.values(), ...incoming.values()]) {
    for (const { uid: relatedUid, id } of list) related.set(relatedUid, (related.get(relatedUid) ?? new Set<number>()).add(id));
  }
  // Each related row's documentId, a statement per type.
  const documentOf = new Map<string, string>();
  for (const [relatedUid, relatedIds] of related) {
    const relatedMeta = metaOf(strapi, relatedUid);
    if (!relatedMeta || relatedIds.size === 0) continue;
    const documents = (await knex(relatedMeta.tableName).select('id', 'document_id').whereIn('id', [...relatedIds])) as Array<{ id: number; document_id: string }>;
    for (const document of documents) documentOf.set(`${relatedUid}|${Number(document.id)}`, document.document_id);
  }
  for (const row of rows) {
    const own = keys.get(row.document_id)!;
    for (const { uid: relatedUid, id } of [...(outgoing.get(Number(row.id)) ?? []), ...(incoming.get(Number(row.id)) ?? [])]) {
      const documentId = documentOf.get(`${relatedUid}|${id}`);
      if (documentId && documentId !== row.document_id) own.add(docKey(documentId));
    }
  }
  return keys;
}
