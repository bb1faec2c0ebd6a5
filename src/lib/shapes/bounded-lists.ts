/**
 * The lists in a default shape that grow with the archive (a topic's articles and events): the
 * newest few of each and how many there are in all, for a whole page of owners in one query per
 * list. Strapi's populate cannot bound a list per owner (its `limit` applies to the populate
 * query across all the owners at once: @strapi/database populate/apply.js), and in a
 * fifteen-year archive a topic has a thousand articles (1.37 MB a topic in its default shape at
 * 100,000 articles: docs/scale.md).
 *
 * A list follows the owner row's own links (the join table Strapi keeps for the relation), so it
 * holds the documents Strapi's populate would, with the status filter Strapi's populate applies;
 * it reads them from the links' copy beside each target's order (bounded-list-links.ts), its
 * items through the Document Service with the list's summary, projected for the caller like the
 * rest of the answer. A type's lists are declared with `boundedLists` so the boot can make
 * their tables and check that each fits its relation.
 */
import type { Core, UID } from '@strapi/strapi';
import type { Knex } from 'knex';
import { metaOf } from '../db/references';

/** One bounded list of a type's default shape. */
export interface BoundedList {
  /** The owner's relation attribute. */
  attribute: string;
  /** The target's attribute the list is ordered by, newest (highest) first; ties by row id, newest first. */
  newestBy: string;
  /** How many items the list shows. */
  limit: number;
  /** What each item shows, as in a populate. */
  summary: { fields: readonly string[]; populate?: Record<string, unknown> };
}

/** Where the whole list's size goes on the owner: `articles` → `articlesTotal`. */
export const totalKey = (list: BoundedList) => `${list.attribute}Total`;

type Owner = { id?: unknown; [key: string]: unknown };
type Item = { id: number; [key: string]: unknown };
type FindManyParams = Parameters<ReturnType<Core.Strapi['documents']>['findMany']>[0];

export interface Relation {
  target: UID.ContentType;
  linkTable: string;
  /** Our copy of the links with the target's order and status (bounded-list-links.ts). */
  linksTable: string;
  ownerColumn: string;
  targetColumn: string;
  targetTable: string;
  orderColumn: string;
  /** Whether the target keeps drafts, so that its rows are filtered by status. */
  draftAndPublish: boolean;
}

const relations = new WeakMap<object, Map<string, Relation>>();
const declared = new Map<UID.ContentType, readonly BoundedList[]>();

/** Declares `uid`'s bounded lists (their tables are made at boot) and returns them. */
export function boundedLists(uid: UID.ContentType, lists: readonly BoundedList[]): readonly BoundedList[] {
  declared.set(uid, lists);
  return lists;
}

export const declaredBoundedLists = (): ReadonlyMap<UID.ContentType, readonly BoundedList[]> => declared;

/**
 * The join table and columns behind `uid.attribute`, from Strapi's database metadata (read through
 * the db-metadata seam); a list that does not fit fails the boot (ensureBoundedListLinks).
 */
export function relationOf(strapi: Core.Strapi, uid: UID.ContentType, list: BoundedList): Relation {
  let known = relations.get(strapi);
  if (!known) relations.set(strapi, (known = new Map()));
  const key = `${uid}.${list.attribute}`;
  let relation = known.get(key);
  if (relation) return relation;
  const attribute = metaOf(strapi, uid)?.attributes[list.attribute];
  const join = attribute?.joinTable;
  const target = attribute?.target as UID.ContentType | undefined;
  const targetMeta = target ? metaOf(strapi, target) : undefined;
  const order = targetMeta?.attributes[list.newestBy] as { columnName?: string } | undefined;
  if (attribute?.type !== 'relation' || !join || join.morphColumn || !target || !targetMeta || !order?.columnName || !targetMeta.attributes.publishedAt) {
    throw new Error(`bounded list ${key}: not a relation through a join table to a type with ${list.newestBy}`);
  }
  relation = {
    target,
    linkTable: join.name,
    linksTable: `${join.name.slice(0, 63 - '_newest'.length)}_newest`,
    ownerColumn: join.joinColumn.name,
    targetColumn: join.inverseJoinColumn.name,
    targetTable: targetMeta.tableName,
    orderColumn: order.columnName,
    draftAndPublish: strapi.contentType(target).options?.draftAndPublish === true,
  };
  known.set(key, relation);
  return relation;
}

/**
 * For each owner row: the ids of its newest `limit` targets, newest first, and how many it has.
 *
 * Each owner's newest `limit` as a range of the copy's index that stops at the limit (one
 * `union all` branch an owner), joined to a count per owner. A window, `count(*) over
 * (partition by owner)` beside `row_number()`, read and ranked every link of every owner (a page
 * of 10 topics at 100,000 articles: 10,101 links, 4.8 ms; now 1.8 ms, most of it the count).
 */
