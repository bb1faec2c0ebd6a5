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
 * - `<relation>_lnk (<target>_id, <source>_ord, <source>_id)`: a target's links, in their order.
 *   Strapi appends a link with `max(<source>_ord) where <target>_id = ?`, which its indexes
 *   answer by walking every link of the target, or the whole order column: an event's organiser
 *   cost 6 ms a link at 38,000 events, and more as the archive grew. With the source's id in
 *   the index as well, a filter through the relation (a topic's articles,
 *   `filters[topics][documentId]`) reads the target's links from the index alone, where
 *   PostgreSQL otherwise read the whole link table (a topic's count: 17 → 7 ms at 10,000 articles).
 *   (Its first two columns were the index `<table>_order_idx` until 2026-12-06, dropped here.)
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
      else if (attribute.type === 'relation' && !attribute.mappedBy && joinTable.inverseOrderColumnName)
        add(joinTable.name, '_target_idx', [joinTable.inverseJoinColumn.name, joinTable.inverseOrderColumnName, joinTable.joinColumn.name]);
    }
  }
  return [...wanted.values()];
}

export async function ensureJoinTableIndexes(strapi: Core.Strapi): Promise<void> {
  const knex = strapi.db.connection;
  for (const { name, table, columns } of joinTableIndexes(strapi)) {
    if (!(await knex.schema.hasTable(table))) continue;
    await knex.raw(`create index if not exists ?? on ?? (${columns.map(() => '??').join(', ')})`, [name, table, ...columns]);
    // The two-column index this one replaces (its prefix; a database made before 2026-12-06).
    if (name.endsWith('_target_idx')) await knex.raw('drop index if exists ??', [`${table.slice(0, 63 - '_order_idx'.length)}_order_idx`]);
  }
}
