/**
 * Creates a partner's new document (event, person, organisation, venue) in one pass, without
 * Strapi's per-document machinery (issue 13, push speed). Through the Document Service a new
 * bilingual published document cost create + update (en) + publish: each validated again, read
 * back with a deep populate after commit for `entry.*` events nobody here listens to, and publish
 * cloning the drafts it had just written. Here the rows Strapi would end with are inserted at once
 * (src/lib/db/document-rows.ts): the draft, and when publishing the published copy, per locale,
 * each relation pointing at the right locale and status of its target.
 *
 * What the Document Service would have done is done here for this one case, a new document from
 * a partner:
 * - Strapi's entity validator checks every locale's fields (lengths, enums, regexes, required
 *   fields when publishing);
 * - our write rules run as they run for the Document Service, from the one registry
 *   (src/lib/write-rules/): checks and slugs before anything is written, derived fields (a
 *   person's display name) on the rows before they are inserted, the change log around the
 *   insert (`published` per locale, or `created` for a type without drafts), in the caller's
 *   transaction.
 * tests/partner-events/event-writer.test.ts and record-writer.test.ts
 * hold the result to the Document Service's rows, column by column and link by link. Updates,
 * withdrawals and editors' writes still go through the Document Service.
 */
import type { Core, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { createId } from '@paralleldrive/cuid2';
import type { Knex } from 'knex';
import { insertDocumentRows, type NewRow } from '../../../lib/db/document-rows';
import { canonicalJson } from '../../../lib/json/canonical';
import { slugTargetField } from '../../../features/editorial/slug/document-slugs';
import type { OnCommit } from '../../../lib/sync/change-log';
import { runWrite, writeRules, type DerivedFields, type DocumentWrite, type PublishedVersion, type RelationRead } from '../../../lib/write-rules/registry';

export type Status = 'draft' | 'published';

/** A relation given as the Document Service takes it: target documentIds, in order. */
export interface RelationInput {
  uid: UID.ContentType;
  documentIds: string[];
}

export interface ComponentInput {
  uid: string;
  data: Record<string, unknown>;
  relations?: Record<string, RelationInput>;
}

/** One locale of the new document. */
export interface LocaleInput {
  locale: string;
  data: Record<string, unknown>;
  relations?: Record<string, RelationInput>;
  components?: Record<string, ComponentInput[]>;
}

export interface TargetRow {
  id: number;
  documentId: string;
  locale: string | null;
  publishedAt: unknown;
  [field: string]: unknown;
}

/**
 * Rows of the documents a new document points to, by (documentId, locale, status), with Strapi's
 * rule (document-service/transform/relations/utils): a localised target in the source's locale,
 * a draft-and-publish target in the source's status, a target without drafts in its only row.
 */
export class RelationTargets {
  private rows = new Map<string, TargetRow[]>();

  constructor(
    private readonly strapi: Core.Strapi,
    private readonly knex: Knex,
  ) {}

  /**
   * Reads the targets' rows, of every type asked for, in one statement (a UNION ALL of one plain
   * select per type, on the columns Strapi's metadata names, with `fields` beside their ids for
   * callers that derive from them). Read for presence and identity only: no value conversion is
   * needed.
   */
  async load(requests: Array<{ uid: UID.ContentType; documentIds: string[]; fields?: string[] }>): Promise<void> {
    const wanted = requests
      .map(({ uid, documentIds, fields = [] }) => ({ uid, fields, missing: [...new Set(documentIds)].filter((documentId) => !this.rows.has(`${uid}|${documentId}`)) }))
      .filter(({ missing }) => missing.length > 0);
    if (wanted.length === 0) return;
    // Every select gives the same columns, in the same order: a type without one gives null.
    const extra = [...new Set(wanted.flatMap(({ fields }) => fields))];
    const selects = wanted.map(({ uid, fields, missing }) => {
      const meta = this.strapi.db.metadata.get(uid);
      const columnOf = (field: string) => (meta.attributes[field] as { columnName?: string } | undefined)?.columnName ?? field;
      const column = (field: string, present: boolean) => (present ? this.knex.raw('??', [columnOf(field)]) : this.knex.raw('null'));
      return this.knex(meta.tableName)
        .select(
          this.knex.raw('? as ??', [uid, 'uid']),
          { id: 'id', documentId: columnOf('documentId'), publishedAt: columnOf('publishedAt') },
          ...['locale', ...extra].map((field) => this.knex.raw('? as ??', [column(field, field === 'locale' ? 'locale' in meta.attributes : fields.includes(field)), field])),
        )
        .whereIn(columnOf('documentId'), missing);
    });
    // PostgreSQL types a UNION's columns arm by arm from the left, and a null no arm has typed
    // yet becomes text: the arms that give the most columns go first.
    const [first, ...rest] = selects
      .map((select, index) => ({ select, given: wanted[index]!.fields.length + ('locale' in this.strapi.db.metadata.get(wanted[index]!.uid).attributes ? 1 : 0) }))
      .sort((a, b) => b.given - a.given)
      .map(({ select }) => select);
    const found = (await (rest.length > 0 ? first!.unionAll(rest) : first!)) as Array<TargetRow & { uid: string }>;
    for (const { uid, missing } of wanted) for (const documentId of missing) this.rows.set(`${uid}|${documentId}`, []);
    for (const { uid, ...row } of found) this.rows.get(`${uid}|${row.documentId}`)!.push(row);
  }

  /**
   * The row to link, or null where Strapi's publish drops the relation (the target has no
   * published version yet); a draft's missing target is an error, as in Strapi's create.
   */
  row(uid: UID.ContentType, documentId: string, locale: string, status: Status): TargetRow | null {
    const model = this.strapi.getModel(uid);
    const localized = Boolean((model.pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized);
    const draftAndPublish = Boolean(model.options?.draftAndPublish);
    const wantPublished = draftAndPublish ? status === 'published' : true;
    const row = (this.rows.get(`${uid}|${documentId}`) ?? []).find(
      (candidate) => (!localized || candidate.locale === locale) && Boolean(candidate.publishedAt) === wantPublished,
    );
    if (!row && status === 'published') return null;
    if (!row) {
      // The Document Service's own words for a relation it cannot resolve.
      throw new errors.ValidationError(`Document with id "${documentId}", locale "${localized ? locale : null}" not found`);
    }
    return row;
  }

  ids(relation: RelationInput, locale: string, status: Status): number[] {
    return relation.documentIds
      .map((documentId) => this.row(relation.uid, documentId, locale, status)?.id ?? null)
      .filter((id): id is number => id !== null);
  }
}

export interface CreateOptions {
  /** Publish as well (a draft-and-publish type); a type without drafts is always public. */
  publish: boolean;
}

interface ModelAttribute {
  type: string;
  relation?: string;
  target?: string;
  component?: string;
  repeatable?: boolean;
}

const attributesOf = (strapi: Core.Strapi, uid: string) => strapi.getModel(uid as UID.Schema).attributes as Record<string, ModelAttribute>;

/** The reads of a derived field's populate: relation field by relation field, with the model each is on. */
function* relationReads(strapi: Core.Strapi, uid: string, derive: DerivedFields): Generator<{ attribute: ModelAttribute; read: RelationRead }> {
  const attributes = attributesOf(strapi, uid);
  for (const [field, read] of Object.entries(derive.populate)) {
    const attribute = attributes[field];
    if (attribute?.type === 'component' && 'populate' in read) {
      const componentAttributes = attributesOf(strapi, attribute.component!);
      for (const [name, relationRead] of Object.entries(read.populate)) yield { attribute: componentAttributes[name]!, read: relationRead };
    } else if (attribute?.type === 'relation' && 'select' in read) yield { attribute, read };
    else throw new Error(`document-writer: ${uid}.${field} is read for derived fields as neither a relation nor a component's relations`);
  }
}

/**
 * A row about to be inserted, in the shape the Document Service path reads it back for a rule's
 * derived fields (registry.ts DerivedFields): the data given, the components in `populate`, and
 * the target rows the relations in `populate` link in this row's locale and status.
 */
function derivedFieldsView(
  strapi: Core.Strapi,
  uid: string,
  derive: DerivedFields,
  input: LocaleInput,
  status: Status,
  targets: RelationTargets,
): Record<string, unknown> {
  const linked = (attribute: ModelAttribute, relation: RelationInput | undefined) => {
    const rows = (relation?.documentIds ?? []).map((documentId) => targets.row(relation!.uid, documentId, input.locale, status)).filter((row) => row !== null);
    return attribute.relation === 'oneToOne' || attribute.relation === 'manyToOne' ? (rows[0] ?? null) : rows;
  };
  const attributes = attributesOf(strapi, uid);
  const view: Record<string, unknown> = { ...input.data };
  for (const [field, read] of Object.entries(derive.populate)) {
    const attribute = attributes[field]!;
    if (attribute.type === 'relation') {
      view[field] = linked(attribute, input.relations?.[field]);
      continue;
    }
    const componentAttributes = attributesOf(strapi, attribute.component!);
    const components = (input.components?.[field] ?? []).map((component) => ({
      ...component.data,
      ...Object.fromEntries(Object.keys('populate' in read ? read.populate : {}).map((name) => [name, linked(componentAttributes[name]!, component.relations?.[name])])),
    }));
    view[field] = attribute.repeatable ? components : (components[0] ?? null);
  }
  return view;
}

/** The content type's dynamic zones. */
const dynamicZones = (strapi: Core.Strapi, uid: string): Set<string> =>
  new Set(Object.entries(attributesOf(strapi, uid)).flatMap(([field, attribute]) => (attribute.type === 'dynamiczone' ? [field] : [])));

/** A locale's components of dynamic zones, as blocks (`{ __component, ...data }`), by field. */
const blocksOf = (input: LocaleInput, zones: Set<string>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(input.components ?? {})
      .filter(([field]) => zones.has(field))
      .map(([field, components]) => [field, components.map((component) => ({ __component: component.uid, ...component.data }))]),
  );

const withoutFields = (data: Record<string, unknown>, fields: Set<string>) => Object.fromEntries(Object.entries(data).filter(([field]) => !fields.has(field)));

/** Strapi's uid attribute validator's pattern, with at least one character. */
const UID_PATTERN = /^[A-Za-z0-9-_.~]+$/;

/** The draft (and published) rows of one new document, in every locale given; returns its documentId. */
export async function createDocumentRows(
  strapi: Core.Strapi,
  trx: Knex.Transaction,
  onCommit: OnCommit | undefined,
  uid: UID.ContentType,
  locales: LocaleInput[],
  options: CreateOptions,
): Promise<string> {
  const documentId = createId();
  // The rules see each locale's data (a copy: they may complete it, with its slug, say), its
  // dynamic zones' blocks as the Document Service gives them (with `__component`).
  const zones = dynamicZones(strapi, uid);
  const versions = locales.map((input) => ({ locale: input.locale, data: { ...input.data, ...blocksOf(input, zones) } }));
  const rules = writeRules(strapi).forWrite('bulk-writer', uid, 'create');
  let published = new Map<string, PublishedVersion>();
  const write: DocumentWrite = {
    strapi,
    path: 'bulk-writer',
    uid,
    action: 'create',
    documentId: undefined,
    versions,
    transaction: (work) => work({ trx, onCommit }),
    // A new document: nothing published before the insert; after it, the published rows it inserted.
    publishedVersions: () => Promise.resolve(published),
  };
  await runWrite(rules, write, async () => {
    const derived = rules.flatMap((rule) => (rule.derive ? [rule.derive] : []));
    const given = locales.map((input, index) => ({ ...input, data: withoutFields(versions[index]!.data, zones) }));
    const rows = await documentRows(strapi, trx, uid, documentId, given, derived, options);
    const ids = await insertDocumentRows(strapi, trx, uid, rows);
    published = new Map();
    rows.forEach((row, index) => {
      const locale = row.data.locale as string;
      if (row.data.publishedAt) published.set(locale, { id: ids[index]!, locale, updatedAt: null });
    });
    return documentId;
  });
  return documentId;
}

/** The rows of a new document, validated as Strapi would, with the rules' derived fields. */
async function documentRows(
  strapi: Core.Strapi,
  trx: Knex.Transaction,
  uid: UID.ContentType,
  documentId: string,
  locales: LocaleInput[],
  derived: DerivedFields[],
  options: CreateOptions,
): Promise<NewRow[]> {
  const contentType = strapi.contentType(uid);
  const draftAndPublish = Boolean(contentType.options?.draftAndPublish);
  const statuses: Status[] = !draftAndPublish ? ['published'] : options.publish ? ['draft', 'published'] : ['draft'];

  const targets = new RelationTargets(strapi, trx);
  const relationInputs = locales.flatMap((input) => [
    ...Object.values(input.relations ?? {}),
    ...Object.values(input.components ?? {}).flatMap((components) => components.flatMap((component) => Object.values(component.relations ?? {}))),
  ]);
  // The targets' fields that derived fields read.
  const targetFields = new Map<string, string[]>();
  for (const derive of derived) {
    for (const { attribute, read } of relationReads(strapi, uid, derive)) {
      targetFields.set(attribute.target!, [...new Set([...(targetFields.get(attribute.target!) ?? []), ...read.select])]);
    }
  }
  await targets.load(
    [...new Set(relationInputs.map((relation) => relation.uid))].map((target) => ({
      uid: target,
      documentIds: relationInputs.filter((relation) => relation.uid === target).flatMap((relation) => relation.documentIds),
      fields: targetFields.get(target) ?? [],
    })),
  );

  const slugSource = slugTargetField(strapi, uid);
  // After the first locale, only the localized attributes are validated: the others are the
  // same in every locale. A locale whose localized values equal one already validated is not
  // validated again: the outcome would be the same.
  // The slug is checked here, not by the validator: its uniqueness query, when the connection is
  // lost under it, leaves validateEntityCreation pending for ever (the query's rejection escapes
  // yup as an unhandled one) and the push hangs (tests/partner-events/lost-connection.test.ts).
  // The slugs rule (document-slugs.ts) has already made it unique among all of the locale's
  // rows, which is stricter.
  const withoutSlug = (attributes: typeof contentType.attributes) =>
    Object.fromEntries(Object.entries(attributes).filter(([field]) => !slugSource || field !== 'slug')) as typeof contentType.attributes;
  const whole = { ...contentType, attributes: withoutSlug(contentType.attributes) } as typeof contentType;
  const localizedOnly = {
    ...contentType,
    attributes: withoutSlug(
      Object.fromEntries(
        Object.entries(contentType.attributes).filter(([, attribute]) => (attribute.pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized),
      ) as typeof contentType.attributes,
    ),
  } as typeof contentType;
  const validated = new Set<string>();
  const now = new Date();
  const rows: NewRow[] = [];
  for (const input of locales) {
    const { locale, data } = input;
    if (slugSource) {
      // What Strapi's uid validator asks of it: present, and only these characters.
      const slug = typeof data.slug === 'string' ? data.slug : '';
      if (!UID_PATTERN.test(slug)) {
        const message = `slug: "${slug}" made from ${slugSource} "${String(data[slugSource] ?? '')}" is not a valid slug (${locale})`;
        throw new errors.ValidationError(message, { errors: [{ path: ['slug'], message, name: 'ValidationError', value: slug }] });
      }
    }
    // Strapi's validation, as create (draft) and publish would run it; relations are checked
    // when their rows are looked up.
    // As the Document Service takes them: a single component as an object, a dynamic zone's blocks with `__component`.
    const zones = dynamicZones(strapi, uid);
    const componentData = Object.fromEntries(
      Object.entries(input.components ?? {}).map(([field, components]) => {
        const given = components.map((component) => (zones.has(field) ? { __component: component.uid, ...component.data } : component.data));
        return [field, zones.has(field) || attributesOf(strapi, uid)[field]?.repeatable ? given : (given[0] ?? null)];
      }),
    );
    const { slug: _slug, ...checked } = { ...data, ...componentData };
    const seen = canonicalJson(Object.fromEntries(Object.entries(checked).filter(([field]) => field in localizedOnly.attributes)));
    if (validated.size === 0 || !validated.has(seen)) {
      await strapi.entityValidator.validateEntityCreation(validated.size === 0 ? whole : localizedOnly, { ...checked, locale } as never, {
        isDraft: draftAndPublish && !options.publish,
        locale,
      });
      validated.add(seen);
    }

    for (const status of statuses) {
      const relations = Object.fromEntries(Object.entries(input.relations ?? {}).map(([field, relation]) => [field, targets.ids(relation, locale, status)]));
      const components = Object.fromEntries(
        Object.entries(input.components ?? {}).map(([field, list]) => [
          field,
          list.map((component) => ({
            uid: component.uid,
            data: component.data,
            relations: Object.fromEntries(Object.entries(component.relations ?? {}).map(([name, relation]) => [name, targets.ids(relation, locale, status)])),
          })),
        ]),
      );
      const derivedData: Record<string, unknown> = {};
      for (const derive of derived) Object.assign(derivedData, derive.compute(derivedFieldsView(strapi, uid, derive, input, status, targets)));
      rows.push({
        data: { ...data, ...derivedData, documentId, locale, publishedAt: status === 'published' ? now : null },
        relations,
        components,
      });
    }
  }
  return rows;
}
