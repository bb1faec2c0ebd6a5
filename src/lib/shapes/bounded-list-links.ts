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
 * Made at boot (`ensureBoundedListLinks`), with the triggers, and rebuilt whole when a part is
 * missing or its definition changed (a fingerprint of its statements is kept in
 * `bounded_list_links`). Strapi's schema sync must be able to change the tables the triggers
 * watch: on PostgreSQL they name no column (a column named in a trigger cannot change type), and
 * on SQLite, where knex remakes a table to change a column and a trigger naming a table that is
 * gone breaks the rename, they are dropped before every sync (`dropBoundedListTriggers`) and the
 * copy made again at boot. Checked in tests/front-end/bounded-lists.test.ts against Strapi's own
 * populate and the join tables.
 */
import { createHash } from 'crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { isPostgres } from '../db/dialect';
import { declaredBoundedLists, relationOf, type Relation } from './bounded-lists';

/** An advisory lock's key: two instances booting on one database make the table once. */
const LINKS_LOCK = 0x626c6c6b; // 'bllk'
/** Each copy's name and the fingerprint of the statements that made it. */
const DEFINITIONS = 'bounded_list_links';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** A name for one of the table's parts (functions too), within PostgreSQL's 63 characters. */
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
  const functions = postgres ? [partName(relation, '_link_fn'), partName(relation, '_target_fn')] : [];
  return { table: relation.linksTable, triggers, functions };
}

/**
 * The table's row for the link `from` (`new` in a trigger). On PostgreSQL the target row is read
 * `for share`: a transaction changing its order or status at the same time is waited for, so the
 * copy never keeps a value the other commits over (its trigger cannot see an uncommitted link).
 */
