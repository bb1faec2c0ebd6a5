/**
 * Inserts the rows of new documents (their main-table rows, repeatable components and relation
 * links) in a few multi-row statements, leaving exactly what Strapi's query engine leaves when it
 * creates the same rows one at a time (`strapi.db.query(uid).create`): scalars converted and
 * defaulted by the query engine (`createMany`), link rows with their order columns (a list's own
 * order 1..n; the inverse order after the target's highest), component links with `field`,
 * `component_type` and `order` (a dynamic zone's blocks the same way). One `create` costs ~10
 * statements and a read-back per row; here a whole document, or many, cost one statement per table.
 *
 * It writes rows, nothing else: no validation, no document-level behaviour (slugs, the change
 * log, draft/published pairs). Callers (the partner writers, the import) do those, and their tests hold the
 * result to what the Document Service writes.
 *
 * Ids: a multi-row INSERT numbers its rows in the order given on both databases (SQLite's
 * rowid, PostgreSQL's sequence called row by row), so the returned ids sorted ascending are the
 * rows in input order, even when another transaction inserts at the same time.
 */
import type { Core, UID } from '@strapi/strapi';
import type { Knex } from 'knex';
import { isPostgres } from './dialect';

/** One component of a repeatable component field, in order. */
export interface NewComponent {
  uid: string;
  data: Record<string, unknown>;
  /** Relation attribute of the component to the target row ids, in order. */
  relations?: Record<string, number[]>;
}

/** One main-table row: a (locale, draft/published) version of a document. */
export interface NewRow {
  /** Scalar attributes (documentId, locale, publishedAt included), as the query engine takes them. */
  data: Record<string, unknown>;
  /** Relation attribute to the target row ids, in order. */
  relations?: Record<string, number[]>;
  /** Component attribute to its components, in order. */
  components?: Record<string, NewComponent[]>;
}

interface JoinTable {
  name: string;
  joinColumn: { name: string };
  inverseJoinColumn: { name: string };
  orderColumnName?: string;
  inverseOrderColumnName?: string;
  on?: Record<string, unknown>;
}

interface RelationAttribute {
  type: string;
  relation?: string;
  joinTable?: JoinTable & { morphColumn?: { idColumn: { name: string } } };
}

/** One owner's links of one relation, targets in order (with extra columns, for component links). */
interface Link {
  ownerId: number;
  targets: Array<{ id: number; pivot?: Record<string, unknown> }>;
  /**
   * Owners of one group (the draft and published rows of a document's locale) take the same
   * place among a target's links, as publish copies the draft's links: one target row linked by
   * both (a venue, which has no drafts) gets the same inverse order from each.
   */
  group?: string;
}

const targetsOf = (ids: number[]): Link['targets'] => ids.map((id) => ({ id }));

function joinTableOf(strapi: Core.Strapi, uid: string, attribute: string): JoinTable {
  const found = (strapi.db.metadata.get(uid).attributes as Record<string, RelationAttribute>)[attribute];
  if (!found || found.type !== 'relation' || !found.joinTable) {
    throw new Error(`document-rows: ${uid}.${attribute} is not a relation or component stored in a join table`);
  }
  const { morphColumn, ...joinTable } = found.joinTable;
  // A dynamic zone (a morphToMany on the same `_cmps` table): the component's id in the morph
  // column, its type beside it, and `order` 1..n, as the query engine's attach writes them.
  if (found.relation === 'morphToMany' && morphColumn) return { ...joinTable, inverseJoinColumn: { name: morphColumn.idColumn.name }, orderColumnName: 'order' };
  return joinTable;
}

/** Rows through the query engine's createMany (conversion, defaults, timestamps); their ids in input order. */
async function insertScalars(strapi: Core.Strapi, uid: string, data: Array<Record<string, unknown>>): Promise<number[]> {
  if (data.length === 0) return [];
  const { ids } = (await strapi.db.query(uid as UID.Schema).createMany({ data })) as { ids: Array<number | string> };
  if (ids.length !== data.length) throw new Error(`document-rows: ${uid} inserted ${ids.length} rows of ${data.length}`);
  return ids.map(Number).sort((a, b) => a - b);
}

