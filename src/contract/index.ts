/**
 * Owns the public API contract: the REST OpenAPI document and the GraphQL schema (SDL), as the
 * running app produces them. `npm run contract` writes them to types/contract/; the contract
 * test fails when the committed files differ, so a breaking change is a visible diff.
 */
import path from 'path';
import { generate } from '@strapi/openapi';
import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'graphql';
import type { Core } from '@strapi/strapi';
import { completeOpenApi } from './completion';

export const CONTRACT_DIR = path.join('types', 'contract');
export const OPENAPI_FILE = path.join(CONTRACT_DIR, 'openapi.json');
export const SDL_FILE = path.join(CONTRACT_DIR, 'schema.graphql');

export const INTROSPECTION_QUERY = getIntrospectionQuery({ descriptions: true });

/** The document /api/openapi.json serves: Strapi's generated one, completed (completion.ts). */
export function openApiDocument(strapi: Core.Strapi): unknown {
  return completeOpenApi(generate(strapi, { type: 'content-api' }).document);
}

/** SDL of the schema a GraphQL client sees, from an introspection answer, types in name order. */
export function sdlFromIntrospection(introspection: IntrospectionQuery): string {
  return `${printSchema(lexicographicSortSchema(buildClientSchema(introspection)))}\n`;
}

const GENERATION_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The document without what changes from one generation to the next: Strapi gives
 * `publishedAt` the generation time as its schema default.
 */
export function stableOpenApi(document: unknown): unknown {
  return JSON.parse(JSON.stringify(document), (key, value) =>
    key === 'default' && typeof value === 'string' && GENERATION_TIME.test(value) ? '<now>' : value
  );
}

/** Object keys in name order, recursively, so the committed JSON does not depend on registration order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value as object)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])])
  );
}

/** JSON text for the committed OpenAPI file. */
export function openApiText(document: unknown): string {
  return `${JSON.stringify(sortKeys(stableOpenApi(document)), null, 2)}\n`;
}
