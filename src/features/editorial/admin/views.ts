/**
 * How the content manager shows our types, kept in the repo instead of clicked together:
 * list columns, default sort, the edit view's rows, labels from `labels.ts`, which field names a
 * document in relation pickers and lists, and what editors may not touch. Applied at every boot
 * over whatever is stored (`applyAdminViews`), so the admin looks the same on every machine;
 * a change made through "Configure the view" lasts until the next restart.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Core } from '@strapi/strapi';
import { COMPONENT_LABELS, CONTENT_TYPE_LABELS, SYSTEM_FIELDS, bilingualHint, type FieldLabel } from './labels';

export interface ViewSpec {
  /** The field that names a document (relation pickers, list links, repeatable component titles). */
  mainField?: string;
  /** List columns, in order; status and locales are added by Strapi itself. */
  list?: string[];
  sort?: { by: string; order: 'ASC' | 'DESC' };
  pageSize?: number;
  /** Edit view rows; a field's width is its size (of 12) below or Strapi's default for its type. */
  edit: string[][];
  sizes?: Record<string, number>;
  /** Shown in lists but not in the edit view (derived fields). */
  hidden?: string[];
  /** Shown but not editable (set by the partner import). */
  readOnly?: string[];
}

export const CONTENT_TYPE_VIEWS: Record<string, ViewSpec> = {
  'api::article.article': {
    mainField: 'title',
    list: ['title', 'topics', 'updatedAt'],
    sort: { by: 'updatedAt', order: 'DESC' },
    edit: [['title'], ['slug', 'topics'], ['lead'], ['body'], ['cover', 'coverCaption'], ['coverCredit', 'authors'], ['events', 'quotes'], ['externalLinks'], ['seo']],
    sizes: { title: 12, lead: 12 },
  },
  'api::event.event': {
    mainField: 'title',
    list: ['title', 'startsAt', 'venue', 'eventStatus'],
    sort: { by: 'startsAt', order: 'DESC' },
    edit: [
      ['title'],
      ['slug', 'kind'],
      ['startsAt', 'endsAt'],
      ['timeZone', 'eventStatus'],
      ['venue', 'attendanceMode'],
      ['summary'],
      ['description'],
      ['participants'],
      ['organisers', 'parent'],
      ['topics', 'programmeUrl'],
      ['subEvents', 'articles'],
      ['quotes'],
      ['sourcePartner', 'externalId'],
    ],
    sizes: { title: 12, summary: 12 },
    readOnly: ['sourcePartner', 'externalId'],
  },
  'api::person.person': {
    mainField: 'displayName',
    list: ['name', 'currentAffiliation', 'updatedAt'],
    sort: { by: 'name', order: 'ASC' },
    edit: [['name', 'slug'], ['affiliations'], ['bio'], ['photo', 'email'], ['quotes', 'authoredArticles']],
    sizes: { bio: 12 },
    hidden: ['displayName', 'currentAffiliation'],
  },
  'api::organisation.organisation': {
    mainField: 'name',
    list: ['name', 'shortName', 'kind', 'parent'],
    sort: { by: 'name', order: 'ASC' },
    edit: [['name', 'shortName'], ['slug', 'kind'], ['parent', 'website'], ['logo'], ['aliases'], ['units', 'organisedEvents']],
  },
  'api::venue.venue': {
    mainField: 'name',
    list: ['name', 'code', 'city'],
    sort: { by: 'name', order: 'ASC' },
    edit: [['name', 'code'], ['area', 'city'], ['address'], ['latitude', 'longitude'], ['events']],
    sizes: { address: 12 },
  },
  'api::topic.topic': {
    mainField: 'name',
    list: ['name', 'slug', 'updatedAt'],
    sort: { by: 'name', order: 'ASC' },
    edit: [['name', 'slug'], ['description'], ['articles', 'events']],
    sizes: { description: 12 },
  },
  'api::quote.quote': {
    mainField: 'text',
    list: ['text', 'person', 'saidOn'],
    sort: { by: 'updatedAt', order: 'DESC' },
    edit: [['text'], ['person', 'saidOn'], ['event', 'articles']],
    sizes: { text: 12 },
  },
};

export const COMPONENT_VIEWS: Record<string, ViewSpec> = {
  'blocks.rich-text': { edit: [['body']] },
  'blocks.quote': { edit: [['quote']] },
  'blocks.image': { mainField: 'caption', edit: [['image', 'alternativeText'], ['caption', 'credit']] },
  'blocks.fact-box': { mainField: 'title', edit: [['title'], ['facts']], sizes: { title: 12 } },
  'blocks.event-teaser': { mainField: 'heading', edit: [['event', 'heading'], ['callToAction']] },
  'events.participant': { mainField: 'part', edit: [['person', 'part']] },
  'people.affiliation': { mainField: 'title', edit: [['title', 'organisation'], ['kind', 'current'], ['from', 'to']] },
  'shared.external-link': { mainField: 'label', edit: [['label', 'url']] },
  'shared.fact': { mainField: 'label', edit: [['label', 'value']] },
  'shared.seo': { mainField: 'metaTitle', edit: [['metaTitle', 'shareImage'], ['metaDescription'], ['noIndex']], sizes: { metaDescription: 12 } },
};

/** Attributes Strapi adds to every model; not ours to place in an edit view. */
export const STRAPI_ATTRIBUTES = new Set(['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy', 'locale', 'localizations']);

interface Metadata {
  edit: { label?: string; description?: string; placeholder?: string; visible?: boolean; editable?: boolean; mainField?: string };
  list: { label?: string; searchable?: boolean; sortable?: boolean; mainField?: string };
}