/** The link rows of one relation for many owners, order columns as attachRelations sets them. */
async function insertLinks(trx: Knex, table: JoinTable, links: Link[]): Promise<void> {
  const rows: Array<Record<string, unknown>> = [];
  const groups: Array<string | undefined> = [];
  for (const link of links) {
    // The query engine drops a target given twice (uniqBy id) and numbers the rest 1..n.
    const targets = link.targets.filter((target, index) => link.targets.findIndex((other) => other.id === target.id) === index);
    targets.forEach((target, index) => {
      rows.push({
        [table.joinColumn.name]: link.ownerId,
        [table.inverseJoinColumn.name]: target.id,
        ...(table.on ?? {}),
        ...(target.pivot ?? {}),
        ...(table.orderColumnName ? { [table.orderColumnName]: index + 1 } : {}),
      });
      groups.push(link.group);
    });
  }
  if (rows.length === 0) return;
  if (table.inverseOrderColumnName) {
    // Each new link goes last among the target's links, as one create after another would put
    // it: the target's highest order so far, read in the same statement, plus the link's rank
    // among this insert's links to that target. (Both databases evaluate the subquery against
    // the table as it was before the statement.)
    const inverse = table.inverseOrderColumnName;
    const targetColumn = table.inverseJoinColumn.name;
    const ranks = new Map<number, number>();
    const groupRanks = new Map<string, number>();
    for (const [index, row] of rows.entries()) {
      const target = row[targetColumn] as number;
      const group = groups[index];
      let rank = group === undefined ? undefined : groupRanks.get(`${target}|${group}`);
      if (rank === undefined) {
        rank = (ranks.get(target) ?? 0) + 1;
        ranks.set(target, rank);
        if (group !== undefined) groupRanks.set(`${target}|${group}`, rank);
      }
      const highest = trx(table.name).max(inverse).where(targetColumn, target).where(table.on ?? {});
      row[inverse] = trx.raw('coalesce((?), 0) + ?', [highest, rank]);
    }
    const written = inverseLinksWritten.get(trx) ?? new Map<string, { table: JoinTable; owners: Set<number> }>();
    inverseLinksWritten.set(trx, written);
    const entry = written.get(table.name) ?? { table, owners: new Set<number>() };
    written.set(table.name, entry);
    for (const link of links) entry.owners.add(link.ownerId);
  }
  await trx(table.name).insert(rows);
}

/** The owners whose links took an inverse order in a transaction, by join table (placeInverseLinksLast). */
const inverseLinksWritten = new WeakMap<Knex, Map<string, { table: JoinTable; owners: Set<number> }>>();

/**
 * Puts the links this transaction wrote after every other link of their targets, keeping their
 * order among themselves (ties, a draft and its published row linking one target, stay ties).
 *
 * An insert's inverse order reads the target's highest so far, which does not see another
 * transaction's links until it commits: two writers side by side (the import's batches, two
 * partner pushes, on PostgreSQL) would give a target's links the same places. A writer that
 * commits after another calls this once the other has committed, before its own commit, and its
 * links take the places one writer after the other would have given them (rows already there are
 * not written again). One statement per join table; nothing when the transaction wrote no such
 * link (PostgreSQL's SQL: SQLite never has two writers). Every transaction does this at its
 * COMMIT (placeLinksBeforeCommit).
 */
