/**
 * Which requests the public cache may answer, and under which key.
 *
 * Only anonymous reads of public content: GET/HEAD under /api on the public types' routes (lists,
 * single reads, slug lookups, calendars, JSON-LD), the change feed and the OpenAPI document, and
 * GraphQL queries (POST with a JSON body, or GET with a query or Apollo's persisted-query hash).
 * Anything with an Authorization header (partner tokens, API tokens, users) and every other path
 * (/admin, /preview, /api/partner, /api/auth, uploads…) is never looked up, never stored.
 *
 * The REST key is the request target exactly as sent: two spellings of one query may be two
 * entries, but an entry can never answer a URL it was not built for. GraphQL keys use the
 * printed query (whitespace and comments gone, field order kept, so the answer is the same),
 * the operation name, the variables with sorted keys, and the Accept header (the media type).
 */
import { isRestApiPath } from '../../../lib/http/zones';
import { createHash } from 'node:crypto';
import { parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { canonicalJson } from '../../../lib/json/canonical';
import type { IncomingHttpHeaders } from 'node:http';

export type PlanKind = 'rest' | 'graphql' | 'sync' | 'openapi';

/** What a REST read under a type's path asks for, which decides what its answer depends on (dependencies.ts). */
export type RestScope =
  | { kind: 'list'; search: string }
  | { kind: 'document'; documentId: string }
  | { kind: 'slug'; slug: string }
  | { kind: 'other' };

export interface CachePlan {
  key: string;
  kind: PlanKind;
  /** The public type the path names (plural API name), for surrogate keys; REST only. */
  primaryType?: string;
  /** REST under a type's path: what the path asks for. */
  scope?: RestScope;
  /** False for answers that depend on the clock (`when=upcoming`): headers, but no storing. */
  storable: boolean;
  /** The request headers the answer depends on, for `Vary`. */
  vary: string;
}

/** Every answer depends on Accept-Encoding (compression); GraphQL's also on Accept (below). */
const VARY_ENCODING = 'Accept-Encoding';
const VARY_GRAPHQL = 'Accept, Accept-Encoding';

/**
 * Apollo answers in the media type the client's Accept prefers (`application/graphql-response+json`
 * or `application/json`, GraphQL over HTTP), so the Accept header is part of a GraphQL key: as
 * sent, less case and white space (a few front ends, a few spellings).
 */
const acceptKey = (accept: string | undefined): string => (accept ?? '').toLowerCase().replace(/\s+/g, '');

export const GRAPHQL_PATH = '/graphql';
/** Bigger GraphQL bodies are passed through untouched (and so never cached). */
export const GRAPHQL_MAX_CACHED_BODY = 64 * 1024;

/** The first path segments under /api that serve public content (besides the types' plural names). */
const SPECIAL_SEGMENTS: Record<string, { kind: PlanKind; primaryType?: string }> = {
  sync: { kind: 'sync' },
  'openapi.json': { kind: 'openapi' },
  'events.ics': { kind: 'rest', primaryType: 'events' },
  search: { kind: 'rest' },
};

/** Query parameters whose answer depends on the time of the request. */
const CLOCK_PARAMETERS = ['when'];

export function isAnonymous(headers: IncomingHttpHeaders): boolean {
  return headers.authorization === undefined;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** `/api/<plural>` is a list, `/<documentId>` one document, `/slug/<slug>` a lookup; anything else (calendars, JSON-LD) is other. */
function restScope(rest: string[], search: string): RestScope {
  if (rest.length === 0) return { kind: 'list', search };
  const first = decodeSegment(rest[0]!);
  if (rest.length === 1 && first) return { kind: 'document', documentId: first };
  const slug = rest.length === 2 && rest[0] === 'slug' ? decodeSegment(rest[1]!) : undefined;
  return slug ? { kind: 'slug', slug } : { kind: 'other' };
}

/** A GET/HEAD under /api naming a public type (or the feed or contract), or undefined. */
export function planRestRead(method: string, url: string, publicPluralNames: ReadonlySet<string>): CachePlan | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  if (!isRestApiPath(url)) return undefined;
  const queryStart = url.indexOf('?');
  const path = queryStart < 0 ? url : url.slice(0, queryStart);
  const [segment = '', ...rest] = path.slice(5).split('/');
  const special = SPECIAL_SEGMENTS[segment];
  const primaryType = special ? special.primaryType : publicPluralNames.has(segment) ? segment : undefined;
  if (!special && !primaryType) return undefined;
  const search = queryStart < 0 ? '' : url.slice(queryStart + 1);
  const params = search ? new URLSearchParams(search) : undefined;
  const clockDependent = CLOCK_PARAMETERS.some((name) => params?.has(name));
  return {
    key: `GET ${url}`,
    kind: special?.kind ?? 'rest',
    primaryType,
    scope: special ? { kind: 'other' } : restScope(rest.filter((part, index) => part !== '' || index < rest.length - 1), search),
    storable: !clockDependent,
    vary: VARY_ENCODING,
  };
}

export interface GraphqlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
  extensions?: unknown;
}

