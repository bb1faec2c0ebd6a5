/**
 * A count of published rows filtered through a relation joins the target's published rows only.
 *
 * Strapi joins every row of the target a filter names: `filters[topics][documentId][$eq]=…`
 * joins the topic's draft and published rows in both locales, and the count then checks the
 * article of each link (3,720 links for a topic with 1,034 published Danish articles at 100,000
 * articles: 8 ms of a 30 ms request; docs/scale.md). Half of those links are the drafts'.
 *
 * Strapi's Document Service links a row of a type with drafts to the target's row of the same
 * status when the target has drafts too (`getRelationTargetStatus` in @strapi/core's
 * document-service/transform/relations/utils/dp: "connect it to the same status as the source
 * status"), and so do this app's bulk writers (tests/import checks it on what they write). So
 * where the counted rows are published, a link to a draft target is never among the joined rows
 * a match can come from, and adding `publishedAt $notNull` to the relation's condition changes
 * no count, as long as the condition is false for a row without a link (all its columns null,
 * Strapi's left join): `$eq`, `$in`, a comparison or a `LIKE` on any of the target's columns.
 * A condition that may hold for a row without links (`$null`, `$not`, `$ne`, `$notIn`, …) is
 * left as it is, and so is every relation outside the top level and its `$and`s.
 *
 * Counts only: the page's ids (./ids-first.ts) are read faster through all the links, whose
 * index gives them in order (a merge join), than through the published ones.
 * Checked against Strapi's own counts in tests/public-api/list-total.test.ts.
 */
import type { Core, UID } from '@strapi/strapi';
import { contentTypes } from '@strapi/utils';

type Where = Record<string, unknown>;
type Attribute = { type?: string; relation?: string; target?: string };

const PUBLISHED = { $notNull: true };

/** Operators that are false (or SQL null) when the column is null, given a value that is not null. */
const NULL_REJECTING = new Set(['$eq', '$eqi', '$in', '$lt', '$lte', '$gt', '$gte', '$between', '$contains', '$containsi', '$startsWith', '$startsWithi', '$endsWith', '$endsWithi']);

const isRecord = (value: unknown): value is Where => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
const hasNull = (value: unknown): boolean => value === null || value === undefined || (Array.isArray(value) && (value.length === 0 || value.some(hasNull)));

/**
 * Whether `condition`, on one joined row whose columns are all null (a row with no link), is
 * never true. Conservative: what it does not know is taken as "may be true".
 */
export function rejectsNullRow(condition: unknown): boolean {
  if (!isRecord(condition)) return !hasNull(condition); // a value: `= value` (an array: `in`)
  // The keys of an object are a conjunction: one that rejects the null row is enough.
  return Object.entries(condition).some(([key, value]) => {
    if (key === '$and') return Array.isArray(value) && value.some(rejectsNullRow);
    if (key === '$or') return Array.isArray(value) && value.length > 0 && value.every(rejectsNullRow);
    if (key === '$notNull') return value === true;
    if (key.startsWith('$')) return NULL_REJECTING.has(key) && !hasNull(value);
    return rejectsNullRow(value); // a column of the target, or a relation of it (joined after it)
  });
}

/** `where` with `publishedAt $notNull` added to each relation condition it may be added to (see above). */
export function narrowToPublishedTargets(strapi: Core.Strapi, uid: string, where: unknown): unknown {
  const model = strapi.getModel(uid as UID.Schema);
  if (!model || !contentTypes.hasDraftAndPublish(model) || !isRecord(where) || !isPublishedOnly(where.publishedAt)) return where;
  const attributes = model.attributes as Record<string, Attribute>;
  const narrow = (part: Where): Where =>
    Object.fromEntries(
      Object.entries(part).map(([key, value]) => {
        if (key === '$and' && Array.isArray(value)) return [key, value.map((each) => (isRecord(each) ? narrow(each) : each))];
        const attribute = attributes[key];
        if (attribute?.type !== 'relation' || !attribute.target || attribute.relation?.startsWith('morph')) return [key, value];
        const target = strapi.getModel(attribute.target as UID.Schema);
        // Only the form `{ <target attribute>: … }`: Strapi refuses operators beside attributes.
        const narrowable =
          target && contentTypes.hasDraftAndPublish(target) && isRecord(value) && !('publishedAt' in value) && !Object.keys(value).some((name) => name.startsWith('$')) && rejectsNullRow(value);
        return [key, narrowable ? { ...value, publishedAt: PUBLISHED } : value];
      }),
    );
  return narrow(where);
}

function isPublishedOnly(condition: unknown): boolean {
  return isRecord(condition) && Object.keys(condition).length === 1 && condition.$notNull === true;
}
