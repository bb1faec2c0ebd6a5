/**
 * What the search index keeps of each searchable type: a title, a lead and a body of plain text,
 * read from the published document in one locale through the Document Service. Only public
 * fields: never a person's email, a partner's data or a draft. An article's body is its rich
 * text and the quotes it shows with who said them (so a name finds the articles quoting them);
 * a person's lead is their current affiliation.
 */
import type { Core, UID } from '@strapi/strapi';
import { indexTerms, type SearchLocale } from './text';
import type { IndexedDocument } from './index-store';
import { personDisplayFields } from '../person/display-fields';
import { documentIdsIn } from '../../lib/json/document-ids';

type Doc = Record<string, unknown>;

/** The searchable types, by their plural API name (the `types` parameter). */
export const SEARCHABLE = {
  articles: 'api::article.article',
  events: 'api::event.event',
  people: 'api::person.person',
  organisations: 'api::organisation.organisation',
  topics: 'api::topic.topic',
} as const satisfies Record<string, UID.ContentType>;
export type SearchableType = keyof typeof SEARCHABLE;
export const SEARCHABLE_UIDS = new Set<string>(Object.values(SEARCHABLE));
export const pluralOfSearchable = (uid: string): SearchableType | undefined =>
  (Object.entries(SEARCHABLE) as Array<[SearchableType, string]>).find(([, value]) => value === uid)?.[0];

