/**
 * What of a document a merge compares and lets the editor choose, found in the content type's
 * schema and Strapi's database metadata rather than listed by hand, and how each is read from
 * the rows (raw, with knex, inside the merge's transaction):
 * - scalar fields (text, numbers, dates, enumerations, JSON, blocks): one column;
 * - relations the type owns (an event's venue, organisers, topics, parent): link rows, their
 *   targets named by documentId;
 * - media (a person's photo, an organisation's logo): rows of `files_related_mph`;
 * - components (a person's affiliations, an event's participants): rows of `<table>_cmps`, each
 *   component with its own fields and relations. Two components are "the same" by a key per
 *   component (`sameKey`): an affiliation by organisation and title, a participant by person.
 *
 * Not offered: the system fields, the slug (the merged document's slugs keep leading to the kept
 * one through slug history), relations pointing in (other documents' links: they move), fields
 * worked out from others (a person's displayName and currentAffiliation), and kinds no merged
 * type has (dynamic zones, components the same in every locale).
 *
 * Localised as Strapi's i18n decides (services/content-types.js `isLocalizedAttribute`): an
 * attribute marked localized, every relation and the uid; the others have one value in every
 * locale and are chosen once.
 */
import type { Core, UID } from '@strapi/strapi';
import type { Knex } from 'knex';
import { canonicalJson } from '../../../lib/json/canonical';
import { metaOf, type MetaAttribute } from '../../../lib/db/references';
import type { RawRow } from './rows';

export type Choice = 'keep' | 'merge' | 'both';
export type FieldKind = 'scalar' | 'relation' | 'media' | 'component';

export interface LinkTable {
  table: string;
  sourceColumn: string;
  targetColumn: string;
  orderColumn?: string;
  inverseOrderColumn?: string;
}

export interface MergeField {
  name: string;
  kind: FieldKind;
  localized: boolean;
  /** A list (to-many relation, several files, repeatable component) rather than one value. */
  multiple: boolean;
  choices: Choice[];
  /** scalar: the column. */
  column?: string;
  /** scalar: the attribute type (for showing the value). */
  type?: string;
  /** relation: the link table; the target content type. */
  link?: LinkTable;
  target?: string;
  /** component: the component uid and the owner's `<table>_cmps`. */
  component?: string;
  componentTable?: string;
}

interface SchemaAttribute {
  type: string;
  relation?: string;
  target?: string;
  mappedBy?: string;
  multiple?: boolean;
  repeatable?: boolean;
  component?: string;
  pluginOptions?: { i18n?: { localized?: boolean } };
}

interface DbAttribute extends MetaAttribute {
  columnName?: string;
  joinTable?: MetaAttribute['joinTable'] & { orderColumnName?: string; inverseOrderColumnName?: string; on?: Record<string, unknown> };
}

const SYSTEM = new Set(['id', 'documentId', 'locale', 'publishedAt', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'localizations']);
/** Fields worked out from others after every write (src/api/person/display-fields.ts). */
const DERIVED: Record<string, string[]> = { 'api::person.person': ['displayName', 'currentAffiliation'] };

export const FILE_UID = 'plugin::upload.file';

/** Where Strapi links files to rows: the upload plugin's morph join table (files_related_mph), from its metadata. */
export interface MediaLinks {
  table: string;
  filesTable: string;
  fileColumn: string;
  idColumn: string;
  typeColumn: string;
}

export function mediaLinks(strapi: Core.Strapi): MediaLinks {
  const files = metaOf(strapi, FILE_UID);
  const joinTable = (files?.attributes.related as { joinTable?: { name: string; joinColumn: { name: string }; morphColumn?: { idColumn: { name: string }; typeColumn: { name: string } } } } | undefined)
    ?.joinTable;
  if (!files || !joinTable?.morphColumn) throw new Error(`merge: ${FILE_UID}.related is not the morph join table this code reads files through (files_related_mph)`);
  return { table: joinTable.name, filesTable: files.tableName, fileColumn: joinTable.joinColumn.name, idColumn: joinTable.morphColumn.idColumn.name, typeColumn: joinTable.morphColumn.typeColumn.name };
}

