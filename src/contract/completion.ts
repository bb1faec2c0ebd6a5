/**
 * What Strapi's OpenAPI generator cannot know about our API, added to its document: it describes
 * the core routes from the content types, and our own routes only by path. A partner or front end
 * that reads /api/openapi.json (or types/contract/openapi.json) gets from here:
 * - the error body every 4xx/5xx answer has (`Error`, src/lib/http/json-error.ts);
 * - `fallbackLocale` on reads, `fallback` on the documents it serves (src/lib/i18n/fallback.ts);
 * - the slug routes' parameter and answer, with `meta.slug` (src/features/editorial/slug/);
 * - `meta` (pagination on lists) on read answers; `when`/`from`/`to` on /events;
 * - the partner API (events, webhook subscriptions, /partner/me): the pushed event's body from
 *   the schema that validates it (payload.ts, as JSON Schema of its input: the checks zod makes
 *   in code, such as real times and time zones, are in its descriptions or patterns), the batch
 *   body, headers, answers and the partner token;
 * - the change feed's query parameters and pages (/sync);
 * - the calendars' and JSON-LD's parameters and media types.
 * tests/contract/answers.test.ts checks real answers and bodies against it with ajv.
 */
import { z } from 'zod';
import { REFERENCE as CALENDAR_REFERENCE } from '../lib/calendar/feed-query';
import { eventFieldsSchema, externalIdSchema, MAX_BATCH_SIZE } from '../api/partner/sync/payload';
import { CHANGE_ACTIONS } from '../lib/sync/change-store';
import { DEFAULT_PAGE_SIZE, FEED_LOCALES, MAX_PAGE_SIZE } from '../lib/sync/feed-request';
import { EVENT_TYPES, rotationInputSchema, subscriptionInputSchema } from '../lib/webhooks/subscriptions';
import { totalKey, type BoundedList } from '../lib/shapes/bounded-lists';
import { TOPIC_LISTS } from '../api/topic/middlewares/topic-populate';
import { ORGANISATION_LISTS } from '../api/organisation/middlewares/organisation-populate';
import { VENUE_LISTS } from '../api/venue/middlewares/venue-populate';

type JsonSchema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description?: string;
  schema: JsonSchema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }>; headers?: unknown }>;
  security?: unknown;
  [key: string]: unknown;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema>; responses?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

/** The public types with slug routes (src/features/editorial/slug/lookup.ts). */
const SLUGGED = ['articles', 'events', 'people', 'organisations', 'topics'] as const;
const LOCALES: string[] = [...FEED_LOCALES];

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

/** JSON Schema (2020-12, as Strapi's generator writes) of what a client sends or receives. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const fieldError = z.object({
  pointer: z.string().describe('JSON pointer into the request body, e.g. /events/3/startsAt'),
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});

/** Strapi's error answer, which our own errors (json-error.ts) copy. */
const errorBody = z.object({
  data: z.null(),
  error: z.object({
    status: z.int(),
    name: z.string().describe('ValidationError, NotFoundError, ForbiddenError, RateLimitError, …'),
    message: z.string(),
    details: z
      .looseObject({
        param: z.string().optional().describe('the query or path parameter that is wrong'),
        errors: z.array(fieldError).optional().describe('each bad field of a partner push'),
      })
      .optional(),
  }),
});

const match = z.object({
  rule: z.string().describe('the matching rule that decided (README "Partner matching")'),
  score: z.number(),
  pendingReview: z.boolean(),
});

const upsertResult = z.enum(['created', 'updated', 'unchanged', 'linked', 'pending-review']);

const partnerEventState = z.object({
  externalId: z.string(),
  documentId: z.string().nullable().describe('null while the event waits for an editor’s review'),
  version: z.int(),
  etag: z.string(),
  withdrawn: z.boolean(),
  published: z.boolean(),
  locales: z.array(z.string()),
  match: match.optional(),
});