export async function placeInverseLinksLast(trx: Knex): Promise<void> {
  const written = inverseLinksWritten.get(trx);
  inverseLinksWritten.delete(trx);
  // SQLite has one writer at a time: every insert saw the links before it.
  if (!written || !isPostgres(trx)) return;
  for (const { table, owners } of written.values()) {
    const inverse = table.inverseOrderColumnName!;
    const target = table.inverseJoinColumn.name;
    const owner = table.joinColumn.name;
    const ids = `{${[...owners].join(',')}}`;
    const on = Object.entries(table.on ?? {});
    const onSql = on.map(() => ' and o.?? = ?').join('');
    await trx.raw(
      `with mine as (
         select l.id, l.?? as target, dense_rank() over (partition by l.?? order by l.??) as rank
         from ?? l where l.?? = any(?::int[])${onSql.replaceAll('o.', 'l.')}
       ), highest as (
         select t.target, (select max(o.??) from ?? o where o.?? = t.target and not (o.?? = any(?::int[]))${onSql}) as top
         from (select distinct target from mine) t
       )
       update ?? l set ?? = coalesce(h.top, 0) + m.rank from mine m join highest h on h.target = m.target
       where l.id = m.id and l.?? is distinct from coalesce(h.top, 0) + m.rank`,
      [target, target, inverse, table.name, owner, ids, ...on.flat(), inverse, table.name, target, owner, ids, ...on.flat(), table.name, inverse, inverse],
    );
  }
}

/** The lock bulk writers take at COMMIT to place their links one after another; any constant works. */
const LINK_PLACES_LOCK = 0x6c696e6b; // "link"

/**
 * At COMMIT (src/lib/db/commit.ts): the links the transaction wrote, placed after those of every
 * bulk writer that committed before it. The writers take turns by a lock of their own, taken
 * here and held to the commit, never earlier: its holder runs one statement on its own links and
 * commits, waiting for nothing else, so no two writers can wait for each other through it, and
 * only these last statements of writers that linked something wait in line (not the rest of
 * their transactions). A writer past this point has committed before the next one places its
 * links, and that one's statement sees them. Strapi's own writes (the Document Service's) place
 * their links by themselves, without it.
 */
export async function placeLinksBeforeCommit(trx: Knex): Promise<void> {
  if (!inverseLinksWritten.has(trx)) return;
  if (isPostgres(trx)) await trx.raw('select pg_advisory_xact_lock(?)', [LINK_PLACES_LOCK]);
  await placeInverseLinksLast(trx);
}

/** Inserts `rows` of `uid` with their components and links; returns their ids, in input order. */
export async function insertDocumentRows(strapi: Core.Strapi, trx: Knex, uid: UID.ContentType, rows: NewRow[]): Promise<number[]> {
  const ids = await insertScalars(strapi, uid, rows.map((row) => row.data));

  // Components: each field's components, all rows at once, then their links to the owners.
  const componentFields = [...new Set(rows.flatMap((row) => Object.keys(row.components ?? {})))];
  for (const field of componentFields) {
    const owned = rows.map((row) => (row.components?.[field] ?? []).map((component) => ({ component, id: 0 })));
    const all = owned.flat();
    for (const componentUid of new Set(all.map((entry) => entry.component.uid))) {
      const entries = all.filter((entry) => entry.component.uid === componentUid);
      const created = await insertScalars(strapi, componentUid, entries.map((entry) => entry.component.data));
      entries.forEach((entry, index) => (entry.id = created[index]!));
      for (const relation of new Set(entries.flatMap((entry) => Object.keys(entry.component.relations ?? {})))) {
        await insertLinks(
          trx,
          joinTableOf(strapi, componentUid, relation),
          entries.map((entry) => ({ ownerId: entry.id, targets: targetsOf(entry.component.relations?.[relation] ?? []) })),
        );
      }
    }
    // The owner's component links (`<table>_cmps`), in the field's order, each with its type.
    await insertLinks(
      trx,
      joinTableOf(strapi, uid, field),
      owned.map((entries, index) => ({
        ownerId: ids[index]!,
        targets: entries.map((entry) => ({ id: entry.id, pivot: { component_type: entry.component.uid } })),
      })),
    );
  }

  const relationFields = [...new Set(rows.flatMap((row) => Object.keys(row.relations ?? {})))];
  for (const field of relationFields) {
    await insertLinks(
      trx,
      joinTableOf(strapi, uid, field),
      rows.map((row, index) => ({ ownerId: ids[index]!, targets: targetsOf(row.relations?.[field] ?? []), group: `${String(row.data.documentId)}|${String(row.data.locale)}` })),
    );
  }
  return ids;
}