export interface StoredConfiguration {
  settings: Record<string, unknown>;
  metadatas: Record<string, Metadata>;
  layouts: { list: string[]; edit: Array<Array<{ name: string; size: number }>> };
}

interface Attribute {
  type: string;
  /** Relations: the target uid (`target` in Strapi's model, `targetModel` in the content manager's). */
  target?: string;
  targetModel?: string;
}

interface Model {
  uid: string;
  attributes: Record<string, Attribute>;
}

interface ConfigurationService {
  findContentType?(uid: string): Model | undefined;
  findComponent?(uid: string): Model | undefined;
  findConfiguration(model: Model): Promise<StoredConfiguration>;
  updateConfiguration(model: Model, configuration: StoredConfiguration): Promise<unknown>;
}

interface FieldSizes {
  getFieldSize(type: string): { default: number; isResizable: boolean };
}

/** The field that names a document of `uid` in another type's relation picker. */
function mainFieldOf(uid: string | undefined): string | undefined {
  return uid ? CONTENT_TYPE_VIEWS[uid]?.mainField : undefined;
}

function mustExist(model: Model, names: Iterable<string>, what: string): void {
  for (const name of names) {
    if (!(name in model.attributes)) throw new Error(`[admin views] ${model.uid}: ${what} names unknown field "${name}"`);
  }
}

/** The configuration we want for one model, built over the stored one (which keeps `id` and friends). */
export function wantedConfiguration(
  model: Model,
  spec: ViewSpec,
  labels: Record<string, FieldLabel>,
  stored: StoredConfiguration,
  fieldSizes: FieldSizes
): StoredConfiguration {
  mustExist(model, spec.edit.flat(), 'edit layout');
  mustExist(model, spec.list ?? [], 'list layout');
  mustExist(model, [...(spec.hidden ?? []), ...(spec.readOnly ?? [])], 'hidden or readOnly');
  if (spec.mainField) mustExist(model, [spec.mainField], 'mainField');
  if (spec.sort) mustExist(model, [spec.sort.by], 'sort');

  const edit = spec.edit.map((row) =>
    row.map((name) => {
      const { default: size, isResizable } = fieldSizes.getFieldSize(model.attributes[name]!.type);
      const wanted = spec.sizes?.[name];
      return { name, size: wanted && isResizable ? wanted : size };
    })
  );
  for (const row of edit) {
    const width = row.reduce((sum, field) => sum + field.size, 0);
    if (width > 12) throw new Error(`[admin views] ${model.uid}: row ${row.map((f) => f.name).join(', ')} is ${width} wide (max 12)`);
  }

  const hidden = new Set(spec.hidden ?? []);
  const readOnly = new Set(spec.readOnly ?? []);
  const metadatas: Record<string, Metadata> = {};
  for (const [name, current] of Object.entries(stored.metadatas)) {
    const text = labels[name];
    const attribute = model.attributes[name];
    const relationMainField = attribute?.type === 'relation' ? mainFieldOf(attribute.target ?? attribute.targetModel) : undefined;
    metadatas[name] = {
      edit: {
        ...current.edit,
        ...(text ? { label: text.label.da, description: bilingualHint(text.hint), placeholder: text.placeholder ?? '' } : {}),
        ...(hidden.has(name) ? { visible: false } : {}),
        ...(readOnly.has(name) ? { editable: false } : {}),
        ...(relationMainField ? { mainField: relationMainField } : {}),
      },
      list: { ...current.list, ...(text ? { label: text.label.da } : {}) },
    };
  }

  return {
    settings: {
      ...stored.settings,
      ...(spec.mainField ? { mainField: spec.mainField } : {}),
      ...(spec.sort ? { defaultSortBy: spec.sort.by, defaultSortOrder: spec.sort.order } : {}),
      ...(spec.pageSize ? { pageSize: spec.pageSize } : {}),
    },
    metadatas,
    layouts: { ...stored.layouts, list: spec.list ?? stored.layouts.list, edit },
  };
}

const comparable = ({ settings, metadatas, layouts }: StoredConfiguration) => ({ settings, metadatas, layouts });

/** Applies the views; returns the uids whose stored configuration changed (none on a second run). */
export async function applyAdminViews(strapi: Core.Strapi): Promise<string[]> {
  const contentManager = strapi.plugin('content-manager');
  const fieldSizes = contentManager.service('field-sizes') as FieldSizes;
  const changed: string[] = [];

  const apply = async (service: ConfigurationService, model: Model | undefined, uid: string, spec: ViewSpec, labels: Record<string, FieldLabel>) => {
    if (!model) throw new Error(`[admin views] no model ${uid}`);
    const stored = comparable(await service.findConfiguration(model));
    const wanted = wantedConfiguration(model, spec, labels, stored, fieldSizes);
    if (isDeepStrictEqual(stored, wanted)) return;
    await service.updateConfiguration(model, wanted);
    changed.push(uid);
  };

  const contentTypes = contentManager.service('content-types') as ConfigurationService;
  for (const [uid, spec] of Object.entries(CONTENT_TYPE_VIEWS)) {
    const labels = { ...SYSTEM_FIELDS, ...CONTENT_TYPE_LABELS[uid]?.fields };
    await apply(contentTypes, contentTypes.findContentType?.(uid), uid, spec, labels);
  }
  const components = contentManager.service('components') as ConfigurationService;
  for (const [uid, spec] of Object.entries(COMPONENT_VIEWS)) {
    await apply(components, components.findComponent?.(uid), uid, spec, COMPONENT_LABELS[uid]?.fields ?? {});
  }
  if (changed.length > 0) strapi.log.info(`[admin] content-manager views applied to ${changed.join(', ')}`);
  return changed;
}
