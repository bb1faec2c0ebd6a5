/**
 * A feature under src/features/ (delivery, editorial, …): what it adds to Strapi's register,
 * bootstrap and destroy, in its own order, so src/index.ts calls one thing per feature where it
 * used to call each of its parts.
 */
import type { Core } from '@strapi/strapi';

export interface Feature {
  /** The folder's name under src/features/, for logs and errors. */
  readonly name: string;
  /** Synchronous, as Strapi's register phase is for what it wires (routes, GraphQL, listeners). */
  register(strapi: Core.Strapi): void;
  bootstrap(strapi: Core.Strapi): Promise<void>;
  destroy(strapi: Core.Strapi): Promise<void>;
}