const partnerEventAnswer = z.object({ data: partnerEventState.extend({ result: upsertResult.or(z.literal('withdrawn')).optional() }) });

const batchAnswer = z.object({
  data: z.array(
    z.object({
      index: z.int(),
      externalId: z.string().nullable(),
      status: z.int(),
      result: upsertResult.or(z.enum(['invalid', 'stale', 'conflict'])),
      documentId: z.string().nullable().optional(),
      etag: z.string().optional(),
      version: z.int().optional(),
      match: match.optional(),
      message: z.string().optional(),
      errors: z.array(fieldError).optional(),
    })
  ),
  meta: z.object({
    created: z.int(),
    updated: z.int(),
    unchanged: z.int(),
    failed: z.int(),
    linked: z.int().optional(),
    pendingReview: z.int().optional(),
  }),
});

/** A datetime as answered, with `<field>Local` beside it (src/lib/time/local-fields.ts). */
const instant = { at: z.string(), local: z.string().describe('the same instant with Copenhagen’s offset') };

/** A partner's webhook subscription as answered (src/lib/webhooks/subscriptions.ts describeSubscription). */
const webhookSubscription = z.object({
  id: z.int(),
  url: z.string(),
  eventTypes: z.array(z.enum(EVENT_TYPES)).nullable().describe('null: all'),
  contentTypes: z.array(z.string()).nullable().describe('null: all'),
  locales: z.array(z.string()).nullable().describe('null: all'),
  active: z.boolean(),
  secrets: z.array(
    z.object({ createdAt: instant.at, createdAtLocal: instant.local, expiresAt: z.string().nullable(), expiresAtLocal: instant.local.optional() })
  ),
  createdAt: instant.at,
  createdAtLocal: instant.local,
  updatedAt: instant.at,
  updatedAtLocal: instant.local,
});
const withSecret = webhookSubscription.extend({
  secret: z.string().describe('the signing secret (Standard Webhooks, whsec_…): shown this once'),
});

const partnerMe = z.object({
  data: z.object({
    name: z.string(),
    key: z.string(),
    publishMode: z.enum(['publish', 'draft']),
    organisationSlug: z.string().nullable(),
  }),
});

/** A page of the change feed (src/lib/sync/feed-request.ts FeedPage). */
const feedPage = z.object({
  data: z.array(
    z.object({
      position: z.int().nullable().describe('null in the first full listing, which sends every public document as `current`'),
      action: z.enum([...CHANGE_ACTIONS, 'current']),
      type: z.string().describe('plural name: articles, events, …'),
      documentId: z.string(),
      locale: z.string(),
      occurredAt: z.string().nullable(),
      occurredAtLocal: z.string().optional().describe('occurredAt with Copenhagen’s offset (src/lib/time/local-fields.ts)'),
      entry: z.record(z.string(), z.unknown()).nullable().describe('the public version as REST serves it; null for tombstones'),
      mergedInto: z.string().optional().describe('on the tombstone of a merged document: the documentId it went into'),
    })
  ),
  meta: z.object({
    nextCursor: z.string().describe('pass as `cursor` to continue'),
    hasMore: z.boolean().describe('follow nextCursor at once while true; later when false'),
  }),
});

const pagination = z.object({
  page: z.int().optional(),
  pageSize: z.int().optional(),
  pageCount: z.int().optional(),
  start: z.int().optional(),
  limit: z.int().optional(),
  total: z.int().optional().describe('how many match: exact up to 10,000 (the list depth); past that 10,000, with totalIsLowerBound'),
  totalIsLowerBound: z
    .boolean()
    .optional()
    .describe('beside total: true when total reached 10,000 and more may match (src/lib/http/list-total.ts)'),
});
const slugMeta = z.object({
  requested: z.string(),
  current: z.string(),
  moved: z.boolean().describe('the slug asked for is an old one of this document'),
});

