/**
 * Patch "schema-sync-hook" (nothing is replaced; a handler is added): src/lib/shapes/bounded-list-links.ts
 * drops its SQLite triggers before Strapi's schema sync, which remakes a table to change one of
 * its columns (knex on SQLite) and fails on a trigger naming a table that is gone. Strapi calls
 * the hook `strapi::content-types.beforeSync` right before `db.schema.sync()` (@strapi/core
 * Strapi.js; its draft-and-publish migrations register there), but does not document it.
 * Expects: `strapi.hook(name)` returns a hook with `register(handler)`.
 */
import type { Core } from '@strapi/strapi';
import { describeValue, expectShape, markInstalled } from './seam';

export const PATCH = 'schema-sync-hook';

const BEFORE_SYNC = 'strapi::content-types.beforeSync';

interface Hook {
  register(handler: () => Promise<void>): unknown;
}

/** Runs `handler` before each schema sync of this instance; throws a SeamError when the hook is not there. */
export function beforeSchemaSync(strapi: Core.Strapi, handler: () => Promise<void>, hookOf: (name: string) => unknown = (name) => strapi.hook(name)): void {
  let hook: unknown;
  try {
    hook = hookOf(BEFORE_SYNC);
  } catch (error) {
    hook = error;
  }
  expectShape(
    strapi,
    PATCH,
    typeof (hook as Partial<Hook> | null | undefined)?.register === 'function',
    `strapi.hook('${BEFORE_SYNC}') to have register(handler)`,
    () => (hook instanceof Error ? `it threw "${hook.message}"` : `it is ${describeValue(hook)}`),
  );
  (hook as Hook).register(handler);
  markInstalled(strapi, PATCH);
}
