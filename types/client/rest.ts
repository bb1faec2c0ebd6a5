/**
 * The REST side of the front-end client: openapi-fetch over the types generated from
 * types/contract/openapi.json (./openapi.ts), sending queries in Strapi's bracket syntax.
 *
 * The contract says all a front end needs (src/contract/completion.ts completes Strapi's
 * generated document, and tests/contract/answers.test.ts holds it to real answers): the slug
 * routes, `fallbackLocale` and `fallback`, `when`/`from`/`to` on /events, `meta`, the error body.
 * So the client is openapi-fetch over the generated paths as they are; the names below are
 * shorthands for the contract's own types.
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './openapi';

/** Strapi's error answer (400 with `details.param`, or `details.errors` on a partner push). */
export type StrapiError = components['schemas']['Error'];

type ListQuery = NonNullable<paths['/articles']['get']['parameters']['query']>;

/** Query parameters every public read takes beside Strapi's. */
export type ReadQuery = Pick<ListQuery, 'fallbackLocale'>;

/** `/events` beside Strapi's list parameters. */
export type EventsQuery = Pick<NonNullable<paths['/events']['get']['parameters']['query']>, 'when' | 'from' | 'to'>;

/** `meta` of a read: pagination on lists, `slug` on slug reads. */
export type ReadMeta = Partial<NonNullable<paths['/articles']['get']['responses'][200]['content']['application/json']['meta']> &
  NonNullable<paths['/articles/slug/{slug}']['get']['responses'][200]['content']['application/json']['meta']>>;

/** The paths of the contract (kept as a name: front ends written against earlier clients use it). */
export type ClientPaths = paths;

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