/** A page of search hits (src/api/search/services/search.ts SearchHit). */
const searchPage = z.object({
  data: z.array(
    z.object({
      type: z.enum(['articles', 'events', 'people', 'organisations', 'topics']),
      documentId: z.string(),
      locale: z.string(),
      slug: z.string().nullable(),
      title: z.string().describe('the title, or a name'),
      snippet: z.string().describe('HTML: the matching words in <mark>, everything else escaped'),
      score: z.number().describe('3: every word found in the title, 2: in the lead, 1: elsewhere; newest first among equals'),
      startsAt: z.string().nullable().describe('events: when they start (ISO 8601); null for other types'),
      fallback: z.boolean().optional().describe('with fallbackLocale: true when the hit is in the fallback locale (no version in the requested one)'),
    })
  ),
  meta: z.object({
    pagination: z.object({
      page: z.int(),
      pageSize: z.int(),
      total: z.int().describe('how many match: exact up to 1,000; past that 1,000 (or the hits up to this page, when more), with totalIsLowerBound'),
      pageCount: z.int(),
      totalIsLowerBound: z.boolean().describe('true when more match than `total`: the count stops at 1,000 (src/api/search/index-store.ts TOTAL_CAP)'),
    }),
    terms: z.array(z.string()).describe('the query as the index looked it up: stemmed, folded (ae, oe, aa), each a prefix'),
  }),
});

/** Suggestions for a search box (GET /api/search/suggest). */
const searchSuggestions = z.object({
  data: z.array(z.object({ type: z.enum(['articles', 'events', 'people', 'organisations', 'topics']), documentId: z.string(), slug: z.string().nullable(), title: z.string() })).max(8),
});

let components: Record<string, JsonSchema> | undefined;

/** Components this module adds (names do not clash with Strapi's `Api…Document`), made once. */
export function contractComponents(): Record<string, JsonSchema> {
  components ??= {
    Error: jsonSchema(errorBody, 'output'),
    PartnerEvent: jsonSchema(eventFieldsSchema, 'input'),
    PartnerEventBatchItem: jsonSchema(eventFieldsSchema.extend({ externalId: externalIdSchema }), 'input'),
    PartnerEventAnswer: jsonSchema(partnerEventAnswer, 'output'),
    PartnerEventBatchAnswer: jsonSchema(batchAnswer, 'output'),
    FeedPage: jsonSchema(feedPage, 'output'),
    SearchPage: jsonSchema(searchPage, 'output'),
    SearchSuggestions: jsonSchema(searchSuggestions, 'output'),
    PartnerMe: jsonSchema(partnerMe, 'output'),
    PartnerWebhookInput: jsonSchema(subscriptionInputSchema, 'input'),
    PartnerWebhookRotation: jsonSchema(rotationInputSchema, 'input'),
    PartnerWebhookList: jsonSchema(z.object({ data: z.array(webhookSubscription) }), 'output'),
    PartnerWebhookWithSecret: jsonSchema(z.object({ data: withSecret }), 'output'),
  };
  return structuredClone(components);
}

/** Error answers, one shared response object each (`#/components/responses/Error<status>`). */
const ERROR_DESCRIPTIONS: Record<string, string> = {
  400: 'Bad request: the error names the parameter or fields that are wrong',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict: another request wrote the same thing at the same time; retry',
  412: 'Precondition failed: If-Match is not the current ETag',
  422: 'Idempotency-Key reused with another request',
  429: 'Too many requests: wait as Retry-After says',
  500: 'Internal server error',
  503: 'Service unavailable (the database is unreachable): retry after Retry-After',
};

function errorResponses(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(ERROR_DESCRIPTIONS).map(([status, description]) => [`Error${status}`, { description, content: json(ref('Error')) }])
  );
}

/** Every /api route may answer 429 (src/features/delivery/rate-limit/) and 503 (src/middlewares/database-unavailable.ts). */
function withErrors(operation: Operation, statuses: string[] = []): void {
  for (const status of new Set([...Object.keys(operation.responses).filter((code) => Number(code) >= 400), '429', '503', ...statuses])) {
    if (!(status in ERROR_DESCRIPTIONS)) throw new Error(`no error response for ${status}`);
    (operation.responses as Record<string, unknown>)[status] = { $ref: `#/components/responses/Error${status}` };
  }
}

