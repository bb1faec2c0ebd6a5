/**
 * Each bounded list's links with what its order needs beside them: for every row of the join
 * table Strapi keeps for the relation, the target row's order value (`publishedAt`, `startsAt`)
 * and `published_at`, in a table of ours (`<join table>_newest`) that the database keeps in step
 * with triggers on the join table and the target's table.
 *
 * Why: a list's newest ten by the target's column otherwise reads every link of the owner and
 * probes the target's index for each (a topic at 100,000 articles: 1,000 probes, and a page of
 * 10 topics 10,000: 2.59x its time at 1,000 articles; docs/scale.md). From this table they are
 * one range of one index per owner. Triggers rather than our write paths: links are written by
 * Strapi's Document Service, its publish (new rows), cascades from deleted rows, the import and
 * merges, and the database sees them all in the same transaction.
 *
 * Made at boot (`ensureBoundedListLinks`), with the triggers, and rebuilt whole when any of its
 * parts is missing: a new database, or SQLite's schema sync remaking a table (which drops its
 * triggers). Checked in tests/front-end/bounded-lists.test.ts against Strapi's own populate.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { isPostgres } from '../db/dialect';
import { declaredBoundedLists, relationOf, type Relation } from './bounded-lists';

/** An advisory lock's key: two instances booting on one database make the table once. */
const LINKS_LOCK = 0x626c6c6b; // 'bllk'

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** A name for one of the table's parts, within PostgreSQL's 63 characters. */
const partName = (relation: Relation, suffix: string) => `${relation.linksTable.slice(0, 63 - suffix.length)}${suffix}`;

interface Parts {
  table: string;
  triggers: string[];
  functions: string[];
}

function partsOf(relation: Relation, postgres: boolean): Parts {
  const triggers = postgres
    ? [partName(relation, '_link'), partName(relation, '_target')]
    : [partName(relation, '_link_ins'), partName(relation, '_link_del'), partName(relation, '_link_upd'), partName(relation, '_target')];
  return { table: relation.linksTable, triggers, functions: postgres ? triggers.map((name) => `${name}_fn`) : [] };
}

/** The table's row for the link `from` (`new` in a trigger). */
function linkRows(relation: Relation, from: string): string {
  const { ownerColumn, targetColumn, targetTable, orderColumn } = relation;
  return (
    `select ${from}.id, ${from}.${quote(ownerColumn)}, target.id, target.${quote(orderColumn)}, target.published_at ` +
    `from ${quote(targetTable)} target where target.id = ${from}.${quote(targetColumn)} and ${from}.${quote(ownerColumn)} is not null`
  );
}

const COLUMNS = '(link_id, owner_id, target_id, newest, published_at)';

function createStatements(relation: Relation, postgres: boolean): string[] {
  const { linkTable, ownerColumn, targetColumn, targetTable, orderColumn } = relation;
  const { table, triggers, functions } = partsOf(relation, postgres);
  const t = quote(table);
  const statements = [
    // The columns' types from the tables they copy (timestamps stay timestamps on both databases).
    `create table ${t} as select link.id as link_id, link.${quote(ownerColumn)} as owner_id, target.id as target_id, ` +
      `target.${quote(orderColumn)} as newest, target.published_at as published_at ` +
      `from ${quote(linkTable)} link join ${quote(targetTable)} target on target.id = link.${quote(targetColumn)} where 1 = 0`,
    `insert into ${t} ${COLUMNS} select link.id, link.${quote(ownerColumn)}, target.id, target.${quote(orderColumn)}, target.published_at ` +
      `from ${quote(linkTable)} link join ${quote(targetTable)} target on target.id = link.${quote(targetColumn)} where link.${quote(ownerColumn)} is not null`,
    `create unique index ${quote(partName(relation, '_link_idx'))} on ${t} (link_id)`,
    `create index ${quote(partName(relation, '_target_idx'))} on ${t} (target_id)`,
    // A list's read: one range per owner, its rows in the index with everything the read needs.
    `create index ${quote(partName(relation, '_owner_idx'))} on ${t} (owner_id, newest, target_id, published_at)`,
  ];
  // The target's columns the table copies (one, when the order is the publication itself).
  const copied = [...new Set([orderColumn, 'published_at'])].map(quote);
  const changed = copied.map((column) => `old.${column} is distinct from new.${column}`).join(' or ');
  const retarget = `update ${t} set newest = new.${quote(orderColumn)}, published_at = new.published_at where target_id = new.id`;
  if (postgres) {
    const [linkTrigger, targetTrigger] = triggers as [string, string];
    const [linkFunction, targetFunction] = functions as [string, string];
    statements.push(
      `create function ${quote(linkFunction)}() returns trigger language plpgsql as $body$ begin ` +
        `if tg_op in ('DELETE', 'UPDATE') then delete from ${t} where link_id = old.id; end if; ` +
        `if tg_op in ('INSERT', 'UPDATE') then insert into ${t} ${COLUMNS} ${linkRows(relation, 'new')}; end if; ` +
        `return null; end $body$`,
      `create trigger ${quote(linkTrigger)} after insert or delete or update of ${quote(ownerColumn)}, ${quote(targetColumn)} ` +
        `on ${quote(linkTable)} for each row execute function ${quote(linkFunction)}()`,
      `create function ${quote(targetFunction)}() returns trigger language plpgsql as $body$ begin ${retarget}; return null; end $body$`,
      `create trigger ${quote(targetTrigger)} after update of ${copied.join(', ')} on ${quote(targetTable)} ` +
        `for each row when (${changed}) execute function ${quote(targetFunction)}()`,
    );
  } else {
    const [inserted, deleted, updated, targetTrigger] = triggers as [string, string, string, string];
    const remove = `delete from ${t} where link_id = old.id;`;
    const add = `insert into ${t} ${COLUMNS} ${linkRows(relation, 'new')};`;
    statements.push(
      `create trigger ${quote(inserted)} after insert on ${quote(linkTable)} begin ${add} end`,
      `create trigger ${quote(deleted)} after delete on ${quote(linkTable)} begin ${remove} end`,
      `create trigger ${quote(updated)} after update of ${quote(ownerColumn)}, ${quote(targetColumn)} on ${quote(linkTable)} begin ${remove} ${add} end`,
      `create trigger ${quote(targetTrigger)} after update of ${copied.join(', ')} on ${quote(targetTable)} ` +
        `when ${changed.replace(/is distinct from/g, 'is not')} begin ${retarget}; end`,
    );
  }
  return statements;
}

