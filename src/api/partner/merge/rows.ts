/**
 * Raw table rows as a merge record keeps them (JSON text) and writes them back, unchanged:
 * - a Date (PostgreSQL timestamps) is kept as `{ $date: iso }` and written back as a Date, so the
 *   driver stores the very value it read (node-pg reads and writes timestamps without a time zone
 *   in the process's local time; an ISO string would shift them);
 * - a JSON column (a `json` or `blocks` attribute) is read as JSON text on both databases (Strapi
 *   has node-pg hand jsonb over as text) and written back as it was read; a value that is not
 *   text (an array the merge took from a parsed read) is written as JSON text, never as a
 *   PostgreSQL array.
 * Everything else (numbers, strings, booleans, SQLite's epoch-millisecond timestamps) is written
 * back as read.
 */
import type { Core } from '@strapi/strapi';
import { allModelMetadata } from '../../../strapi-seam/db-metadata';

export type RawRow = Record<string, unknown>;

const DATE = '$date';

function encodeValue(value: unknown): unknown {
  if (value instanceof Date) return { [DATE]: value.toISOString() };
  return value;
}

function isEncodedDate(value: unknown): value is { [DATE]: string } {
  return !!value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as Record<string, unknown>)[DATE] === 'string';
}

/** A row as it can go into JSON and come back (see above). */
export function encodeRow(row: RawRow): RawRow {
  const encoded: RawRow = {};
  for (const [column, value] of Object.entries(row)) encoded[column] = encodeValue(value);
  return encoded;
}

/** The columns of each table that hold JSON (json and blocks attributes), from Strapi's metadata. */
function jsonColumns(strapi: Core.Strapi): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const meta of allModelMetadata<{ uid: string; tableName: string; attributes: Record<string, { type: string; columnName?: string }> }>(strapi)) {
    for (const [name, attribute] of Object.entries(meta.attributes)) {
      if (attribute.type !== 'json' && attribute.type !== 'blocks') continue;
      const columns = found.get(meta.tableName) ?? new Set<string>();
      columns.add(attribute.columnName ?? name);
      found.set(meta.tableName, columns);
    }
  }
  return found;
}

/** Writes rows back as they were read: decodes dates, and serialises JSON columns for PostgreSQL. */
export class RowWriter {
  private readonly json: Map<string, Set<string>>;

  constructor(strapi: Core.Strapi) {
    this.json = jsonColumns(strapi);
  }

  /** Values ready for knex's insert/update into `table`. */
  values(table: string, row: RawRow): RawRow {
    const json = this.json.get(table);
    const values: RawRow = {};
    for (const [column, value] of Object.entries(row)) {
      if (isEncodedDate(value)) values[column] = new Date(value[DATE]);
      else if (json?.has(column) && value !== null && value !== undefined && typeof value !== 'string') values[column] = JSON.stringify(value);
      else values[column] = value;
    }
    return values;
  }
}