const query = (name: string, schema: JsonSchema, description: string): Parameter => ({ name, in: 'query', required: false, description, schema });
const header = (name: string, description: string): Parameter => ({ name, in: 'header', required: false, description, schema: { type: 'string' } });

const FALLBACK_LOCALE = query(
  'fallbackLocale',
  { type: 'string', enum: LOCALES },
  'Serve documents missing in `locale` in this locale; they carry `fallback: true`.'
);

/** Adds `meta` to a read's 200 answer, which Strapi's generator leaves out (and forbids). */
function withMeta(operation: Operation, meta: JsonSchema): void {
  const schema = operation.responses['200']?.content?.['application/json']?.schema as
    | { properties?: Record<string, unknown> }
    | undefined;
  if (schema?.properties) schema.properties.meta = meta;
}

const SERVED_ALWAYS = ['id', 'documentId'];

/** A field that is there whenever the document is, and never null (the rest may be either). */
const NEVER_NULL = (name: string, schema: JsonSchema) =>
  SERVED_ALWAYS.includes(name) || name === 'fallback' || name.endsWith('AtLocal') || schema.type === 'array';

/**
 * Makes Strapi's schema of a served document or component say what the API sends (each point
 * was found by tests/contract/answers.test.ts on real answers):
 * - documentIds are cuid2 strings, not the UUIDs its pattern and format ask for;
 * - components carry their `id`;
 * - only `id` and `documentId` are always there (a read's `fields` and our default shapes select
 *   the rest, relations populated with a few fields); a field Strapi does not require may be
 *   `null` when it is there (to-many relations and components are `[]` instead);
 * - our middlewares add `<field>Local` beside each datetime (src/lib/time/local-fields.ts) and
 *   `fallback` to a document served in its fallback locale (src/lib/i18n/fallback.ts).
 */
function describeServed(schema: unknown, isComponentEntry = false): void {
  if (Array.isArray(schema)) return schema.forEach((item) => describeServed(item));
  if (schema === null || typeof schema !== 'object') return;
  const object = schema as JsonSchema & { properties?: Record<string, JsonSchema>; required?: string[] };
  const properties = object.properties;
  if (properties) {
    const isDocument = 'documentId' in properties;
    const requiredByStrapi = object.required ?? [];
    if (isDocument) {
      object.required = requiredByStrapi.filter((name) => SERVED_ALWAYS.includes(name));
      if ('locale' in properties) {
        properties.fallback = { type: 'boolean', description: 'true when served in `fallbackLocale` (the document is missing in `locale`)' };
      }
    }
    if (isComponentEntry && !('id' in properties)) properties.id = { type: 'integer' };
    for (const name of Object.keys(properties)) {
      if (/At$/.test(name) && !(`${name}Local` in properties)) {
        properties[`${name}Local`] = { type: 'string', description: `${name} with the offset of the event's time zone (or Copenhagen's)` };
      }
    }
    for (const [name, property] of Object.entries(properties)) {
      describeServed(property);
      if ((isDocument || isComponentEntry) && !requiredByStrapi.includes(name) && !NEVER_NULL(name, property)) {
        properties[name] = nullable(property);
      }
    }
  }
  for (const key of ['items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties']) {
    if (key in object) describeServed(object[key]);
  }
}

/** Strapi's generator calls documentIds UUIDs; they are cuid2 strings. */
function withoutUuid(schema: JsonSchema): void {
  delete schema.pattern;
  delete schema.format;
  if (typeof schema.description === 'string' && /UUID/.test(schema.description)) schema.description = 'The document ID (a cuid2 string)';
}