async function newestOf(
  strapi: Core.Strapi,
  relation: Relation,
  limit: number,
  ownerIds: number[],
  status: Status,
): Promise<Map<number, { ids: number[]; total: number }>> {
  const knex = strapi.db.connection;
  const found = new Map<number, { ids: number[]; total: number }>();
  const owners = [...new Set(ownerIds)];
  if (owners.length === 0) return found;
  // As Strapi's populate filters a relation to a type with drafts: the rows of the read's status.
  const ofStatus = (query: Knex.QueryBuilder) => {
    if (relation.draftAndPublish) {
      if (status === 'published') query.whereNotNull('published_at');
      else query.whereNull('published_at');
    }
    return query;
  };
  // Rows without a value last on both databases (PostgreSQL puts NULL first in a descending order, SQLite last).
  const ORDER = 'newest desc nulls last, target_id desc';
  const newest = owners.map((owner) =>
    knex
      .select('*')
      .from(ofStatus(knex(relation.linksTable).where('owner_id', owner)).select({ owner: 'owner_id', id: 'target_id', newest: 'newest' }).orderByRaw(ORDER).limit(limit).as('one_owner')),
  );
  const totals = ofStatus(knex(relation.linksTable).whereIn('owner_id', owners)).select('owner_id').count({ total: '*' }).groupBy('owner_id').as('totals');
  // One statement, so the totals and the newest are of one snapshot.
  const rows = (await knex
    .from(knex.unionAll(newest).as('newest'))
    .join(totals, 'totals.owner_id', 'newest.owner')
    .select('newest.owner', 'newest.id', 'totals.total', knex.raw('row_number() over (partition by newest.owner order by newest.newest desc nulls last, newest.id desc) as place'))
    .orderBy([{ column: 'newest.owner' }, { column: 'place' }])) as Array<{ owner: number | string; id: number | string; total: number | string }>;
  for (const row of rows) {
    const entry = found.get(Number(row.owner)) ?? { ids: [], total: Number(row.total) };
    entry.ids.push(Number(row.id));
    found.set(Number(row.owner), entry);
  }
  return found;
}

type Status = 'draft' | 'published';

/**
 * The status a list follows, as Strapi's populate would: a type with drafts links rows of one
 * status to rows of the same, so its list follows the row served (a slug read serves the
 * published row even when drafts were asked for); a type without drafts (a venue: Strapi sets
 * its `publishedAt` all the same) links both, so its list follows the read's status.
 */
const statusOf = (owner: Owner, ownerHasDrafts: boolean, read: Status): Status =>
  read === 'draft' && ownerHasDrafts && owner.publishedAt !== null ? 'published' : read;

/**
 * Sets each list (its newest items) and its total on every owner in `data` (one document or a
 * page of them, as served: with their row `id` and `publishedAt`). `status` is the read's:
 * `published` for a caller that may not read drafts. `project` turns the items into what the
 * caller may see of them; a list whose target the caller may not read (`project` returns null)
 * is left off, as Strapi's sanitiser leaves off a relation the caller may not `find`.
 */
export async function attachBoundedLists(
  strapi: Core.Strapi,
  uid: UID.ContentType,
  data: unknown,
  lists: readonly BoundedList[],
  status: Status,
  project: (items: Item[], target: UID.ContentType) => Promise<unknown[] | null>,
): Promise<void> {
  const served = (Array.isArray(data) ? data : data && typeof data === 'object' ? [data] : []) as Owner[];
  const owners = served.filter((owner) => Number.isInteger(Number(owner.id)));
  const ownerHasDrafts = strapi.contentType(uid).options?.draftAndPublish === true;
  for (const rowStatus of ['published', 'draft'] as const) {
    const group = owners.filter((owner) => statusOf(owner, ownerHasDrafts, status) === rowStatus);
    if (group.length > 0) await attachTo(strapi, uid, group, lists, rowStatus, project);
  }
}

async function attachTo(
  strapi: Core.Strapi,
  uid: UID.ContentType,
  owners: Owner[],
  lists: readonly BoundedList[],
  status: Status,
  project: (items: Item[], target: UID.ContentType) => Promise<unknown[] | null>,
): Promise<void> {
  const ownerIds = owners.map((owner) => Number(owner.id));
  for (const list of lists) {
    const relation = relationOf(strapi, uid, list);
    const newest = await newestOf(strapi, relation, list.limit, ownerIds, status);
    const ids = [...new Set([...newest.values()].flatMap((entry) => entry.ids))];
    const read =
      ids.length === 0
        ? []
        : ((await strapi.documents(relation.target).findMany({
            status,
            locale: '*',
            filters: { id: { $in: ids } },
            fields: list.summary.fields,
            populate: list.summary.populate ?? {},
          } as FindManyParams)) as Item[]);
    const projected = await project(read, relation.target);
    if (projected === null) continue;
    const byId = new Map(read.map((item, index) => [item.id, projected[index]]));
    for (const owner of owners) {
      const entry = newest.get(Number(owner.id));
      owner[list.attribute] = (entry?.ids ?? []).flatMap((id) => (byId.has(id) ? [byId.get(id)] : []));
      owner[totalKey(list)] = entry?.total ?? 0;
    }
  }
}
