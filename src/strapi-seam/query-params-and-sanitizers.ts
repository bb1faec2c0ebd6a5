/**
 * Patch "query-params-and-sanitizers" (reads, nothing is replaced): the default-shape fast reads
 * (src/lib/shapes/default-shape-reads.ts) convert a populate exactly as the Document Service does,
 * with Strapi's `query-params` service (`transform(uid, params)`), and take the fast path only
 * while the content API's output sanitiser has no extensions beyond users-permissions' (the
 * `sanitizers` registry's 'content-api.output' list). Neither is public API.
 */
import type { Core } from '@strapi/strapi';
import { describeValue, expectMethod, expectShape, markInstalled } from './seam';

export const PATCH = 'query-params-and-sanitizers';

export type QueryParamsTransform = (uid: string, params: object) => unknown;

interface SanitizerRegistry {
  get(key: string): unknown;
}

/**
 * Checks `queryParams` (`strapi.get('query-params')` unless given) and `sanitizers`
 * (`strapi.sanitizers` unless given); throws a SeamError when either changed shape.
 */
export function checkQueryParamsAndSanitizers(
  strapi: Core.Strapi,
  queryParams: unknown = strapi.get('query-params'),
  sanitizers: unknown = strapi.sanitizers,
): void {
  expectMethod(strapi, PATCH, queryParams, "strapi.get('query-params')", 'transform', { arity: 2 });
  const get = expectMethod<SanitizerRegistry['get']>(strapi, PATCH, sanitizers, 'strapi.sanitizers', 'get');
  const output = get.call(sanitizers, 'content-api.output');
  expectShape(strapi, PATCH, Array.isArray(output), "strapi.sanitizers.get('content-api.output') to be an array", () => `it is ${describeValue(output)}`);
  markInstalled(strapi, PATCH);
}

/** Strapi's query-params service's `transform`, as the Document Service calls it. */
export function transformQueryParams(strapi: Core.Strapi, uid: string, params: object): unknown {
  const queryParams = strapi.get('query-params') as { transform: QueryParamsTransform };
  return queryParams.transform(uid, params);
}

/** The extensions registered for the content API's output sanitiser, or undefined when there is no such registry. */
export function contentApiOutputSanitizers(strapi: Core.Strapi): unknown[] | undefined {
  return strapi.sanitizers?.get?.('content-api.output');
}
