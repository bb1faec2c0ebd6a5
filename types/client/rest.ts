/**
 * The REST side of the front-end client: openapi-fetch over the types generated from
 * types/contract/openapi.json (./openapi.ts), sending queries in Strapi's bracket syntax.
 *
 * Where the contract says less than the API serves, `ClientPaths` adds it here from the generated
 * types, so a front end needs no casts. Each addition is a gap in the generated contract (Strapi's
 * generator knows only its own core routes and parameters); once the contract has it, it goes:
 * - the slug routes (`/articles/slug/{slug}`…) are listed without parameters or answer: here they
 *   take `slug` and answer what the document route (`/articles/{id}`) answers;
 * - reads take `fallbackLocale` and the documents served carry `fallback` (README "Locale fallback");
 * - `/events` takes `when`, `from` and `to` (README "Events by time");
 * - answers carry `meta` (lists: `meta.pagination`; slug reads: `meta.slug`, README "Slugs");
 * - 400 and 404 answers have Strapi's error body (`StrapiError`).
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './openapi';

/** Strapi's error answer (400 with `details.param` and `details.limit` for a list over 100). */
export interface StrapiError {
  data: null;
  error: { status: number; name: string; message: string; details?: Record<string, unknown> };
}

/** Query parameters every public read takes beside the contract's. */
export interface ReadQuery {
  /** Serve documents missing in `locale` in this locale; they then carry `fallback: true`. */
  fallbackLocale?: string;
}

/** `/events` beside the contract's parameters. */
export interface EventsQuery {
  when?: 'upcoming' | 'past';
  /** A Copenhagen day (`2023-06-16`) or a date-time with offset. */
  from?: string;
  to?: string;
}

/** `meta` of a read: pagination on lists, `slug` on slug reads. */
export interface ReadMeta {
  pagination?: { page?: number; pageSize?: number; pageCount?: number; start?: number; limit?: number; total?: number };
  slug?: { requested: string; current: string; moved: boolean };
}

type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type GetOf<P> = P extends keyof paths ? paths[P]['get'] : never;
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type OkOf<O> = O extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;

/** A served document: with `fallback` when the read named a `fallbackLocale`. */
type Served<D> = D & { fallback?: boolean };
type ServedBody<B> = B extends { data: infer D }
  ? Omit<B, 'data'> & { data: D extends Array<infer Item> ? Array<Served<Item>> : Served<D>; meta?: ReadMeta }
  : B;

type Read<O, Path, Extra = unknown> = {
  parameters: { query?: QueryOf<O> & ReadQuery & Extra; header?: never; cookie?: never } & (Path extends undefined
    ? { path?: never }
    : { path: Path });
  requestBody?: never;
  responses: { 200: Json<ServedBody<OkOf<O>>>; 400: Json<StrapiError>; 404: Json<StrapiError> };
};

type GetOnly<O> = {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: O;
  put?: never;
  post?: never;
  delete?: never;
  options?: never;
  head?: never;
  patch?: never;
  trace?: never;
};

/** The public types that have slug routes. */
type Sluggable = 'articles' | 'events' | 'people' | 'organisations' | 'topics';

type Completed = {
  [T in Sluggable as `/${T}`]: GetOnly<Read<GetOf<`/${T}`>, undefined, T extends 'events' ? EventsQuery : unknown>>;
} & {
  [T in Sluggable as `/${T}/{id}`]: GetOnly<Read<GetOf<`/${T}/{id}`>, { id: string }>>;
} & {
  [T in Sluggable as `/${T}/slug/{slug}`]: GetOnly<Read<GetOf<`/${T}/{id}`>, { slug: string }>>;
};

/** The generated paths, with the public reads completed as above. */
export type ClientPaths = Omit<paths, keyof Completed> & Completed;

export type RestClient = Client<ClientPaths>;

/**
 * A query in Strapi's syntax (what `qs` writes and Strapi parses): nested objects and arrays as
 * brackets, `filters[slug][$eq]=x`, `sort[0]=name`, `pagination[pageSize]=10`.
 */
export function strapiQuery(query: Record<string, unknown> | undefined): string {
  const parts: string[] = [];
  const add = (key: string, value: unknown): void => {
    if (value === undefined) return;
    if (Array.isArray(value)) value.forEach((item, index) => add(`${key}[${index}]`, item));
    else if (value !== null && typeof value === 'object') {
      for (const [name, item] of Object.entries(value)) add(`${key}[${encodeURIComponent(name)}]`, item);
    } else parts.push(`${key}=${encodeURIComponent(value === null ? '' : String(value))}`);
  };
  for (const [name, value] of Object.entries(query ?? {})) {
    // Parameter names the contract writes with brackets (`pagination[pageSize]`) keep them.
    add(name.replace(/[^[\]]+/g, (part) => encodeURIComponent(part)), value);
  }
  return parts.join('&');
}

/** A typed REST client; `baseUrl` is the API root, e.g. `https://api.example.dk/api`. */
export function createRestClient(options: ClientOptions & { baseUrl: string }): RestClient {
  return createClient<ClientPaths>({ querySerializer: strapiQuery, ...options });
}