const isLocalized = (attribute: SchemaAttribute) => attribute.pluginOptions?.i18n?.localized === true || attribute.type === 'relation' || attribute.type === 'uid';

function schemaOf(strapi: Core.Strapi, uid: string): Record<string, SchemaAttribute> {
  const model = strapi.getModel(uid as UID.Schema) as { attributes: Record<string, SchemaAttribute> } | undefined;
  if (!model) throw new Error(`merge: unknown model ${uid}`);
  return model.attributes;
}

/** The fields of a content type (or component) a merge compares, in schema order. */
export function mergeFields(strapi: Core.Strapi, uid: string): MergeField[] {
  const attributes = schemaOf(strapi, uid);
  const meta = metaOf(strapi, uid);
  if (!meta) throw new Error(`merge: no database metadata for ${uid}`);
  const dbAttributes = meta.attributes as Record<string, DbAttribute>;
  const derived = new Set(DERIVED[uid] ?? []);
  const fields: MergeField[] = [];
  for (const [name, attribute] of Object.entries(attributes)) {
    if (SYSTEM.has(name) || derived.has(name) || attribute.type === 'uid' || attribute.type === 'dynamiczone') continue;
    const localized = isLocalized(attribute);
    if (attribute.type === 'relation') {
      const joinTable = dbAttributes[name]?.joinTable;
      if (attribute.mappedBy || !joinTable || joinTable.morphColumn || !attribute.target) continue;
      const multiple = ['oneToMany', 'manyToMany'].includes(attribute.relation ?? '');
      fields.push({
        name,
        kind: 'relation',
        localized,
        multiple,
        choices: multiple ? ['keep', 'merge', 'both'] : ['keep', 'merge'],
        target: attribute.target,
        link: {
          table: joinTable.name,
          sourceColumn: joinTable.joinColumn.name,
          targetColumn: joinTable.inverseJoinColumn.name,
          orderColumn: joinTable.orderColumnName,
          inverseOrderColumn: joinTable.inverseOrderColumnName,
        },
      });
    } else if (attribute.type === 'media') {
      const multiple = attribute.multiple === true;
      fields.push({ name, kind: 'media', localized, multiple, choices: multiple ? ['keep', 'merge', 'both'] : ['keep', 'merge'] });
    } else if (attribute.type === 'component') {
      if (!localized || !attribute.component) continue;
      const multiple = attribute.repeatable === true;
      fields.push({
        name,
        kind: 'component',
        localized,
        multiple,
        choices: multiple ? ['keep', 'merge', 'both'] : ['keep', 'merge'],
        component: attribute.component,
        componentTable: `${meta.tableName}_cmps`,
      });
    } else {
      fields.push({ name, kind: 'scalar', localized, multiple: false, choices: ['keep', 'merge'], column: dbAttributes[name]?.columnName ?? name, type: attribute.type });
    }
  }
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Reading values

/** A link to another document's row. */
export interface LinkValue {
  /** The link row's id. */
  linkId: number;
  targetId: number;
  documentId: string | null;
  label: string | null;
  order: number | null;
  inverseOrder: number | null;
}

/** A file link (`files_related_mph` row). */
export interface MediaValue {
  linkId: number;
  fileId: number;
  order: number | null;
  name: string | null;
  url: string | null;
  mime: string | null;
}

/** One component of a component field. */
export interface ComponentValue {
  /** The `<table>_cmps` row's id. */
  linkId: number;
  componentId: number;
  componentType: string;
  order: number | null;
  /** Its fields as the editor sees them (relations as { documentId, label }). */
  content: Record<string, unknown>;
  /** Which other component is "the same" one (see sameKey). */
  key: string;
}

export type FieldValue = unknown | LinkValue[] | MediaValue[] | ComponentValue[];

const LABEL_FIELDS = ['title', 'name', 'label'];

/** The documentId and label of rows of a content type, by row id. */
async function targetsOf(strapi: Core.Strapi, knex: Knex, uid: string, ids: number[]): Promise<Map<number, { documentId: string | null; label: string | null }>> {
  const found = new Map<number, { documentId: string | null; label: string | null }>();
  const meta = metaOf(strapi, uid);
  if (!meta || ids.length === 0) return found;
  const attributes = meta.attributes as Record<string, DbAttribute>;
  const labelField = LABEL_FIELDS.find((field) => attributes[field]);
  const labelColumn = labelField ? (attributes[labelField]?.columnName ?? labelField) : null;
  const columns = ['id', ...(attributes.documentId ? ['document_id'] : []), ...(labelColumn ? [labelColumn] : [])];
  const rows = (await knex(meta.tableName).select(columns).whereIn('id', [...new Set(ids)])) as RawRow[];
  for (const row of rows) {
    found.set(Number(row.id), { documentId: (row.document_id as string | undefined) ?? null, label: labelColumn ? ((row[labelColumn] as string | null) ?? null) : null });
  }
  return found;
}

const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/** Links of a relation for each owner row, in order. */
export async function readLinks(strapi: Core.Strapi, knex: Knex, field: MergeField, ownerIds: number[]): Promise<Map<number, LinkValue[]>> {
  const link = field.link!;
  const query = knex(link.table).select('*').whereIn(link.sourceColumn, ownerIds);
  const rows = (await (link.orderColumn ? query.orderBy([{ column: link.orderColumn }, { column: 'id' }]) : query.orderBy('id'))) as RawRow[];
  const targets = await targetsOf(strapi, knex, field.target!, rows.map((row) => Number(row[link.targetColumn])));
  const byOwner = new Map<number, LinkValue[]>(ownerIds.map((id) => [id, []]));
  for (const row of rows) {
    const targetId = Number(row[link.targetColumn]);
    const target = targets.get(targetId);
    byOwner.get(Number(row[link.sourceColumn]))?.push({
      linkId: Number(row.id),
      targetId,
      documentId: target?.documentId ?? null,
      label: target?.label ?? null,
      order: link.orderColumn ? numberOrNull(row[link.orderColumn]) : null,
      inverseOrder: link.inverseOrderColumn ? numberOrNull(row[link.inverseOrderColumn]) : null,
    });
  }
  return byOwner;
}

/** File links of a media field for each owner row of `ownerUid`, in order. */
export async function readMedia(knex: Knex, media: MediaLinks, ownerUid: string, fieldName: string, ownerIds: number[]): Promise<Map<number, MediaValue[]>> {
  const rows = (await knex(media.table)
    .select('*')
    .where({ [media.typeColumn]: ownerUid, field: fieldName })
    .whereIn(media.idColumn, ownerIds)
    .orderBy([{ column: 'order' }, { column: 'id' }])) as RawRow[];
  const files = rows.length
    ? ((await knex(media.filesTable).select('id', 'name', 'url', 'mime').whereIn('id', [...new Set(rows.map((row) => Number(row[media.fileColumn])))])) as RawRow[])
    : [];
  const fileById = new Map(files.map((file) => [Number(file.id), file]));
  const byOwner = new Map<number, MediaValue[]>(ownerIds.map((id) => [id, []]));
  for (const row of rows) {
    const file = fileById.get(Number(row[media.fileColumn]));
    byOwner.get(Number(row[media.idColumn]))?.push({
      linkId: Number(row.id),
      fileId: Number(row[media.fileColumn]),
      order: numberOrNull(row.order),
      name: (file?.name as string | undefined) ?? null,
      url: (file?.url as string | undefined) ?? null,
      mime: (file?.mime as string | undefined) ?? null,
    });
  }
  return byOwner;
}

/** A scalar as the editor reads it: dates as ISO text, booleans as booleans, JSON parsed. */
export function shownScalar(type: string | undefined, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'datetime':
    case 'timestamp':
      return new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value as string | number | Date)).toISOString();
    case 'boolean':
      return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
    case 'json':
    case 'blocks':
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    case 'integer':
    case 'float':
      return Number(value);
    default:
      return value instanceof Date ? value.toISOString() : value;
  }
}