/**
 * Every schema Strapi's generator calls a UUID, anywhere in the document: they are documentIds
 * (properties, path ids, relations in bodies, Strapi's own /upload and /i18n too), cuid2 strings.
 */
function stripUuids(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(stripUuids);
  if (value === null || typeof value !== 'object') return;
  const schema = value as JsonSchema;
  if (schema.format === 'uuid' || (typeof schema.description === 'string' && /UUID/.test(schema.description))) withoutUuid(schema);
  Object.values(schema).forEach(stripUuids);
}

/** The schema, or null. */
function nullable(schema: JsonSchema): JsonSchema {
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema = { ...schema, enum: [...schema.enum, null] };
  if (typeof schema.type === 'string' && !('$ref' in schema)) return { ...schema, type: [schema.type, 'null'] };
  if (Array.isArray(schema.type)) return schema.type.includes('null') ? schema : { ...schema, type: [...schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}

/** The public types' read paths: what describeServed may touch (not /users, /upload, …). */
const PUBLIC_TYPES = [...SLUGGED, 'quotes', 'venues'];
const isPublicRead = (path: string) => PUBLIC_TYPES.some((type) => path === `/${type}` || path.startsWith(`/${type}/`));
/** Strapi's components of what public reads serve. */
const isServedComponent = (name: string) => /^Api.+Document$/.test(name) || /Entry$/.test(name) || name === 'PluginUploadFileDocument';

/** Public reads need no credentials (a token may still be sent); Strapi's document asks for a JWT everywhere. */
const ANONYMOUS_OR_TOKEN = [{}, { bearerAuth: [] }];

/** A default shape's bounded lists (src/lib/shapes/bounded-lists.ts): each list, and its total. */
function boundedListSchemas(lists: readonly BoundedList[]): Record<string, JsonSchema> {
  return Object.fromEntries(
    lists.flatMap((list) => [
      // The list keeps the relation's item schema that Strapi's generator gave it.
      [list.attribute, { description: `in the default shape (no \`populate\` or \`fields\` asked): the newest ${list.limit} (by \`${list.newestBy}\`, highest first), and \`${totalKey(list)}\` counts them all; \`populate\` gets them all` }],
      [totalKey(list), { type: 'integer', description: `how many \`${list.attribute}\` there are in all (default shape only)` }],
    ]),
  );
}

/** What reads in the default shape add to a document beside its attributes (src/api/<type>/controllers/). */
const DEFAULT_SHAPE_EXTRAS: Record<string, Record<string, JsonSchema>> = {
  topics: boundedListSchemas(TOPIC_LISTS),
  venues: boundedListSchemas(VENUE_LISTS),
  events: { jsonLd: { type: 'object', description: 'the event as schema.org JSON-LD' } },
  people: {
    events: {
      type: 'array',
      description: 'the events the person takes part in, soonest first: an event summary with the person’s `part`',
      items: { type: 'object' },
    },
  },
  organisations: {
    people: {
      type: 'array',
      description: 'the organisation’s people by name: a person summary with their `roles` there',
      items: { type: 'object' },
    },
    ...boundedListSchemas(ORGANISATION_LISTS),
  },
};

function completeReads(document: OpenApiDocument, strapiSchemas: string[]): void {
  for (const name of strapiSchemas.filter(isServedComponent)) describeServed(document.components.schemas[name], /Entry$/.test(name));
  for (const [path, item] of Object.entries(document.paths)) {
    if (!isPublicRead(path)) continue;
    // Writes (an API token's) answer the same documents.
    for (const operation of Object.values(item)) {
      describeServed(operation.responses['200']?.content?.['application/json']?.schema);
    }
    const read = item.get;
    if (!read) continue;
    read.security = ANONYMOUS_OR_TOKEN;
    if (!read.parameters?.some((parameter) => parameter.name === 'locale')) continue;
    read.parameters.push(FALLBACK_LOCALE);
    const isList = !path.includes('{');
    withMeta(read, isList ? { type: 'object', properties: { pagination: jsonSchema(pagination, 'output') } } : { type: 'object' });
  }
  for (const type of SLUGGED) {
    const byId = document.paths[`/${type}/{id}`]?.get;
    const bySlug = document.paths[`/${type}/slug/{slug}`]?.get;
    if (!byId || !bySlug) throw new Error(`the OpenAPI document has no /${type}/{id} or /${type}/slug/{slug}`);
    bySlug.parameters = [
      { name: 'slug', in: 'path', required: true, description: 'the current slug, or an old one (then `meta.slug.moved`)', schema: { type: 'string' } },
      ...(byId.parameters ?? []).filter((parameter) => ['fields', 'populate', 'locale', 'fallbackLocale'].includes(parameter.name)),
    ];
    bySlug.responses = structuredClone(byId.responses);
    withMeta(bySlug, { type: 'object', properties: { slug: jsonSchema(slugMeta, 'output') }, required: ['slug'] });
  }
  for (const [type, extras] of Object.entries(DEFAULT_SHAPE_EXTRAS)) {
    const slugged = (SLUGGED as readonly string[]).includes(type);
    for (const path of [`/${type}`, `/${type}/{id}`, ...(slugged ? [`/${type}/slug/{slug}`] : [])]) {
      const data = (document.paths[path]?.get?.responses['200']?.content?.['application/json']?.schema as { properties?: { data?: JsonSchema } })
        ?.properties?.data as { items?: JsonSchema; properties?: Record<string, unknown> } | undefined;
      const served = (data?.items ?? data) as { properties?: Record<string, unknown> } | undefined;
      if (!served?.properties) throw new Error(`the OpenAPI document has no served document under GET ${path}`);
      for (const [key, schema] of Object.entries(extras)) {
        served.properties[key] = { ...((served.properties[key] as JsonSchema | undefined) ?? {}), ...schema };
      }
    }
  }
  const events = document.paths['/events']?.get;
  events?.parameters?.push(
    query('when', { type: 'string', enum: ['upcoming', 'past'] }, 'upcoming: not yet ended, soonest first; past: ended, latest first'),
    query('from', { type: 'string' }, 'events from this Copenhagen day (2023-06-16) or date-time with offset'),
    query('to', { type: 'string' }, 'events until this Copenhagen day or date-time with offset')
  );
}

function completePartnerApi(document: OpenApiDocument): void {
  document.components.securitySchemes = {
    ...document.components.securitySchemes,
    partnerToken: { type: 'http', scheme: 'bearer', description: 'A partner token (`npm run partner:create`)' },
  };
  const externalId = {
    name: 'externalId',
    in: 'path' as const,
    required: true,
    description: 'the partner’s own id of the event',
    schema: jsonSchema(externalIdSchema, 'input'),
  };
  const ifMatch = header('If-Match', 'the ETag last seen: the write is refused with 412 if the event changed since');
  const idempotencyKey = header('Idempotency-Key', 'a retry with the same key and body gets the first answer again (Idempotent-Replayed: true)');
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/partner/')) continue;
    for (const operation of Object.values(item)) {
      operation.security = [{ partnerToken: [] }];
      withErrors(operation);
    }
  }
  const single = document.paths['/partner/events/{externalId}'];
  const batch = document.paths['/partner/events/batch']?.post;
  if (!single?.get || !single.put || !single.delete || !batch) throw new Error('the OpenAPI document lacks the partner event routes');
  const answer = (description: string) => ({ description, content: json(ref('PartnerEventAnswer')) });
  single.get.parameters = [externalId];
  single.get.responses['200'] = answer('The event as the partner last pushed it (ETag header)');
  single.put.parameters = [externalId, ifMatch, idempotencyKey];
  single.put.requestBody = { required: true, content: json(ref('PartnerEvent')) };
  single.put.responses['200'] = answer('updated or unchanged');
  single.put.responses['201'] = answer('created, or linked to an event the hub had (Location header)');
  single.put.responses['202'] = answer('pending-review: a doubtful match waits for an editor; nothing public yet');
  withErrors(single.put, ['409', '412', '422']);
  single.delete.parameters = [externalId, ifMatch, idempotencyKey];
  single.delete.responses['200'] = answer('withdrawn, or unchanged if it was');
  withErrors(single.delete, ['412', '422']);
  batch.parameters = [idempotencyKey];
  batch.requestBody = {
    required: true,
    content: json({
      type: 'object',
      required: ['events'],
      properties: {
        events: {
          type: 'array',
          minItems: 1,
          maxItems: MAX_BATCH_SIZE,
          items: ref('PartnerEventBatchItem'),
        },
      },
    }),
  };
  batch.responses['200'] = {
    description: 'one entry per item, in order; each item is written (or refused) on its own',
    content: json(ref('PartnerEventBatchAnswer')),
  };
  withErrors(batch, ['422']);

  const me = document.paths['/partner/me']?.get;
  const webhooks = document.paths['/partner/webhooks'];
  const rotate = document.paths['/partner/webhooks/{id}/rotate-secret']?.post;
  const remove = document.paths['/partner/webhooks/{id}']?.delete;
  if (!me || !webhooks?.get || !webhooks.post || !rotate || !remove) throw new Error('the OpenAPI document lacks the partner webhook routes');
  me.responses['200'] = { description: 'the partner the token belongs to', content: json(ref('PartnerMe')) };
  const subscriptionId = { name: 'id', in: 'path' as const, required: true, description: 'the subscription (another partner’s answers 404)', schema: { type: 'integer' } };
  webhooks.get.responses['200'] = { description: 'the partner’s subscriptions (secrets not shown)', content: json(ref('PartnerWebhookList')) };
  webhooks.post.requestBody = { required: true, content: json(ref('PartnerWebhookInput')) };
  webhooks.post.responses['201'] = { description: 'subscribed; the secret is in this answer only', content: json(ref('PartnerWebhookWithSecret')) };
  rotate.parameters = [subscriptionId];
  rotate.requestBody = { required: false, content: json(ref('PartnerWebhookRotation')) };
  rotate.responses['200'] = { description: 'a new secret; the old one signs too until graceSeconds have passed', content: json(ref('PartnerWebhookWithSecret')) };
  remove.parameters = [subscriptionId];
  remove.responses['204'] = { description: 'unsubscribed' };
}

function completeFeed(document: OpenApiDocument): void {
  const sync = document.paths['/sync']?.get;
  if (!sync) throw new Error('the OpenAPI document lacks /sync');
  sync.security = ANONYMOUS_OR_TOKEN;
  sync.parameters = [
    query('cursor', { type: 'string' }, 'the `nextCursor` of the previous page; without it the feed starts at the beginning'),
    query('type', { type: 'string' }, 'content types, comma-separated plural names (events,topics)'),
    query('locale', { type: 'string', enum: LOCALES }, 'only changes in this locale'),
    query('limit', { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }, 'changes per page'),
  ];
  sync.responses['200'] = { description: 'a page of changes, oldest first (Cache-Control: no-store)', content: json(ref('FeedPage')) };
}

function completeSearch(document: OpenApiDocument): void {
  const search = document.paths['/search']?.get;
  if (!search) throw new Error('the OpenAPI document lacks /search');
  search.security = ANONYMOUS_OR_TOKEN;
  search.parameters = [
    { ...query('q', { type: 'string', minLength: 1, maxLength: 200 }, 'the words to find (at most 8); each is matched as a prefix of a stemmed word'), required: true },
    query('locale', { type: 'string', enum: LOCALES, default: 'da' }, 'the language searched'),
    query('fallbackLocale', { type: 'string', enum: LOCALES }, 'documents with no version in `locale` are searched in this one, with its stemming; each hit says `fallback`'),
    query('types', { type: 'string' }, 'comma-separated: articles, events, people, organisations, topics (default all)'),
    query('when', { type: 'string', enum: ['upcoming', 'past'] }, 'events by their start; other types pass'),
    query('page', { type: 'integer', minimum: 1, maximum: 100, default: 1 }, 'page of hits'),
    query('pageSize', { type: 'integer', minimum: 1, maximum: 50, default: 10 }, 'hits per page'),
  ];
  search.responses['200'] = { description: 'hits, best first', content: json(ref('SearchPage')) };
  withErrors(search, ['400']);
  const suggest = document.paths['/search/suggest']?.get;
  if (!suggest) throw new Error('the OpenAPI document lacks /search/suggest');
  suggest.security = ANONYMOUS_OR_TOKEN;
  suggest.parameters = [
    { ...query('q', { type: 'string', minLength: 1, maxLength: 100 }, 'what has been typed; the last word may be unfinished'), required: true },
    query('locale', { type: 'string', enum: LOCALES, default: 'da' }, 'the language searched'),
  ];
  suggest.responses['200'] = { description: 'up to 8 titles and names, title matches first', content: json(ref('SearchSuggestions')) };
  withErrors(suggest, ['400']);
}

/** The calendars (RFC 5545) and JSON-LD of published events (src/api/event/routes/event-calendar.ts). */
function completeCalendars(document: OpenApiDocument): void {
  const feed = document.paths['/events.ics']?.get;
  const one = document.paths['/events/{documentId}/calendar.ics']?.get;
  const jsonLd = document.paths['/events/{documentId}/json-ld']?.get;
  if (!feed || !one || !jsonLd) throw new Error('the OpenAPI document lacks the calendar routes');
  for (const operation of [feed, one, jsonLd]) operation.security = ANONYMOUS_OR_TOKEN;
  const locale = query('locale', { type: 'string', enum: LOCALES }, 'the language of the texts (default da)');
  const reference = (name: string, noun: string) =>
    query(name, { type: 'string', pattern: CALENDAR_REFERENCE.source }, `only events of this ${noun}: its slug or documentId`);
  const documentId = { name: 'documentId', in: 'path' as const, required: true, description: 'the event (a merged event’s old documentId answers with the kept one)', schema: { type: 'string' } };
  const calendar = (description: string) => ({ description, content: { 'text/calendar': { schema: { type: 'string' } } } });
  feed.parameters = [
    locale,
    reference('festival', 'festival (a parent event)'),
    reference('topic', 'topic'),
    reference('organiser', 'organisation as organiser'),
    query('partner', { type: 'string' }, 'only the events in this partner’s programme (created by its pushes or linked to them)'),
  ];
  feed.responses['200'] = calendar('the published events as one calendar to subscribe to');
  one.parameters = [documentId, locale];
  one.responses['200'] = calendar('the event as a calendar file (UID stable across merges)');
  jsonLd.parameters = [documentId, locale];
  jsonLd.responses['200'] = {
    description: 'the event as schema.org JSON-LD',
    content: { 'application/ld+json': { schema: { type: 'object', required: ['@context', '@type'] } } },
  };
}

/**
 * The generated document, completed. Throws when a route this relies on has gone, so a renamed
 * route fails the contract test instead of leaving a silent gap.
 */
export function completeOpenApi<T>(generated: T): T {
  const document = structuredClone(generated) as unknown as OpenApiDocument;
  const strapiSchemas = Object.keys(document.components.schemas);
  Object.assign(document.components.schemas, contractComponents());
  document.components.responses = { ...document.components.responses, ...errorResponses() };
  stripUuids(document);
  completeReads(document, strapiSchemas);
  completePartnerApi(document);
  completeFeed(document);
  completeSearch(document);
  completeCalendars(document);
  for (const [path, item] of Object.entries(document.paths)) {
    if (path.startsWith('/partner/')) continue;
    for (const operation of Object.values(item)) withErrors(operation);
  }
  return document as unknown as T;
}
