/**
 * The typed client for front ends, generated from the committed contract (types/contract/):
 * REST through openapi-fetch (./rest.ts over the generated ./openapi.ts) and GraphQL as typed
 * documents (./graphql.ts, generated from ./documents/*.graphql) sent by `graphqlRequest`.
 * `npm run contract` regenerates openapi.ts and graphql.ts; the contract test fails when they
 * are out of date. Not part of the app build (root tsconfig excludes it): front ends and tests use it.
 */
export { createRestClient, strapiQuery, type ClientPaths, type EventsQuery, type ReadMeta, type ReadQuery, type RestClient, type StrapiError } from './rest';
export { graphqlRequest, GraphQLRequestError, type GraphQLErrorItem, type GraphQLRequestOptions } from './graphql-request';
export * from './graphql';
export type { components, operations, paths } from './openapi';