// Parsing is the costly part of a GraphQL key; the same few queries come again and again.
const printedQueries = new LRUCache<string, { printed: string; operations: Map<string | null, string> }>({ max: 1000 });
// Apollo's automatic persisted queries: the hash stands for a query seen earlier with it.
const persistedQueries = new LRUCache<string, string>({ max: 5000 });

function analyse(query: string) {
  let entry = printedQueries.get(query);
  if (entry) return entry;
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return undefined;
  }
  const operations = new Map<string | null, string>();
  for (const definition of document.definitions) {
    if (definition.kind === 'OperationDefinition') {
      const operation = definition as OperationDefinitionNode;
      operations.set(operation.name?.value ?? null, operation.operation);
    }
  }
  entry = { printed: print(document), operations };
  printedQueries.set(query, entry);
  return entry;
}

function persistedHash(extensions: unknown): string | undefined {
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' && /^[0-9a-f]{64}$/i.test(hash) ? hash.toLowerCase() : undefined;
}

/** A GraphQL query (not a mutation) as a cache plan, or undefined; `accept` is the request's Accept header. */
export function planGraphqlRead(request: GraphqlRequest, accept: string | undefined): CachePlan | undefined {
  const hash = persistedHash(request.extensions);
  let query = typeof request.query === 'string' ? request.query : undefined;
  if (query === undefined && hash) query = persistedQueries.get(hash);
  if (query === undefined) return undefined;
  const analysed = analyse(query);
  if (!analysed) return undefined;
  if (hash && typeof request.query === 'string') {
    // Only a hash that is the query's own may stand for it later (Apollo checks the same).
    if (createHash('sha256').update(request.query).digest('hex') !== hash) return undefined;
    persistedQueries.set(hash, request.query);
  }

  // What Apollo refuses with a 400 (runHttpQuery) is never planned, or a valid request's entry
  // would answer it.
  const isRecordOrAbsent = (value: unknown) => value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value));
  if (!isRecordOrAbsent(request.variables) || !isRecordOrAbsent(request.extensions)) return undefined;
  if (request.operationName !== undefined && request.operationName !== null && typeof request.operationName !== 'string') return undefined;
  const operationName = typeof request.operationName === 'string' ? request.operationName : null;
  const operation = operationName !== null ? analysed.operations.get(operationName) : analysed.operations.size === 1 ? [...analysed.operations.values()][0] : undefined;
  if (operation !== 'query') return undefined;

  return {
    key: `GRAPHQL ${analysed.printed}\n${operationName ?? ''}\n${canonicalJson(request.variables ?? {})}\n${acceptKey(accept)}`,
    kind: 'graphql',
    storable: true,
    vary: VARY_GRAPHQL,
  };
}

/**
 * Whether Apollo serves this GraphQL GET at all: a content type, if sent, must be
 * application/json (else 415). No CSRF preflight header is needed: global::graphql-get presents
 * every GET to Apollo as preflighted (src/lib/graphql/public-get.ts), so a GET is one public
 * answer per URL and Accept. The cache must not answer the others, or one client's served GET
 * (or a POST of the same query) would answer another's refused one.
 */
export function graphqlGetIsServed(headers: IncomingHttpHeaders): boolean {
  const contentType = headers['content-type'];
  return contentType === undefined || contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** GET /graphql?query=…&variables=…  or  ?extensions={"persistedQuery":…}. */
export function planGraphqlGet(url: string, accept: string | undefined): CachePlan | undefined {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return undefined;
  const params = new URLSearchParams(url.slice(queryStart + 1));
  // Apollo takes each of these once only (a second is a 400).
  if (['query', 'operationName', 'variables', 'extensions'].some((name) => params.getAll(name).length > 1)) return undefined;
  const json = (name: string): unknown => {
    const raw = params.get(name);
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw);
    } catch {
      return Symbol.for('invalid');
    }
  };
  const variables = json('variables');
  const extensions = json('extensions');
  if (typeof variables === 'symbol' || typeof extensions === 'symbol') return undefined;
  return planGraphqlRead({ query: params.get('query') ?? undefined, variables, extensions, operationName: params.get('operationName') ?? undefined }, accept);
}
