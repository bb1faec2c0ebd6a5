/**
 * The NDJSON shape of `npm run import` (docs/import.md): one document per line, its type, a key
 * of the file's own that identifies it across runs, the fields shared by its locales at the top,
 * each locale's texts under `da` (required) and `en` (optional). A relation names its target by
 * that key (`"topic-klima"` or `{ "key": "topic-klima" }`) or by slug (`{ "slug": "klima" }`).
 * Validation names every bad field by its path in the line (`en.title`, `topics.1`).
 */
import { z } from 'zod';
import { fieldErrors, type FieldError } from '../../lib/validation/field-errors';

export const IMPORT_TYPES = {
  article: 'api::article.article',
  person: 'api::person.person',
  organisation: 'api::organisation.organisation',
  topic: 'api::topic.topic',
  venue: 'api::venue.venue',
  event: 'api::event.event',
} as const;
export type ImportType = keyof typeof IMPORT_TYPES;
export type ImportUid = (typeof IMPORT_TYPES)[ImportType];

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).optional();
const slug = z
  .string()
  .regex(/^[A-Za-z0-9-_.~]+$/, 'may contain letters, digits and - _ . ~ only')
  .max(200, 'must be at most 200 characters')
  .optional();
const key = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[A-Za-z0-9._:~/-]+$/, 'may contain letters, digits and . _ : ~ / - only');
const httpUrl = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)');
const dateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, 'must be an ISO 8601 date-time with an offset (2026-06-16T11:30:00+02:00)');

/** A relation's target: by the key a line of an import gave it, or by slug. */
export type Reference = { key: string } | { slug: string };
const reference = z.union([key.transform((value): Reference => ({ key: value })), z.strictObject({ key }), z.strictObject({ slug: z.string().min(1, 'must not be empty') })]);
const references = (max: number) => z.array(reference).max(max, `at most ${max}`).default([]);

/** Plain text: blank lines separate paragraphs. */
const paragraphs = (max: number) => optionalText(max);

const envelope = {
  key,
  /** Published as well (default), or a draft only; a type without drafts (venue) is always public. */
  publish: z.boolean().default(true),
};

/** A line of each type: its shared fields and its locale's (`da` required, `en` optional). */
function typed<T extends ImportType, S extends z.ZodRawShape, L extends z.ZodRawShape>(type: T, shared: S, locale: L) {
  const texts = z.strictObject(locale);
  return z.strictObject({ type: z.literal(type), ...envelope, ...shared, da: texts, en: texts.optional() });
}

const topic = typed('topic', {}, { name: text(120), slug, description: optionalText(1000) });

const organisation = typed(
  'organisation',
  {
    kind: z.enum(['ministry', 'region', 'municipality', 'company', 'association', 'research', 'festival', 'other']),
    shortName: optionalText(40),
    aliases: z.array(text(200)).max(50, 'at most 50').optional(),
    website: httpUrl.optional(),
    parent: reference.optional(),
  },
  { name: text(200), slug },
);

const affiliation = z.strictObject({
  title: text(160),
  organisation: reference.optional(),
  kind: z.enum(['employment', 'board', 'other']).default('employment'),
  from: date.optional(),
  to: date.optional(),
  current: z.boolean().default(true),
});

const person = typed(
  'person',
  { name: text(160), email: z.email('must be an e-mail address').optional() },
  { slug, bio: optionalText(2000), affiliations: z.array(affiliation).max(20, 'at most 20').default([]) },
);

const venue = typed(
  'venue',
  {
    code: optionalText(20),
    area: optionalText(120),
    address: optionalText(300),
    city: optionalText(120),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
  },
  { name: text(200) },
);

const participant = z.strictObject({ person: reference, part: z.enum(['moderator', 'panelist', 'speaker']).default('panelist') });

const event = typed(
  'event',
  {
    startsAt: dateTime,
    endsAt: dateTime.optional(),
    timeZone: z.string().min(1).max(64).default('Europe/Copenhagen'),
    kind: z.enum(['debate', 'conference', 'workshop', 'webinar', 'festival']).default('debate'),
    eventStatus: z.enum(['scheduled', 'cancelled', 'postponed', 'rescheduled', 'moved_online']).default('scheduled'),
    attendanceMode: z.enum(['offline', 'online', 'mixed']).default('offline'),
    programmeUrl: httpUrl.optional(),
    externalId: optionalText(200),
    sourcePartner: optionalText(120),
    venue: reference.optional(),
    parent: reference.optional(),
    organisers: references(20),
    topics: references(20),
    /** The same people in every locale. */
    participants: z.array(participant).max(100, 'at most 100').default([]),
  },
  { title: text(200), slug, summary: optionalText(600), description: paragraphs(20000) },
);

const article = typed(
  'article',
  {
    coverCredit: optionalText(120),
    authors: references(20),
    topics: references(20),
    events: references(20),
  },
  {
    title: text(200),
    slug,
    lead: optionalText(600),
    /** The article's text: one rich-text block, a paragraph per blank-line-separated chunk. */
    body: paragraphs(100000),
    coverCaption: optionalText(300),
    seo: z.strictObject({ metaTitle: optionalText(255), metaDescription: optionalText(1000), noIndex: z.boolean().optional() }).optional(),
    externalLinks: z.array(z.strictObject({ label: text(255), url: httpUrl })).max(20, 'at most 20').default([]),
  },
);

const SCHEMAS = { topic, organisation, person, venue, event, article } as const;

export type ImportLine =
  | z.output<typeof topic>
  | z.output<typeof organisation>
  | z.output<typeof person>
  | z.output<typeof venue>
  | z.output<typeof event>
  | z.output<typeof article>;
export type LineOf<T extends ImportType> = z.output<(typeof SCHEMAS)[T]>;

export type ParsedLine = { ok: true; line: ImportLine } | { ok: false; errors: FieldError[] };

const isImportType = (value: unknown): value is ImportType => typeof value === 'string' && Object.hasOwn(SCHEMAS, value);

/** One line of the file, as text: its JSON, its type, its fields. */
export function parseLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [{ pointer: '', path: [], message: `is not JSON (${(error as Error).message})` }] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [{ pointer: '', path: [], message: 'must be a JSON object' }] };
  }
  const type = (value as { type?: unknown }).type;
  if (!isImportType(type)) {
    const message = `must be one of ${Object.keys(SCHEMAS).join(', ')}; got ${JSON.stringify(type) ?? 'nothing'}`;
    return { ok: false, errors: [{ pointer: '/type', path: ['type'], message }] };
  }
  const result = SCHEMAS[type].safeParse(value);
  if (!result.success) return { ok: false, errors: fieldErrors(result.error) };
  return { ok: true, line: result.data };
}