function dropStatements(relation: Relation, postgres: boolean): string[] {
  const { table, triggers, functions } = partsOf(relation, postgres);
  const on = (trigger: string) => (postgres ? ` on ${quote(trigger.endsWith('_target') ? relation.targetTable : relation.linkTable)}` : '');
  return [
    ...triggers.map((trigger) => `drop trigger if exists ${quote(trigger)}${on(trigger)}`),
    ...functions.map((name) => `drop function if exists ${quote(name)}()`),
    `drop table if exists ${quote(table)}`,
  ];
}

async function complete(trx: Knex.Transaction, relation: Relation, postgres: boolean): Promise<boolean> {
  const { table, triggers } = partsOf(relation, postgres);
  if (!(await trx.schema.hasTable(table))) return false;
  const rows = postgres
    ? ((await trx.raw('select count(*) as n from pg_trigger where not tgisinternal and tgname = any(?)', [triggers])) as { rows: Array<{ n: string }> }).rows
    : ((await trx.raw(`select count(*) as n from sqlite_master where type = 'trigger' and name in (${triggers.map(() => '?').join(', ')})`, triggers)) as Array<{ n: number }>);
  return Number(rows[0]?.n) === triggers.length;
}

/**
 * Makes each declared list's table and triggers where any part is missing, filled from the
 * links as they are; a list that does not fit its relation fails the boot, naming it.
 */
export async function ensureBoundedListLinks(strapi: Core.Strapi): Promise<void> {
  const knex = strapi.db.connection;
  const postgres = isPostgres(knex);
  const relations = new Map<string, Relation>();
  for (const [uid, lists] of declaredBoundedLists()) {
    if (!strapi.contentTypes[uid]) continue; // declared by a module whose type this app lacks
    for (const list of lists) {
      const relation = relationOf(strapi, uid, list);
      const other = relations.get(relation.linksTable);
      if (other && (other.ownerColumn !== relation.ownerColumn || other.orderColumn !== relation.orderColumn)) {
        throw new Error(`bounded lists: ${uid}.${list.attribute} and another list share ${relation.linksTable} with a different owner or order`);
      }
      relations.set(relation.linksTable, relation);
    }
  }
  for (const relation of relations.values()) {
    await knex.transaction(async (trx) => {
      if (postgres) await trx.raw('select pg_advisory_xact_lock(?)', [LINKS_LOCK]);
      if (await complete(trx, relation, postgres)) return;
      for (const statement of [...dropStatements(relation, postgres), ...createStatements(relation, postgres)]) await trx.raw(statement);
      // Statistics now, not when autovacuum comes by: a list's read is planned from them.
      await trx.raw(`analyze ${quote(relation.linksTable)}`);
    });
  }
}
