/**
 * The shared guard of every patch in this folder. A patch reaches into Strapi (or knex, or the
 * HTTP server Strapi made) where Strapi offers no public hook; before it does, it checks that its
 * target still has the shape it was written against. When it does not (an upgrade moved,
 * renamed or reshaped it), boot fails with a SeamError naming the patch, what it expected, what
 * it found and the Strapi version, instead of the patch silently doing nothing or something else.
 * docs/upgrading-strapi.md lists the patches (./index.ts) and what to do when one fires.
 */
import type { Core } from '@strapi/strapi';

export class SeamError extends Error {
  override readonly name = 'SeamError';

  constructor(
    readonly patch: string,
    readonly expected: string,
    readonly found: string,
    readonly strapiVersion: string,
  ) {
    super(
      `Strapi seam "${patch}" does not fit Strapi ${strapiVersion}: expected ${expected}, found ${found}. ` +
        `The patch (src/strapi-seam/${patch}.ts) was not applied; see docs/upgrading-strapi.md.`,
    );
  }
}

/** The running Strapi's version (`info.strapi`, from @strapi/core's package.json). */
export function strapiVersion(strapi: Core.Strapi): string {
  const version: unknown = strapi.config?.get?.('info.strapi');
  return typeof version === 'string' && version ? version : 'of unknown version';
}

/** A Map (or a subclass), from any realm: the tests' sandbox has a Map of its own. */
export function isMap(value: unknown): value is Map<unknown, unknown> {
  return Object.prototype.toString.call(value) === '[object Map]';
}

/** What a value is, for a SeamError's "found". */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'function') return `a function${value.name ? ` "${value.name}"` : ''} of ${value.length} parameter(s)`;
  if (isMap(value)) return `a Map of ${value.size}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
  return `a ${typeof value}`;
}

/**
 * A new query builder of Strapi's (@strapi/database), on the first of this app's content types:
 * for the guards of patches that use one, since a builder is made per query and its shape is
 * not seen at boot otherwise.
 */
export function sampleQueryBuilder(strapi: Core.Strapi): unknown {
  const uid = Object.keys(strapi.contentTypes).find((name) => name.startsWith('api::'));
  const entityManager = strapi.db.entityManager as unknown as { createQueryBuilder?: (uid: string) => unknown };
  return uid && typeof entityManager.createQueryBuilder === 'function' ? entityManager.createQueryBuilder(uid) : undefined;
}

/** Throws the patch's SeamError unless `ok`. */
export function expectShape(strapi: Core.Strapi, patch: string, ok: boolean, expected: string, found: () => string): asserts ok {
  if (!ok) throw new SeamError(patch, expected, found(), strapiVersion(strapi));
}

export interface MethodShape {
  /** The number of declared parameters (Function#length) the patch was written against. */
  arity?: number;
  /** The function's name, where it identifies Strapi's own (a listener, not any function). */
  name?: string;
}

export type AnyFunction = (...args: never[]) => unknown;

/** `owner[method]`, checked to be a function of the expected shape; the owner's label names it in the message. */
export function expectMethod<F extends AnyFunction>(
  strapi: Core.Strapi,
  patch: string,
  owner: unknown,
  ownerLabel: string,
  method: string,
  shape: MethodShape = {},
): F {
  const label = `${ownerLabel}.${method}`;
  expectShape(strapi, patch, !!owner && (typeof owner === 'object' || typeof owner === 'function'), `${ownerLabel} to be an object`, () => describeValue(owner));
  const value: unknown = (owner as Record<string, unknown>)[method];
  const wanted = `${label} to be a function${shape.name ? ` "${shape.name}"` : ''}${shape.arity === undefined ? '' : ` of ${shape.arity} parameter(s)`}`;
  expectShape(
    strapi,
    patch,
    typeof value === 'function' &&
      (shape.arity === undefined || value.length === shape.arity) &&
      (shape.name === undefined || value.name === shape.name),
    wanted,
    () => `${label} is ${describeValue(value)}`,
  );
  return value as F;
}

/**
 * Checks `owner[method]` (expectMethod), then replaces it with `makeReplacement(original)`,
 * the original bound to its owner. `define` uses Object.defineProperty (for a property that is
 * not a plain writable one, like knex's `transaction`).
 */
export function replaceMethod<F extends AnyFunction>(
  strapi: Core.Strapi,
  patch: string,
  owner: unknown,
  ownerLabel: string,
  method: string,
  shape: MethodShape,
  makeReplacement: (original: F) => F,
  options: { define?: boolean } = {},
): void {
  const original = expectMethod<F>(strapi, patch, owner, ownerLabel, method, shape).bind(owner) as F;
  const replacement = makeReplacement(original);
  if (options.define) Object.defineProperty(owner, method, { configurable: true, value: replacement });
  else (owner as Record<string, unknown>)[method] = replacement;
  markInstalled(strapi, patch);
}

/**
 * Replaces `method` of Strapi's entity manager (or the one given, for the guards' tests) with
 * `makeReplacement(original, entityManager)`, after checking that the method has the expected
 * number of parameters and that `uses`, the method the replacement calls, is there with its own.
 */
export function wrapEntityManagerMethod<F extends AnyFunction, EntityManager>(
  strapi: Core.Strapi,
  patch: string,
  method: { name: string; arity: number },
  uses: { name: string; arity: number },
  makeReplacement: (original: F, entityManager: EntityManager) => F,
  entityManager: unknown = strapi.db.entityManager,
): void {
  expectMethod(strapi, patch, entityManager, 'strapi.db.entityManager', uses.name, { arity: uses.arity });
  replaceMethod<F>(strapi, patch, entityManager, 'strapi.db.entityManager', method.name, { arity: method.arity }, (original) =>
    makeReplacement(original, entityManager as EntityManager),
  );
}

// On the strapi instance under a registry symbol: the tests load src/ while the app runs from
// dist/, two copies of this module that must see the same list.
const INSTALLED = Symbol.for('innovation-hub.strapi-seam.installed');
type WithSeam = Core.Strapi & { [INSTALLED]?: Set<string> };

/** Records that `patch` checked its target and is in place on this instance. */
export function markInstalled(strapi: Core.Strapi, patch: string): void {
  const holder = strapi as WithSeam;
  (holder[INSTALLED] ??= new Set()).add(patch);
}

/** The patches in place on this instance, in the order they were applied. */
export function installedPatches(strapi: Core.Strapi): string[] {
  return [...((strapi as WithSeam)[INSTALLED] ?? [])];
}
