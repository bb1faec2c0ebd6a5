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
import { beforeSchemaSync } from '../../strapi-seam/schema-sync-hook';
import { declaredBoundedLists, relationOf, type Relation } from './bounded-lists';

/** An advisory lock's key: two instances booting on one database make the table once. */
const LINKS_LOCK = 0x626c6c6b; // 'bllk'
/** Each copy's name and the fingerprint of the statements that made it. */
const DEFINITIONS = 'bounded_list_links';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** A name for one of the copy's parts (functions too), within PostgreSQL's 63 characters. */
const partName = (table: string, suffix: string) => `${table.slice(0, 63 - suffix.length)}${suffix}`;

interface Parts {
  table: string;
  triggers: string[];
  functions: string[];
}

/** A copy's parts, by its name alone (so a copy no longer declared can be dropped too). */
function partsOf(table: string, postgres: boolean): Parts {
  const triggers = postgres
    ? [partName(table, '_link'), partName(table, '_target')]
    : [partName(table, '_link_ins'), partName(table, '_link_del'), partName(table, '_link_upd'), partName(table, '_target')];
  const functions = postgres ? [partName(table, '_link_fn'), partName(table, '_target_fn')] : [];
  return { table, triggers, functions };
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
  const { table, triggers, functions } = partsOf(relation.linksTable, postgres);
  const t = quote(table);
  const statements = [
    // Writers wait while the copy is made (readers do not: no trigger is dropped on PostgreSQL,
    // which would lock the tables against reads); on SQLite a write holds the whole database.
    ...(postgres ? [`lock table ${quote(linkTable)}, ${quote(targetTable)} in share row exclusive mode`] : dropSqliteTriggers(relation.linksTable)),
    `drop table if exists ${t}`,
    // Filled from the links as they are; the columns' types from the tables they copy.
    `create table ${t} as select link.id as link_id, link.${quote(ownerColumn)} as owner_id, target.id as target_id, ` +
      `target.${quote(orderColumn)} as newest, target.published_at as published_at ` +
      `from ${quote(linkTable)} link join ${quote(targetTable)} target on target.id = link.${quote(targetColumn)} where link.${quote(ownerColumn)} is not null`,
    `create unique index ${quote(partName(table, '_link_idx'))} on ${t} (link_id)`,
    `create index ${quote(partName(table, '_target_idx'))} on ${t} (target_id)`,
    // A list's read: one range per owner, in the list's order (SQLite puts NULL last in a
    // descending order by itself), with everything the read needs.
    postgres
      ? `create index ${quote(partName(table, '_owner_idx'))} on ${t} (owner_id, newest desc nulls last, target_id desc) include (published_at)`
      : `create index ${quote(partName(table, '_owner_idx'))} on ${t} (owner_id, newest desc, target_id desc, published_at)`,
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
      `create or replace function ${quote(linkFunction)}() returns trigger language plpgsql as $body$ begin ` +
        `if tg_op = 'UPDATE' and not (${moved}) then return null; end if; ` +
        `if tg_op in ('DELETE', 'UPDATE') then delete from ${t} where link_id = old.id; end if; ` +
        `if tg_op in ('INSERT', 'UPDATE') then insert into ${t} ${COLUMNS} ${linkRows(relation, 'new', true)}; end if; ` +
        `return null; end $body$`,
      `create or replace trigger ${quote(linkTrigger)} after insert or delete or update on ${quote(linkTable)} for each row execute function ${quote(linkFunction)}()`,
      `create or replace function ${quote(targetFunction)}() returns trigger language plpgsql as $body$ begin ` +
        `if ${changed} then ${retarget}; end if; return null; end $body$`,
      `create or replace trigger ${quote(targetTrigger)} after update on ${quote(targetTable)} for each row execute function ${quote(targetFunction)}()`,
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

/** SQLite's triggers, dropped by name alone (PostgreSQL's need their tables: dropCopy). */
const dropSqliteTriggers = (table: string): string[] => partsOf(table, false).triggers.map((trigger) => `drop trigger if exists ${quote(trigger)}`);

/** Drops a copy and its triggers and functions, wherever they are. */
async function dropCopy(trx: Knex | Knex.Transaction, table: string, postgres: boolean): Promise<void> {
  const { triggers, functions } = partsOf(table, postgres);
  if (postgres) {
    const found = (await trx.raw('select tgname as name, tgrelid::regclass::text as "on" from pg_trigger where not tgisinternal and tgname = any(?)', [triggers])) as {
      rows: Array<{ name: string; on: string }>;
    };
    for (const { name, on } of found.rows) await trx.raw(`drop trigger if exists ${quote(name)} on ${on}`);
    for (const name of functions) await trx.raw(`drop function if exists ${quote(name)}()`);
  } else {
    for (const statement of dropSqliteTriggers(table)) await trx.raw(statement);
  }
  await trx.raw(`drop table if exists ${quote(table)}`);
}

/**
 * What the copy is made of, as a fingerprint: a change to any statement, or to the type of a
 * column it copies (the copy takes its types when made), makes it again.
 */
async function fingerprintOf(knex: Knex, relation: Relation, statements: string[], postgres: boolean): Promise<string> {
  const columns = [
    [relation.linkTable, ['id', relation.ownerColumn, relation.targetColumn]],
    [relation.targetTable, ['id', relation.orderColumn, 'published_at']],
  ] as const;
  const types: string[] = [];
  for (const [table, names] of columns) {
    const rows = postgres
      ? ((await knex.raw('select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = to_regclass(?) and attnum > 0 and not attisdropped', [quote(table)])) as { rows: Array<{ name: string; type: string }> }).rows
      : ((await knex.raw('select name, type from pragma_table_info(?)', [table])) as Array<{ name: string; type: string }>);
    for (const name of names) types.push(`${table}.${name} ${rows.find((row) => row.name === name)?.type ?? '?'}`);
  }
  return createHash('sha256').update([...types, ...statements].join(';\n')).digest('hex').slice(0, 32);
}

async function complete(trx: Knex.Transaction, relation: Relation, postgres: boolean, fingerprint: string): Promise<boolean> {
  const { table, triggers } = partsOf(relation.linksTable, postgres);
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

/** The copies made before (in `bounded_list_links`), declared now or not. */
async function madeCopies(knex: Knex): Promise<string[]> {
  if (!(await knex.schema.hasTable(DEFINITIONS))) return [];
  return ((await knex(DEFINITIONS).select('table_name')) as Array<{ table_name: string }>).map((row) => row.table_name);
}

/**
 * Before Strapi's schema sync on SQLite: drops the triggers of every copy, declared now or made
 * before, so that knex can remake a table they name; `ensureBoundedListLinks` makes the copies
 * again after the sync. (PostgreSQL's name no column, and are left in place.)
 */
export async function dropBoundedListTriggers(strapi: Core.Strapi): Promise<void> {
  const knex = strapi.db.connection;
  if (isPostgres(knex)) return;
  const tables = new Set([...declaredRelations(strapi).map((relation) => relation.linksTable), ...(await madeCopies(knex))]);
  for (const table of tables) for (const statement of dropSqliteTriggers(table)) await knex.raw(statement);
}

/** From `register()`: the SQLite triggers are dropped before each schema sync (seam patch schema-sync-hook). */
export function keepBoundedListLinks(strapi: Core.Strapi): void {
  beforeSchemaSync(strapi, () => dropBoundedListTriggers(strapi));
}

/**
 * Makes each declared list's copy and triggers where a part is missing or its definition changed,
 * filled from the links as they are, and drops the copies of lists no longer declared; a list
 * that does not fit its relation fails the boot, naming it.
 */
export async function ensureBoundedListLinks(strapi: Core.Strapi): Promise<void> {
  const knex = strapi.db.connection;
  const postgres = isPostgres(knex);
  const relations = declaredRelations(strapi);
  if (!(await knex.schema.hasTable(DEFINITIONS))) {
    await knex.schema
      .createTable(DEFINITIONS, (table) => {
        table.string('table_name', 63).primary();
        table.string('fingerprint', 32).notNullable();
      })
      .catch(async (error: unknown) => {
        if (!(await knex.schema.hasTable(DEFINITIONS))) throw error; // else another instance made it first
      });
  }
  const declared = new Set(relations.map((relation) => relation.linksTable));
  for (const table of await madeCopies(knex)) {
    if (declared.has(table)) continue;
    await knex.transaction(async (trx) => {
      if (postgres) await trx.raw('select pg_advisory_xact_lock(?)', [LINKS_LOCK]);
      await dropCopy(trx, table, postgres);
      await trx(DEFINITIONS).where({ table_name: table }).delete();
    });
  }
  for (const relation of relations) {
    const statements = createStatements(relation, postgres);
    const fingerprint = await fingerprintOf(knex, relation, statements, postgres);
    const made = await knex.transaction(async (trx) => {
      if (postgres) await trx.raw('select pg_advisory_xact_lock(?)', [LINKS_LOCK]);
      if (await complete(trx, relation, postgres, fingerprint)) return false;
      for (const statement of statements) await trx.raw(statement);
      await trx(DEFINITIONS).where({ table_name: relation.linksTable }).delete();
      await trx(DEFINITIONS).insert({ table_name: relation.linksTable, fingerprint });
      return true;
    });
    // Statistics, and on PostgreSQL the visibility map, now rather than when autovacuum comes by:
    // unvacuumed, a page of 10 topics read 2,185 of the copy's pages (60 ms at 100,000 articles)
    // instead of the index alone (6 ms). VACUUM cannot run in a transaction.
    if (made) await knex.raw(`${postgres ? 'vacuum analyze' : 'analyze'} ${quote(relation.linksTable)}`);
  }
}