/**
 * When two components of one field are the same one: an affiliation at the same organisation
 * with the same title (case and spacing aside), a participant who is the same person. Others:
 * the same content.
 */
export function sameKey(componentUid: string, content: Record<string, unknown>): string {
  const documentIdOf = (value: unknown) => (value && typeof value === 'object' && 'documentId' in value ? (value as { documentId: string | null }).documentId : null);
  if (componentUid === 'people.affiliation') {
    const title = typeof content.title === 'string' ? content.title.trim().replace(/\s+/g, ' ').toLocaleLowerCase('da') : '';
    return `organisation:${documentIdOf(content.organisation) ?? '-'}|title:${title}`;
  }
  if (componentUid === 'events.participant' && documentIdOf(content.person)) return `person:${documentIdOf(content.person)}`;
  return canonicalJson(comparable(content));
}

/** A value without what is only there to show it (labels, file names and URLs), for comparing. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (SHOWN_ONLY.has(key)) continue;
      out[key] = comparable(inner);
    }
    return out;
  }
  return value;
}
const SHOWN_ONLY = new Set(['label', 'name', 'url', 'mime']);

/** The components of a component field for each owner row, in order, with their content. */
export async function readComponents(strapi: Core.Strapi, knex: Knex, field: MergeField, ownerIds: number[]): Promise<Map<number, ComponentValue[]>> {
  const links = (await knex(field.componentTable!)
    .select('*')
    .where({ field: field.name })
    .whereIn('entity_id', ownerIds)
    .orderBy([{ column: 'order' }, { column: 'id' }])) as RawRow[];
  const byType = new Map<string, number[]>();
  for (const link of links) byType.set(String(link.component_type), [...(byType.get(String(link.component_type)) ?? []), Number(link.cmp_id)]);
  const contents = new Map<string, Record<string, unknown>>();
  for (const [componentUid, ids] of byType) {
    for (const [id, content] of await componentContents(strapi, knex, componentUid, ids)) contents.set(`${componentUid}|${id}`, content);
  }
  const byOwner = new Map<number, ComponentValue[]>(ownerIds.map((id) => [id, []]));
  for (const link of links) {
    const componentType = String(link.component_type);
    const content = contents.get(`${componentType}|${Number(link.cmp_id)}`) ?? {};
    byOwner.get(Number(link.entity_id))?.push({
      linkId: Number(link.id),
      componentId: Number(link.cmp_id),
      componentType,
      order: numberOrNull(link.order),
      content,
      key: sameKey(componentType, content),
    });
  }
  return byOwner;
}

