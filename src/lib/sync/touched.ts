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
import { metaOf, ownersOfComponents, referencesTo, type Meta } from '../db/references';

const PUBLIC = new Set<string>(PUBLIC_CONTENT_TYPES);
/** Components inside components inside components: deeper than any schema here. */
const MAX_COMPONENT_DEPTH = 5;

export const docKey = (documentId: string) => `doc:${documentId}`;
export const slugKey = (plural: string, slug: string) => `slug:${plural}:${slug}`;

function hasComponentTable(meta: Meta): boolean {
  const table = `${meta.tableName}_cmps`;
  return Object.values(meta.attributes).some((attribute) => attribute.joinTable?.name === table);
}

/** Rows (by model) that rows of `uid` point at, through relations and their components. */
async function pointedAt(strapi: Core.Strapi, knex: Knex, uid: string, ids: number[], found: Map<string, Set<number>>, depth = 0): Promise<void> {
  const meta = metaOf(strapi, uid);
  if (!meta || ids.length === 0 || depth > MAX_COMPONENT_DEPTH) return;
  for (const attribute of Object.values(meta.attributes)) {
    const joinTable = attribute.joinTable;
    if (attribute.type !== 'relation' || !attribute.target || !PUBLIC.has(attribute.target) || !joinTable || joinTable.morphColumn) continue;
    const rows = (await knex(joinTable.name).select(joinTable.inverseJoinColumn.name).whereIn(joinTable.joinColumn.name, ids)) as Array<Record<string, number>>;
    const targets = found.get(attribute.target) ?? new Set<number>();
    for (const row of rows) targets.add(Number(row[joinTable.inverseJoinColumn.name]));
    found.set(attribute.target, targets);
  }
  if (!hasComponentTable(meta)) return;
  const components = (await knex(`${meta.tableName}_cmps`).select('component_type', 'cmp_id').whereIn('entity_id', ids)) as Array<{ component_type: string; cmp_id: number }>;
  const byComponent = new Map<string, number[]>();
  for (const row of components) byComponent.set(row.component_type, [...(byComponent.get(row.component_type) ?? []), Number(row.cmp_id)]);
  for (const [component, componentIds] of byComponent) await pointedAt(strapi, knex, component, componentIds, found, depth + 1);
}

/** Rows (by content type) whose relations or components point at rows of `uid`. */
async function pointingAt(strapi: Core.Strapi, knex: Knex, uid: string, ids: number[], found: Map<string, Set<number>>): Promise<void> {
  if (ids.length === 0) return;
  for (const reference of referencesTo(strapi, uid)) {
    const rows = (await knex(reference.table).select(reference.sourceColumn).whereIn(reference.targetColumn, ids)) as Array<Record<string, number>>;
    const sourceIds = [...new Set(rows.map((row) => Number(row[reference.sourceColumn])))];
    if (sourceIds.length === 0) continue;
    const owners = reference.sourceIsComponent
      ? await ownersOfComponents(strapi, knex, reference.source, sourceIds)
      : sourceIds.map((id) => ({ uid: reference.source, id }));
    for (const owner of owners) {
      if (!PUBLIC.has(owner.uid)) continue;
      const set = found.get(owner.uid) ?? new Set<number>();
      set.add(owner.id);
      found.set(owner.uid, set);
    }
  }
}

/**
 * The dependency keys a change to `documentId` touches besides its own `doc:` key, in the
 * database's current state (call it before and after a write for both sides).
 */
export async function touchedKeys(strapi: Core.Strapi, knex: Knex, uid: string, documentId: string): Promise<Set<string>> {
  const keys = new Set<string>();
  const meta = metaOf(strapi, uid);
  if (!meta) return keys;
  const hasSlug = 'slug' in meta.attributes;
  const rows = (await knex(meta.tableName)
    .select(hasSlug ? ['id', 'slug'] : ['id'])
    .where('document_id', documentId)
    .whereNotNull('published_at')) as Array<{ id: number; slug?: string | null }>;
  if (rows.length === 0) return keys;
  const plural = strapi.contentType(uid as UID.ContentType)?.info.pluralName;
  for (const row of rows) if (row.slug && plural) keys.add(slugKey(plural, row.slug));

  const ids = rows.map((row) => Number(row.id));
  const related = new Map<string, Set<number>>();
  await pointedAt(strapi, knex, uid, ids, related);
  await pointingAt(strapi, knex, uid, ids, related);
  for (const [relatedUid, relatedIds] of related) {
    const relatedMeta = metaOf(strapi, relatedUid);
    if (!relatedMeta || relatedIds.size === 0) continue;
    const documents = (await knex(relatedMeta.tableName).distinct('document_id').whereIn('id', [...relatedIds])) as Array<{ document_id: string }>;
    for (const document of documents) if (document.document_id !== documentId) keys.add(docKey(document.document_id));
  }
  return keys;
}
