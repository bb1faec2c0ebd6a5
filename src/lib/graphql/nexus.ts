/**
 * Types for the `nexus` that the GraphQL plugin hands to `extension.use(({ nexus }) => ...)`.
 * Type-only: nexus is @strapi/plugin-graphql's own (exact-pinned) dependency, never imported at
 * run time from here. There is no nexus typegen, so type and field names are plain strings.
 */
import type * as nexus from 'nexus';
import type { core } from 'nexus';

export type Nexus = typeof nexus;

/** `t` in an objectType's or extendType's `definition(t)`. */
export type ObjectDefinition = core.ObjectDefinitionBlock<string>;
