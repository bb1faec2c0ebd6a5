/**
 * What the import tests share: a small NDJSON file of every type (relations by key and by slug,
 * components, a dynamic zone, a draft-only article, a Danish-only one, a venue without drafts),
 * the same content built through the Document Service (an oracle written apart from the
 * importer), and the row counts of every table (tests/review-merge/accounting.ts).
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import type { Knex } from 'knex';
export { tableCounts } from '../review-merge/accounting';

/** The tables whose row count changed between two tableCounts, and by how much. */
export const growth = (before: Record<string, number>, after: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(after).filter(([table, count]) => count !== before[table]).map(([table, count]) => [table, count - (before[table] ?? 0)]));
import { appModule, type TestApp } from '../helpers/app';
import { linksAcrossStatus, looseDocuments } from '../helpers/documents';
import { getJson, queryGraphql } from '../front-end/shared';
import type * as ImportFile from '../../src/features/import/import-file';
import { IMPORT_TYPES as TYPES } from '../../src/features/import/shape';

export type Line = Record<string, unknown> & { type: string; key: string };

export const LINES: Line[] = [
  { type: 'topic', key: 'topic/klima', da: { name: 'Klima og energi', description: 'Grøn omstilling' }, en: { name: 'Climate and energy' } },
  { type: 'topic', key: 'topic/sundhed', da: { name: 'Sundhed' }, en: { name: 'Health', slug: 'health-and-care' } },
  { type: 'organisation', key: 'org/region', kind: 'region', shortName: 'RegH', da: { name: 'Region Nord' }, en: { name: 'North Region' } },
  {
    type: 'organisation',
    key: 'org/lab',
    kind: 'research',
    website: 'https://lab.example.org',
    aliases: ['Laboratoriet'],
    parent: 'org/region',
    da: { name: 'Innovationslaboratoriet' },
    en: { name: 'Innovation Lab' },
  },
  { type: 'venue', key: 'venue/hal', code: 'H1', city: 'Aarhus', latitude: 56.15, longitude: 10.2, da: { name: 'Store Hal' }, en: { name: 'Great Hall' } },
  {
    type: 'person',
    key: 'person/ane',
    name: 'Ane Hansen',
    email: 'ane@example.org',
    da: { bio: 'Forsker i energi.', affiliations: [{ title: 'Professor', organisation: 'org/region', from: '2020-01-01' }] },
    en: { bio: 'Energy researcher.', affiliations: [{ title: 'Professor', organisation: { key: 'org/region' } }] },
  },
  { type: 'person', key: 'person/bo', name: 'Bo Jensen', da: {}, en: {} },
  {
    type: 'event',
    key: 'event/festival',
    kind: 'festival',
    startsAt: '2027-06-10T09:00:00+02:00',
    endsAt: '2027-06-12T18:00:00+02:00',
    venue: 'venue/hal',
    organisers: ['org/region'],
    da: { title: 'Innovationsfestival 2027', summary: 'Tre dage' },
    en: { title: 'Innovation Festival 2027' },
  },
  {
    type: 'event',
    key: 'event/debat',
    startsAt: '2027-06-11T14:00:00+02:00',
    parent: 'event/festival',
    venue: 'venue/hal',
    organisers: ['org/lab', 'org/region'],
    topics: [{ slug: 'klima-og-energi' }, 'topic/sundhed'],
    participants: [{ person: 'person/ane', part: 'moderator' }, { person: 'person/bo' }],
    da: { title: 'Debat om energi', description: 'Første afsnit.\n\nAndet afsnit.' },
    en: { title: 'Energy debate', description: 'First paragraph.' },
  },
  {
    type: 'article',
    key: 'article/1',
    coverCredit: 'Foto: Redaktionen',
    authors: ['person/ane', 'person/bo'],
    topics: ['topic/klima'],
    events: ['event/debat'],
    da: {
      title: 'Energi i fremtiden',
      lead: 'En kort indledning',
      body: 'Første afsnit.\n\nAndet afsnit.',
      seo: { metaTitle: 'Energi', noIndex: false },
      externalLinks: [{ label: 'Rapport', url: 'https://example.org/rapport' }],
    },
    en: { title: 'Energy in the future', lead: 'A short lead', body: 'First paragraph.' },
  },
  { type: 'article', key: 'article/2', topics: ['topic/sundhed'], da: { title: 'Kun på dansk', body: 'Tekst.' } },
  { type: 'article', key: 'article/draft', publish: false, authors: ['person/bo'], da: { title: 'Kladde' }, en: { title: 'Draft' } },
];

