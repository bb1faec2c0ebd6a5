/**
 * A feature (src/features/<name>/index.ts, or src/api/<name>/index.ts for one that owns content
 * types): what it adds to Strapi's register, bootstrap and destroy, in its own order. src/index.ts
 * is the list of features in boot order and runs each phase in that order.
 */
import type { Core } from '@strapi/strapi';

export interface Feature {
  /** The feature's folder name, for logs and errors. */
  readonly name: string;
  /** Synchronous, as Strapi's register phase is for what it wires (routes, GraphQL, listeners). */
  register?(strapi: Core.Strapi): void;
  bootstrap?(strapi: Core.Strapi): Promise<void>;
  destroy?(strapi: Core.Strapi): Promise<void>;
}
