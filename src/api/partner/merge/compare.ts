/**
 * The side-by-side read an editor decides a merge from (GET /admin/duplicates/compare): both
 * documents in every locale, draft and published, field by field, with what each field offers
 * (`choices`), what a merge does when it is not named (`default`) and whether the two differ.
 * `keep.updatedAt` and `merge.updatedAt` are the versions to send back with the merge: a change
 * to either document after this read makes the merge stale (409).
 *
 * Fields the same in every locale (a person's name and photo, an event's start) come once, with
 * `locale: null`; the others once per locale either document has. In a locale only one has, a
 * field has no choice: a locale only the merged document has becomes the kept one's as it is.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { HttpError } from '../../../lib/http/http-error';
import { comparableValue, mergeFields, rawRows, readField, shown, type Choice, type FieldKind, type FieldValue } from './fields';
import { loadPair, planFields, toDocRow, versionOf, type DocRow } from './merge';

export interface SideValue {
  draft: unknown;
  /** Absent when this side has no published version in the locale. */
  published?: unknown;
}

export interface ComparedField {
  field: string;
  locale: string | null;
  kind: FieldKind;
  localized: boolean;
  multiple: boolean;
  /** kind component: the component's uid (for its field labels). */
  component?: string;
  /** What a merge may do with it (empty: nothing to choose, the locale is one side's only). */
  choices: Choice[];
  /** What a merge does when the choice does not name it. */
  default: Choice | null;
  /** The drafts differ (or the published versions do). */
  differs: boolean;
  keep: SideValue | null;
  merge: SideValue | null;
}

export interface ComparedSide {
  documentId: string;
  label: string | null;
  /** Send back as keep.updatedAt / merge.updatedAt. */
  updatedAt: string | null;
  locales: Array<{ locale: string; published: boolean; slug: string | null }>;
}

export interface Comparison {
  type: string;
  keep: ComparedSide;
  merge: ComparedSide;
  locales: { shared: string[]; onlyKeep: string[]; onlyMerge: string[] };
  fields: ComparedField[];
  /** The fields that differ, as `field` or `field@locale`. */
  differences: string[];
}

const LABEL_COLUMNS = ['title', 'name'];

function side(documentId: string, rows: DocRow[]): ComparedSide {
  const drafts = rows.filter((row) => !row.published);
  const first = drafts.find((row) => row.locale === 'da') ?? drafts[0] ?? rows[0];
  const labelColumn = LABEL_COLUMNS.find((column) => first && column in first.raw);
  const locales = [...new Set(rows.map((row) => row.locale).filter((locale): locale is string => !!locale))].sort();
  return {
    documentId,
    label: first && labelColumn ? ((first.raw[labelColumn] as string | null) ?? null) : null,
    updatedAt: versionOf(rows.map((row) => ({ updatedAt: typeof row.raw.updated_at === 'string' && /^\d+$/.test(row.raw.updated_at) ? Number(row.raw.updated_at) : row.raw.updated_at }))),
    locales: locales.map((locale) => {
      const draft = drafts.find((row) => row.locale === locale);
      return { locale, published: rows.some((row) => row.locale === locale && row.published), slug: (draft?.raw.slug as string | null | undefined) ?? null };
    }),
  };
}

export async function compareDocuments(strapi: Core.Strapi, type: string, keepId: unknown, mergeId: unknown): Promise<Comparison> {
  for (const [name, value] of [
    ['keep', keepId],
    ['merge', mergeId],
  ] as const) {
    if (typeof value !== 'string' || value.trim() === '') throw new HttpError(400, 'bad-request', `${name} (a documentId) is required`, { field: name });
  }
  const { uid } = await loadPair(strapi, type, { documentId: keepId as string }, { documentId: mergeId as string });
  // One transaction: both documents as of one moment.
  return strapi.db.transaction(async ({ trx }) => {
    const knex = trx as unknown as Knex;
    const fields = mergeFields(strapi, uid);
    const kept = (await rawRows(strapi, knex, uid, keepId as string)).map(toDocRow);
    const merged = (await rawRows(strapi, knex, uid, mergeId as string)).map(toDocRow);
    const plan = await planFields(strapi, knex, uid, fields, kept, merged, {});
    const keepSide = side(keepId as string, kept);
    const mergeSide = side(mergeId as string, merged);
    const keepLocales = keepSide.locales.map((entry) => entry.locale);
    const mergeLocales = mergeSide.locales.map((entry) => entry.locale);
    const all = [...new Set([...keepLocales, ...mergeLocales])].sort();
    const compared: ComparedField[] = [];
    for (const field of fields) {
      const keptValues = await readField(strapi, knex, uid, field, kept.map((row) => row.raw));
      const mergedValues = await readField(strapi, knex, uid, field, merged.map((row) => row.raw));
      const valueOf = (rows: DocRow[], values: Map<number, FieldValue>, locale: string | null): { shownValue: SideValue; draft?: FieldValue; published?: FieldValue } | null => {
        const drafts = rows.filter((row) => !row.published);
        const draftRow = locale === null ? (drafts.find((row) => row.locale === 'da') ?? drafts[0]) : drafts.find((row) => row.locale === locale);
        if (!draftRow) return null;
        const publishedRow = rows.find((row) => row.published && row.locale === draftRow.locale);
        const draft = values.get(draftRow.id);
        const published = publishedRow ? values.get(publishedRow.id) : undefined;
        return { shownValue: { draft: shown(field, draft), ...(publishedRow ? { published: shown(field, published) } : {}) }, draft, published };
      };
      for (const locale of field.localized ? all : [null]) {
        const keep = valueOf(kept, keptValues, locale);
        const merge = valueOf(merged, mergedValues, locale);
        const planned = plan.find((entry) => entry.field === field && entry.locale === locale);
        const differs =
          !!keep &&
          !!merge &&
          (comparableValue(field, keep.draft) !== comparableValue(field, merge.draft) ||
            (keep.published !== undefined && merge.published !== undefined && comparableValue(field, keep.published) !== comparableValue(field, merge.published)));
        compared.push({
          field: field.name,
          locale,
          kind: field.kind,
          localized: field.localized,
          multiple: field.multiple,
          ...(field.component ? { component: field.component } : {}),
          choices: planned ? field.choices : [],
          default: planned?.choice ?? null,
          differs,
          keep: keep?.shownValue ?? null,
          merge: merge?.shownValue ?? null,
        });
      }
    }
    return {
      type,
      keep: keepSide,
      merge: mergeSide,
      locales: {
        shared: keepLocales.filter((locale) => mergeLocales.includes(locale)),
        onlyKeep: keepLocales.filter((locale) => !mergeLocales.includes(locale)),
        onlyMerge: mergeLocales.filter((locale) => !keepLocales.includes(locale)),
      },
      fields: compared,
      differences: compared.filter((entry) => entry.differs).map((entry) => (entry.locale ? `${entry.field}@${entry.locale}` : entry.field)),
    };
  });
}