export const ndjson = (lines: Array<Line | string>) => `${lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n')}\n`;

/** Writes `content` to a file of its own in a temporary folder; returns its path. */
export function writeFile(content: string, name = 'import.ndjson'): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'import-test-')), name);
  writeFileSync(file, content);
  return file;
}

/** The app's importer (the compiled module the app runs). */
export const importer = () => appModule<typeof ImportFile>('src/features/import/import-file.js');

const paragraphs = (text: unknown) =>
  typeof text === 'string' ? text.split(/\n\s*\n/).map((chunk) => ({ type: 'paragraph', children: [{ type: 'text', text: chunk.trim() }] })) : undefined;
const defined = (data: Record<string, unknown>) => Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));

/**
 * The same lines through the Document Service, as an editor would make them: create in Danish,
 * update in English, publish (unless `publish: false`). Relations by the documentIds of earlier
 * lines (key) or by slug.
 */
export async function buildThroughDocumentService(app: TestApp, lines: Line[]): Promise<void> {
  const ids = new Map<string, string>();
  const ref = async (uid: string, value: unknown): Promise<string> => {
    if (typeof value === 'string') return ids.get(`${uid}|${value}`)!;
    const given = value as { key?: string; slug?: string };
    if (given.key) return ids.get(`${uid}|${given.key}`)!;
    const [row] = (await app.strapi.db.query(uid as 'api::topic.topic').findMany({ where: { slug: given.slug, locale: 'da' }, select: ['documentId'] })) as Array<{
      documentId: string;
    }>;
    return row!.documentId;
  };
  const refs = async (uid: string, values: unknown) => Promise.all(((values as unknown[] | undefined) ?? []).map((value) => ref(uid, value)));
  for (const line of lines) {
    const uid: string = TYPES[line.type as keyof typeof TYPES];
    const locales = (['da', 'en'] as const).filter((locale) => line[locale]);
    const dataOf = async (locale: 'da' | 'en'): Promise<Record<string, unknown>> => {
      const texts = line[locale] as Record<string, unknown>;
      switch (line.type) {
        case 'topic':
          return defined({ ...texts });
        case 'organisation':
          return defined({
            ...texts,
            kind: line.kind,
            shortName: line.shortName,
            aliases: line.aliases,
            website: line.website,
            parent: line.parent ? await ref(uid, line.parent) : undefined,
          });
        case 'venue':
          return defined({ ...texts, code: line.code, city: line.city, latitude: line.latitude, longitude: line.longitude });
        case 'person':
          return defined({
            name: line.name,
            email: line.email,
            bio: texts.bio,
            affiliations: await Promise.all(
              ((texts.affiliations as Array<Record<string, unknown>> | undefined) ?? []).map(async ({ organisation, ...affiliation }) =>
                defined({ ...affiliation, organisation: organisation ? await ref(TYPES.organisation!, organisation) : undefined }),
              ),
            ),
          });
        case 'event':
          return defined({
            title: texts.title,
            summary: texts.summary,
            description: paragraphs(texts.description),
            startsAt: line.startsAt,
            endsAt: line.endsAt,
            timeZone: 'Europe/Copenhagen',
            kind: line.kind ?? 'debate',
            eventStatus: 'scheduled',
            attendanceMode: 'offline',
            venue: line.venue ? await ref(TYPES.venue!, line.venue) : undefined,
            parent: line.parent ? await ref(uid, line.parent) : undefined,
            organisers: await refs(TYPES.organisation!, line.organisers),
            topics: await refs(TYPES.topic!, line.topics),
            participants: await Promise.all(
              ((line.participants as Array<{ person: unknown; part?: string }> | undefined) ?? []).map(async (participant) => ({
                part: participant.part ?? 'panelist',
                person: await ref(TYPES.person!, participant.person),
              })),
            ),
          });
        case 'article':
          return defined({
            title: texts.title,
            lead: texts.lead,
            coverCredit: line.coverCredit,
            body: texts.body ? [{ __component: 'blocks.rich-text', body: paragraphs(texts.body) }] : undefined,
            seo: texts.seo,
            externalLinks: texts.externalLinks ?? [],
            authors: await refs(TYPES.person!, line.authors),
            topics: await refs(TYPES.topic!, line.topics),
            events: await refs(TYPES.event!, line.events),
          });
        default:
          throw new Error(`no type ${line.type}`);
      }
    };
    const documents = looseDocuments(app.strapi, uid);
    const created = await documents.create({ locale: 'da', data: await dataOf('da') });
    for (const locale of locales.slice(1)) await documents.update({ documentId: created.documentId, locale, data: await dataOf(locale) });
    if (line.publish !== false && line.type !== 'venue') await documents.publish({ documentId: created.documentId, locale: '*' });
    ids.set(`${uid}|${line.key}`, created.documentId);
  }
}