/** The text of Strapi blocks (rich text): every text node, paragraphs apart. */
export function blocksText(value: unknown): string {
  if (Array.isArray(value)) return value.map(blocksText).filter(Boolean).join('\n');
  if (value && typeof value === 'object') {
    const node = value as { text?: unknown; children?: unknown };
    if (typeof node.text === 'string') return node.text;
    return blocksText(node.children);
  }
  return '';
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const names = (value: unknown) => (Array.isArray(value) ? (value as Doc[]).map((item) => text(item.name)).filter(Boolean) : []);

interface Reader {
  populate: Record<string, unknown>;
  read(doc: Doc): { title: string; lead: string; body: string; startsAt?: unknown };
}

const READERS: Record<string, Reader> = {
  'api::article.article': {
    populate: {
      authors: { fields: ['name'] },
      body: {
        on: {
          'blocks.rich-text': true,
          'blocks.quote': { populate: { quote: { fields: ['text'], populate: { person: { fields: ['name'] } } } } },
          'blocks.fact-box': { populate: { facts: true } },
        },
      },
    },
    read: (doc) => {
      const blocks = (Array.isArray(doc.body) ? doc.body : []) as Doc[];
      const body = blocks.map((block) => {
        if (block.__component === 'blocks.rich-text') return blocksText(block.body);
        if (block.__component === 'blocks.quote') {
          const quote = (block.quote ?? {}) as Doc;
          return [text(quote.text), text((quote.person as Doc | null)?.name)].filter(Boolean).join(' — ');
        }
        if (block.__component === 'blocks.fact-box') {
          return [text(block.title), ...((Array.isArray(block.facts) ? block.facts : []) as Doc[]).map((fact) => `${text(fact.label)} ${text(fact.value)}`)].join('\n');
        }
        return '';
      });
      return { title: text(doc.title), lead: text(doc.lead), body: [...body, names(doc.authors).join(', ')].filter(Boolean).join('\n') };
    },
  },
  'api::event.event': {
    populate: { venue: { fields: ['name'] }, participants: { populate: { person: { fields: ['name'] } } } },
    read: (doc) => ({
      title: text(doc.title),
      lead: text(doc.summary),
      body: [
        blocksText(doc.description),
        text((doc.venue as Doc | null)?.name),
        ((Array.isArray(doc.participants) ? doc.participants : []) as Doc[]).map((participant) => text((participant.person as Doc | null)?.name)).filter(Boolean).join(', '),
      ]
        .filter(Boolean)
        .join('\n'),
      startsAt: doc.startsAt,
    }),
  },
  'api::person.person': {
    // Worked out from the affiliations as display-fields.ts does: the stored field is refreshed
    // after the write that the index reads inside.
    populate: { affiliations: { populate: { organisation: { fields: ['name', 'shortName'] } } } },
    read: (doc) => ({
      title: text(doc.name),
      lead: personDisplayFields(doc as Parameters<typeof personDisplayFields>[0]).currentAffiliation,
      body: text(doc.bio),
    }),
  },
  'api::organisation.organisation': {
    populate: {},
    read: (doc) => ({
      title: [text(doc.name), text(doc.shortName)].filter(Boolean).join(' '),
      lead: '',
      body: Array.isArray(doc.aliases) ? (doc.aliases as unknown[]).filter((alias): alias is string => typeof alias === 'string').join(', ') : '',
    }),
  },
  'api::topic.topic': {
    populate: {},
    read: (doc) => ({ title: text(doc.name), lead: text(doc.description), body: '' }),
  },
};

type Attribute = { type: string; target?: string; component?: string };
type Populate = Record<string, unknown>;
const sourcesCache = new WeakMap<Core.Strapi, Map<string, string[]>>();

/**
 * The types whose text the rows of a searchable type hold (plural API names): itself and every
 * type its reader populates, found from the schemas, so a cached search answer is dropped by a
 * change to a person when it searched articles (which show quotes by people), and by nothing
 * else.
 */
export function textSourceTypes(strapi: Core.Strapi, type: SearchableType): string[] {
  let cache = sourcesCache.get(strapi);
  if (!cache) sourcesCache.set(strapi, (cache = new Map()));
  const known = cache.get(type);
  if (known) return known;
  const schemaOf = (uid: string) =>
    ((strapi.contentTypes as unknown as Record<string, { attributes: Record<string, Attribute> }>)[uid] ??
      (strapi.components as unknown as Record<string, { attributes: Record<string, Attribute> }>)[uid])?.attributes ?? {};
  const found = new Set<string>([SEARCHABLE[type]]);
  const nestedPopulate = (value: unknown): Populate => ((value && typeof value === 'object' ? (value as { populate?: unknown }).populate : undefined) ?? {}) as Populate;
  const walk = (uid: string, populate: Populate) => {
    const attributes = schemaOf(uid);
    for (const [name, value] of Object.entries(populate)) {
      const attribute = attributes[name];
      if (attribute?.type === 'relation' && attribute.target) {
        found.add(attribute.target);
        walk(attribute.target, nestedPopulate(value));
      } else if (attribute?.type === 'component' && attribute.component) {
        walk(attribute.component, nestedPopulate(value));
      } else if (attribute?.type === 'dynamiczone') {
        const on = ((value && typeof value === 'object' ? (value as { on?: unknown }).on : undefined) ?? {}) as Populate;
        for (const [component, inner] of Object.entries(on)) walk(component, nestedPopulate(inner));
      }
    }
  };
  walk(SEARCHABLE[type], READERS[SEARCHABLE[type]]!.populate);
  const plurals = [...found].map((uid) => strapi.contentType(uid as UID.ContentType).info.pluralName).sort();
  cache.set(type, plurals);
  return plurals;
}


/** The documents whose text a populated document holds: every documentId in it but its own. */
function relatedDocumentIds(doc: Doc, own: string): string[] {
  const found = new Set<string>();
  documentIdsIn(doc, found);
  found.delete(own);
  return [...found].sort();
}

/** The published document as the index keeps it, or null when it is not public in that locale. */
export async function readIndexed(strapi: Core.Strapi, uid: string, documentId: string, locale: string): Promise<IndexedDocument | null> {
  return (await readIndexedMany(strapi, uid, [documentId], locale)).get(documentId) ?? null;
}

/**
 * Many documents of one type in one locale as the index keeps them (one Document Service read
 * for all of them), by documentId; a document not public in that locale is left out.
 */
export async function readIndexedMany(strapi: Core.Strapi, uid: string, documentIds: string[], locale: string): Promise<Map<string, IndexedDocument>> {
  const found = new Map<string, IndexedDocument>();
  const reader = READERS[uid];
  if (!reader || (locale !== 'da' && locale !== 'en') || documentIds.length === 0) return found;
  const documents = strapi.documents(uid as UID.ContentType) as unknown as { findMany(params: Record<string, unknown>): Promise<Doc[]> };
  const asked = new Set(documentIds);
  const docs = await documents.findMany({
    filters: { documentId: { $in: [...asked] } },
    locale,
    status: 'published',
    populate: reader.populate,
    limit: asked.size,
  });
  for (const doc of docs) {
    // Only the documents asked for, in that locale (never a merged document's successor).
    if (doc.locale !== locale || typeof doc.documentId !== 'string' || !asked.has(doc.documentId)) continue;
    const documentId = doc.documentId;
    const { title, lead, body, startsAt } = reader.read(doc);
    const searchLocale = locale as SearchLocale;
    found.set(documentId, {
      contentType: uid,
      documentId,
      locale,
      slug: typeof doc.slug === 'string' ? doc.slug : null,
      title,
      lead,
      body,
      startsAt: typeof startsAt === 'string' || startsAt instanceof Date ? new Date(startsAt) : null,
      publishedAt: typeof doc.publishedAt === 'string' || doc.publishedAt instanceof Date ? new Date(doc.publishedAt) : null,
      terms: { title: indexTerms(title, searchLocale), lead: indexTerms(lead, searchLocale), body: indexTerms(body, searchLocale) },
      dependsOn: relatedDocumentIds(doc, documentId),
    });
  }
  return found;
}