/** Components' own fields, their relations as { documentId, label } (a list for to-many), media as files. */
async function componentContents(strapi: Core.Strapi, knex: Knex, componentUid: string, ids: number[]): Promise<Map<number, Record<string, unknown>>> {
  const meta = metaOf(strapi, componentUid);
  const result = new Map<number, Record<string, unknown>>();
  if (!meta) return result;
  const rows = (await knex(meta.tableName).select('*').whereIn('id', ids)) as RawRow[];
  const fields = mergeFields(strapi, componentUid);
  const relations = new Map<string, Map<number, LinkValue[]>>();
  const media = new Map<string, Map<number, MediaValue[]>>();
  for (const field of fields) {
    if (field.kind === 'relation') relations.set(field.name, await readLinks(strapi, knex, field, ids));
    if (field.kind === 'media') media.set(field.name, await readMedia(knex, mediaLinks(strapi), componentUid, field.name, ids));
  }
  for (const row of rows) {
    const id = Number(row.id);
    const content: Record<string, unknown> = {};
    for (const field of fields) {
      if (field.kind === 'scalar') content[field.name] = shownScalar(field.type, row[field.column!]);
      else if (field.kind === 'relation') {
        const targets = (relations.get(field.name)?.get(id) ?? []).map((link) => ({ documentId: link.documentId, label: link.label }));
        content[field.name] = field.multiple ? targets : (targets[0] ?? null);
      } else if (field.kind === 'media') {
        const files = (media.get(field.name)?.get(id) ?? []).map((file) => ({ id: file.fileId, name: file.name, url: file.url }));
        content[field.name] = field.multiple ? files : (files[0] ?? null);
      }
    }
    result.set(id, content);
  }
  return result;
}