function linkRows(relation: Relation, from: string, postgres: boolean): string {
  const { ownerColumn, targetColumn, targetTable, orderColumn } = relation;
  return (
    `select ${from}.id, ${from}.${quote(ownerColumn)}, target.id, target.${quote(orderColumn)}, target.published_at ` +
    `from ${quote(targetTable)} target where target.id = ${from}.${quote(targetColumn)} and ${from}.${quote(ownerColumn)} is not null` +
    (postgres ? ' for share' : '')
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
    // A list's read: one range per owner, in the list's order (SQLite puts NULL last in a
    // descending order by itself), with everything the read needs.
    postgres
      ? `create index ${quote(partName(relation, '_owner_idx'))} on ${t} (owner_id, newest desc nulls last, target_id desc) include (published_at)`
      : `create index ${quote(partName(relation, '_owner_idx'))} on ${t} (owner_id, newest desc, target_id desc, published_at)`,
  ];
  // That read is an index-only scan where the visibility map says a page holds no change left to
  // vacuum; vacuumed after every 1% of changes (PostgreSQL's default: 20%), it rarely visits the table.
  if (postgres) statements.push(`alter table ${t} set (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01)`);
  // The target's columns the table copies (one, when the order is the publication itself).
  const copied = [...new Set([orderColumn, 'published_at'])].map(quote);
  const changed = copied.map((column) => `old.${column} is distinct from new.${column}`).join(' or ');
  const retarget = `update ${t} set newest = new.${quote(orderColumn)}, published_at = new.published_at where target_id = new.id`;
  if (postgres) {
    const [linkTrigger, targetTrigger] = triggers as [string, string];
    const [linkFunction, targetFunction] = functions as [string, string];
    // No column named outside the functions' bodies (see the header): the checks are inside.
    const moved = [ownerColumn, targetColumn].map((column) => `old.${quote(column)} is distinct from new.${quote(column)}`).join(' or ');
    statements.push(
      `create function ${quote(linkFunction)}() returns trigger language plpgsql as $body$ begin ` +
        `if tg_op = 'UPDATE' and not (${moved}) then return null; end if; ` +
        `if tg_op in ('DELETE', 'UPDATE') then delete from ${t} where link_id = old.id; end if; ` +
        `if tg_op in ('INSERT', 'UPDATE') then insert into ${t} ${COLUMNS} ${linkRows(relation, 'new', true)}; end if; ` +
        `return null; end $body$`,
      `create trigger ${quote(linkTrigger)} after insert or delete or update on ${quote(linkTable)} for each row execute function ${quote(linkFunction)}()`,
      `create function ${quote(targetFunction)}() returns trigger language plpgsql as $body$ begin ` +
        `if ${changed} then ${retarget}; end if; return null; end $body$`,
      `create trigger ${quote(targetTrigger)} after update on ${quote(targetTable)} for each row execute function ${quote(targetFunction)}()`,
    );
  } else {
    const [inserted, deleted, updated, targetTrigger] = triggers as [string, string, string, string];
    const remove = `delete from ${t} where link_id = old.id;`;
    const add = `insert into ${t} ${COLUMNS} ${linkRows(relation, 'new', false)};`;
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

function dropTriggerStatements(relation: Relation, postgres: boolean): string[] {
  const { triggers, functions } = partsOf(relation, postgres);
  const on = (trigger: string) => (postgres ? ` on ${quote(trigger.endsWith('_target') ? relation.targetTable : relation.linkTable)}` : '');
  return [...triggers.map((trigger) => `drop trigger if exists ${quote(trigger)}${on(trigger)}`), ...functions.map((name) => `drop function if exists ${quote(name)}()`)];
}

/** What the copy is made of, as a fingerprint: a change to any statement makes it again. */
const fingerprintOf = (statements: string[]) => createHash('sha256').update(statements.join(';\n')).digest('hex').slice(0, 32);

async function complete(trx: Knex.Transaction, relation: Relation, postgres: boolean, fingerprint: string): Promise<boolean> {
  const { table, triggers } = partsOf(relation, postgres);
  if (!(await trx.schema.hasTable(table))) return false;
  const made = (await trx(DEFINITIONS).where({ table_name: table }).first('fingerprint')) as { fingerprint: string } | undefined;
  if (made?.fingerprint !== fingerprint) return false;
  const rows = postgres
    ? ((await trx.raw(
        'select count(*) as n from pg_trigger where not tgisinternal and tgname = any(?) and tgrelid in (to_regclass(?), to_regclass(?))',
        [triggers, quote(relation.linkTable), quote(relation.targetTable)],
      )) as { rows: Array<{ n: string }> }).rows
    : ((await trx.raw(`select count(*) as n from sqlite_master where type = 'trigger' and name in (${triggers.map(() => '?').join(', ')})`, triggers)) as Array<{ n: number }>);
  return Number(rows[0]?.n) === triggers.length;
}

/** The relations behind every declared list; a list that does not fit its relation throws, naming it. */
function declaredRelations(strapi: Core.Strapi): Relation[] {
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
  return [...relations.values()];
}

/**
 * Before Strapi's schema sync on SQLite: drops the triggers, so that knex can remake a table
 * they name; `ensureBoundedListLinks` makes the copy again after the sync. (PostgreSQL's name no
 * column, and are left in place.)
 */
export async function dropBoundedListTriggers(strapi: Core.Strapi): Promise<void> {
  const knex = strapi.db.connection;
  if (isPostgres(knex)) return;
  for (const relation of declaredRelations(strapi)) {
    for (const statement of dropTriggerStatements(relation, false)) await knex.raw(statement);
  }
}

/**
 * Makes each declared list's table and triggers where any part is missing, filled from the
 * links as they are; a list that does not fit its relation fails the boot, naming it.
 */
export async function ensureBoundedListLinks(strapi: Core.Strapi): Promise<void> {
  const knex = strapi.db.connection;
  const postgres = isPostgres(knex);
  const relations = declaredRelations(strapi);
  if (relations.length === 0) return;
  if (!(await knex.schema.hasTable(DEFINITIONS))) {
    await knex.schema.createTable(DEFINITIONS, (table) => {
      table.string('table_name', 63).primary();
      table.string('fingerprint', 32).notNullable();
    }).catch(async (error: unknown) => {
      if (!(await knex.schema.hasTable(DEFINITIONS))) throw error; // else another instance made it first
    });
  }
  for (const relation of relations) {
    const statements = createStatements(relation, postgres);
    const fingerprint = fingerprintOf(statements);
    const made = await knex.transaction(async (trx) => {
      if (postgres) await trx.raw('select pg_advisory_xact_lock(?)', [LINKS_LOCK]);
      if (await complete(trx, relation, postgres, fingerprint)) return false;
      const drop = [...dropTriggerStatements(relation, postgres), `drop table if exists ${quote(relation.linksTable)}`];
      for (const statement of [...drop, ...statements]) await trx.raw(statement);
      await trx(DEFINITIONS).where({ table_name: relation.linksTable }).delete();
      await trx(DEFINITIONS).insert({ table_name: relation.linksTable, fingerprint });
      return true;
    });
    // Statistics and the visibility map now, not when autovacuum comes by: unvacuumed, a page of
    // 10 topics read 2,185 of the table's pages (60 ms at 100,000 articles) instead of the index alone (6 ms).
    if (made) await knex.raw(`${postgres ? 'vacuum analyze' : 'analyze'} ${quote(relation.linksTable)}`);
  }
}
