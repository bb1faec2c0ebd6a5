/**
 * What a test writes through the Document Service. Strapi's generated input type requires every
 * required field (the slug our lifecycles fill, for one) and has no room for what the Document
 * Service accepts besides (a relation inside a component by documentId, null to clear a field).
 * A test gives only the fields it is about, as an editor does: their names are checked against
 * the content type's schema, their values are what Strapi takes at run time.
 */
import type { Core, Modules, UID } from '@strapi/strapi';
import { contentTypes } from '@strapi/utils';

type Input<T extends UID.ContentType> = Modules.Documents.Params.Data.Input<T>;
export type SomeFields<T extends UID.ContentType> = { [K in keyof Input<T>]?: unknown };

/** `data` for create/update of `uid`: some of its fields. */
export function someFields<T extends UID.ContentType>(_uid: T, data: SomeFields<T>): Input<T> {
  return data as Input<T>;
}

/** A document as the Document Service answers it, its fields read by the test. */
export type Entry = { id: number; documentId: string; [field: string]: unknown };

/**
 * The Document Service for a content type the test picks at run time (a table of cases, a uid
 * parameter): params and answers as plain records, since no one uid's types apply.
 */
export interface LooseDocuments {
  create(params: Record<string, unknown>): Promise<Entry>;
  update(params: Record<string, unknown>): Promise<Entry | null>;
  publish(params: Record<string, unknown>): Promise<unknown>;
  delete(params: Record<string, unknown>): Promise<unknown>;
  findOne(params: Record<string, unknown>): Promise<Entry | null>;
  findFirst(params: Record<string, unknown>): Promise<Entry | null>;
  findMany(params: Record<string, unknown>): Promise<Entry[]>;
}

export const looseDocuments = (strapi: Core.Strapi, uid: string): LooseDocuments =>
  strapi.documents(uid as UID.ContentType) as unknown as LooseDocuments;

type RelationMeta = {
  type: string;
  relation?: string;
  target?: string;
  mappedBy?: string;
  joinTable?: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string }; morphColumn?: unknown };
};

/**
 * Each link between our types' rows of different status (a published row to a draft, or the
 * reverse), as `<join table> <owner id> -> <target id>`, where both types have drafts. The
 * Document Service never writes one (it links a row to the target's row of its own status), and
 * public counts through a relation rely on that (src/lib/http/published-targets.ts).
 */
export async function linksAcrossStatus(strapi: Core.Strapi): Promise<string[]> {
  const knex = strapi.db.connection;
  const found: string[] = [];
  const hasDrafts = (uid: string) => contentTypes.hasDraftAndPublish(strapi.getModel(uid as UID.ContentType));
  for (const uid of Object.keys(strapi.contentTypes)) {
    if (!uid.startsWith('api::') || !hasDrafts(uid)) continue;
    const meta = strapi.db.metadata.get(uid) as { tableName: string; attributes: Record<string, RelationMeta> };
    for (const attribute of Object.values(meta.attributes)) {
      const { joinTable, target } = attribute;
      // The owning side only: the inverse side (mappedBy) reads the same table.
      if (attribute.type !== 'relation' || attribute.mappedBy || !joinTable || joinTable.morphColumn || !target || !hasDrafts(target)) continue;
      const targetTable = (strapi.db.metadata.get(target) as { tableName: string }).tableName;
      const rows = (await knex(`${joinTable.name} as link`)
        .join(`${meta.tableName} as owner`, 'owner.id', `link.${joinTable.joinColumn.name}`)
        .join(`${targetTable} as target`, 'target.id', `link.${joinTable.inverseJoinColumn.name}`)
        .whereRaw('(owner.published_at is null) <> (target.published_at is null)')
        .select('owner.id as owner', 'target.id as target')) as Array<{ owner: number; target: number }>;
      found.push(...rows.map((row) => `${joinTable.name} ${row.owner} -> ${row.target}`));
    }
  }
  return found.sort();
}