/** A document's rows of a type (raw), all locales, draft and published. */
export async function rawRows(strapi: Core.Strapi, knex: Knex, uid: string, documentId: string): Promise<RawRow[]> {
  const meta = metaOf(strapi, uid);
  if (!meta) throw new Error(`merge: no database metadata for ${uid}`);
  return (await knex(meta.tableName).select('*').where('document_id', documentId).orderBy('id')) as RawRow[];
}

/** A field's values for some rows of the document type. */
export async function readField(strapi: Core.Strapi, knex: Knex, uid: string, field: MergeField, rows: RawRow[]): Promise<Map<number, FieldValue>> {
  const ids = rows.map((row) => Number(row.id));
  if (field.kind === 'scalar') return new Map(rows.map((row) => [Number(row.id), row[field.column!]]));
  if (field.kind === 'relation') return readLinks(strapi, knex, field, ids);
  if (field.kind === 'media') return readMedia(knex, mediaLinks(strapi), uid, field.name, ids);
  return readComponents(strapi, knex, field, ids);
}

/** A value as shown to the editor. */
export function shown(field: MergeField, value: FieldValue): unknown {
  if (field.kind === 'scalar') return shownScalar(field.type, value);
  if (field.kind === 'relation') {
    const targets = (value as LinkValue[]).map((link) => ({ documentId: link.documentId, label: link.label }));
    return field.multiple ? targets : (targets[0] ?? null);
  }
  if (field.kind === 'media') {
    const files = (value as MediaValue[]).map((file) => ({ id: file.fileId, name: file.name, url: file.url, mime: file.mime }));
    return field.multiple ? files : (files[0] ?? null);
  }
  const components = (value as ComponentValue[]).map((component) => ({ id: component.componentId, ...component.content }));
  return field.multiple ? components : (components[0] ?? null);
}

/** What two values are compared by: scalars as shown, relations by documentId, media by file, components by content. */
export function comparableValue(field: MergeField, value: FieldValue): string {
  if (field.kind === 'scalar') return canonicalJson(shownScalar(field.type, value));
  if (field.kind === 'relation') return canonicalJson((value as LinkValue[]).map((link) => link.documentId));
  if (field.kind === 'media') return canonicalJson((value as MediaValue[]).map((file) => file.fileId));
  return canonicalJson((value as ComponentValue[]).map((component) => comparable(component.content)));
}

export function sameValue(field: MergeField, a: FieldValue, b: FieldValue): boolean {
  return comparableValue(field, a) === comparableValue(field, b);
}

export function isEmptyValue(field: MergeField, value: FieldValue): boolean {
  if (field.kind === 'scalar') return value === null || value === undefined || value === '';
  return (value as unknown[]).length === 0;
}

/** What the merge does when the editor names no choice: the kept value, unless it is empty; lists are combined. */
export function defaultChoice(field: MergeField, kept: FieldValue | undefined, merged: FieldValue | undefined): Choice {
  if (field.multiple) return 'both';
  if (kept === undefined || merged === undefined) return 'keep';
  return isEmptyValue(field, kept) && !isEmptyValue(field, merged) ? 'merge' : 'keep';
}