/** Leaves out what cannot be equal between two databases: ids, documentIds, the times of the writes. */
const VOLATILE = new Set(['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdAtLocal', 'updatedAtLocal', 'publishedAtLocal']);

function normalised(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalised);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => !VOLATILE.has(key))
        .map(([key, inner]) => [key, normalised(inner)]),
    );
  }
  return value;
}

export const REST = [
  '/api/articles?sort=slug:asc',
  '/api/articles?locale=en&sort=slug:asc',
  '/api/articles?locale=en&fallbackLocale=da&sort=slug:asc',
  '/api/articles?sort=slug:asc&populate=*',
  '/api/events?sort=slug:asc',
  '/api/events?locale=en&sort=slug:asc&populate=*',
  '/api/people?sort=slug:asc',
  '/api/people?locale=en&sort=slug:asc&populate=*',
  '/api/organisations?sort=slug:asc&populate=*',
  '/api/organisations?locale=en&sort=slug:asc',
  '/api/topics?sort=slug:asc&populate=*',
  '/api/topics?locale=en&sort=slug:asc',
  '/api/venues?sort=name:asc&populate=*',
  '/api/venues?locale=en&sort=name:asc',
  '/api/articles/slug/energi-i-fremtiden',
  '/api/events/slug/debat-om-energi',
];

const GRAPHQL = `{
  da: articles(sort: "slug:asc") { title slug lead coverCaption coverCredit locale
    body { __typename ... on ComponentBlocksRichText { body } }
    seo { metaTitle metaDescription noIndex } externalLinks { label url }
    authors { name slug } topics { name slug } events { title slug } }
  en: articles(locale: "en", sort: "slug:asc") { title slug locale body { __typename ... on ComponentBlocksRichText { body } } authors { slug } topics { slug } }
  events(sort: "slug:asc") { title slug summary description startsAt endsAt timeZone kind eventStatus attendanceMode
    venue { name code city } parent { slug } subEvents { slug } organisers { name slug kind } topics { slug }
    participants { part person { name slug } } articles { slug } }
  people(sort: "slug:asc") { name slug bio affiliations { title kind from to current organisation { slug } } authoredArticles { slug } }
  organisations(sort: "slug:asc") { name slug shortName kind website aliases parent { slug } units { slug } organisedEvents { slug } }
  topics(locale: "en", sort: "slug:asc") { name slug description articles { slug } events { slug } }
  venues(sort: "name:asc") { name code city latitude longitude events { slug } }
}`;

export interface Answers {
  rest: Record<string, unknown>;
  graphql: unknown;
  changes: string[];
  /** A person's derived fields (not public; the person-display-fields rule sets them), row by row. */
  people: string[];
  /** Links between rows of different status (none: tests/helpers/documents.ts). */
  linksAcrossStatus: string[];
}

export async function answersOf(app: TestApp): Promise<Answers> {
  const rest: Record<string, unknown> = {};
  for (const url of REST) rest[url] = normalised(await getJson(app, url));
  const graphql = normalised(await queryGraphql(app, GRAPHQL));
  const knex = app.strapi.db.connection as Knex;
  const changes = ((await knex('sync_changes').select('content_type', 'locale', 'action')) as Array<Record<string, string>>)
    .map((row) => `${row.content_type} ${row.locale} ${row.action}`)
    .sort();
  const people = ((await knex('people').select('slug', 'locale', 'published_at', 'display_name', 'current_affiliation', 'email')) as Array<Record<string, unknown>>)
    .map((row) => JSON.stringify([row.slug, row.locale, Boolean(row.published_at), row.display_name, row.current_affiliation, row.email]))
    .sort();
  return { rest, graphql, changes, people, linksAcrossStatus: await linksAcrossStatus(app.strapi) };
}

