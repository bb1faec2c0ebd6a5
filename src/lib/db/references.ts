/**
 * Every place a document of a type can be pointed at, found in the database metadata rather
 * than listed by hand: each owner-side relation (content types and components alike) whose
 * target is the type, with its join table. And, for a component row that points, the documents
 * it belongs to (through the `<table>_cmps` tables, nested components included).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { allModelMetadata, modelMetadata } from '../../strapi-seam/db-metadata';

export interface JoinTable {
  name: string;
  joinColumn: { name: string };
  inverseJoinColumn: { name: string };
  /** The position of the target among the source's (`<target>_ord`), on ordered relations. */
  orderColumnName?: string;
  /** The position of the source among the target's (`<source>_ord`), on relations ordered both ways. */
  inverseOrderColumnName?: string;
  morphColumn?: unknown;
}

export interface MetaAttribute {
  type: string;
  relation?: string;
  target?: string;
  mappedBy?: string;
  joinTable?: JoinTable;
}

export interface Meta {
  uid: string;
  tableName: string;
  attributes: Record<string, MetaAttribute>;
}

export interface Reference {
  /** The model that points (a content type or a component). */
  source: string;
  sourceIsComponent: boolean;
  attribute: string;
  table: string;
  /** The column holding the pointing row's id. */
  sourceColumn: string;
  /** The column holding the id of the row pointed at. */
  targetColumn: string;
  /** Self-references: a row may not be made to point at itself. */
  selfReference: boolean;
}

export function metas(strapi: Core.Strapi): Meta[] {
  return allModelMetadata<Meta>(strapi);
}

/** One model's database metadata (its table, its attributes with their join tables). */
export function metaOf(strapi: Core.Strapi, uid: string): Meta | undefined {
  return modelMetadata<Meta>(strapi, uid);
}

/** Owner-side relations into `uid`, one per join table and column. */
export function referencesTo(strapi: Core.Strapi, uid: string): Reference[] {
  const found = new Map<string, Reference>();
  for (const meta of metas(strapi)) {
    for (const [name, attribute] of Object.entries(meta.attributes)) {
      if (attribute.type !== 'relation' || attribute.target !== uid || attribute.mappedBy || !attribute.joinTable) continue;
      const joinTable = attribute.joinTable;
      if (joinTable.morphColumn) continue;
      const key = `${joinTable.name}|${joinTable.inverseJoinColumn.name}`;
      if (found.has(key)) continue;
      found.set(key, {
        source: meta.uid,
        sourceIsComponent: Boolean(strapi.components[meta.uid as keyof typeof strapi.components]),
        attribute: name,
        table: joinTable.name,
        sourceColumn: joinTable.joinColumn.name,
        targetColumn: joinTable.inverseJoinColumn.name,
        selfReference: meta.uid === uid,
      });
    }
  }
  return [...found.values()];
}

/** The content-type rows that hold these component rows (directly or through other components). */
export async function ownersOfComponents(
  strapi: Core.Strapi,
  knex: Knex,
  componentUid: string,
  ids: number[],
): Promise<Array<{ uid: string; id: number }>> {
  const owners = new Map<string, { uid: string; id: number }>();
  for (const list of (await ownersByComponent(strapi, knex, componentUid, ids)).values()) for (const owner of list) owners.set(`${owner.uid}|${owner.id}`, owner);
  return [...owners.values()];
}

/** The same, by component id: the content-type rows holding each of `ids`. */
export async function ownersByComponent(
  strapi: Core.Strapi,
  knex: Knex,
  componentUid: string,
  ids: number[],
  depth = 0,
): Promise<Map<number, Array<{ uid: string; id: number }>>> {
  const owners = new Map<number, Array<{ uid: string; id: number }>>();
  if (ids.length === 0 || depth > 5) return owners;
  const add = (id: number, found: Array<{ uid: string; id: number }>) => {
    const list = owners.get(id);
    if (list) list.push(...found);
    else owners.set(id, [...found]);
  };
  for (const meta of metas(strapi)) {
    const table = `${meta.tableName}_cmps`;
    const holds = Object.values(meta.attributes).some((attribute) => attribute.joinTable?.name === table);
    if (!holds) continue;
    const rows = (await knex(table).select('entity_id', 'cmp_id').where('component_type', componentUid).whereIn('cmp_id', ids)) as Array<{ entity_id: number; cmp_id: number }>;
    if (rows.length === 0) continue;
    if (strapi.components[meta.uid as keyof typeof strapi.components]) {
      const outer = await ownersByComponent(strapi, knex, meta.uid, [...new Set(rows.map((row) => Number(row.entity_id)))], depth + 1);
      for (const row of rows) add(Number(row.cmp_id), outer.get(Number(row.entity_id)) ?? []);
    } else {
      for (const row of rows) add(Number(row.cmp_id), [{ uid: meta.uid, id: Number(row.entity_id) }]);
    }
  }
  return owners;
}

