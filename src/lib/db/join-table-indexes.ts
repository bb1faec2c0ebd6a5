/**
 * Indexes Strapi's join tables lack for reads that grow with the archive, made at every boot if
 * missing (`create index if not exists`): the tables are Strapi's, made by its schema sync after
 * our migrations run, and its sync leaves alone the indexes it did not make. Checked with EXPLAIN
 * in tests/database/lookup-indexes.test.ts; what each bought: docs/scale.md.
 *
 * - `<table>_cmps (cmp_id, component_type)`: from a component row to its owner. Strapi indexes
 *   these tables by owner only, so a filter through a component's relation (a person's events,
 *   `filters[participants][person]`), the owners a change touches (lib/sync/touched.ts) and a
 *   merge's references read the whole table.
 * - `<relation>_lnk (<target>_id, <source>_ord)`: a link's position among the target's links.
 *   Strapi appends a link with `max(<source>_ord) where <target>_id = ?`, which its indexes
 *   answer by walking every link of the target, or the whole order column: an event's organiser
 *   cost 6 ms a link at 38,000 events, and more as the archive grew.
 */
import type { Core } from '@strapi/strapi';
import { metas } from './references';

/** The indexes to have: name, table, columns. */
export function joinTableIndexes(strapi: Core.Strapi): Array<{ name: string; table: string; columns: string[] }> {
  const wanted = new Map<string, { name: string; table: string; columns: string[] }>();
  const add = (table: string, suffix: string, columns: string[]) => wanted.set(table, { name: `${table.slice(0, 63 - suffix.length)}${suffix}`, table, columns });
  // Our content types and components; Strapi's and its plugins' own tables are left as they are.
  const ours = metas(strapi).filter((meta) => meta.uid.startsWith('api::') || meta.uid in strapi.components);
  for (const meta of ours) {
    for (const attribute of Object.values(meta.attributes)) {
      const joinTable = attribute.joinTable;
      if (!joinTable || joinTable.morphColumn) continue;
      if (joinTable.name === `${meta.tableName}_cmps`) add(joinTable.name, '_owner_idx', ['cmp_id', 'component_type']);
      // The owning side names the table's columns as they are; the inverse side (mappedBy) sees them swapped.
      else if (attribute.type === 'relation' && !attribute.mappedBy && joinTable.inverseOrderColumnName) add(joinTable.name, '_order_idx', [joinTable.inverseJoinColumn.name, joinTable.inverseOrderColumnName]);
    }
  }
  return [...wanted.values()];
}

export async function ensureJoinTableIndexes(strapi: Core.Strapi): Promise<void> {
  const knex = strapi.db.connection;
  for (const { name, table, columns } of joinTableIndexes(strapi)) {
    if (!(await knex.schema.hasTable(table))) continue;
    await knex.raw(`create index if not exists ?? on ?? (${columns.map(() => '??').join(', ')})`, [name, table, ...columns]);
  }
}
