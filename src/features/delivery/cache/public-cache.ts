/**
 * The public response cache: anonymous reads of public content, answered from memory until a
 * committed change touches what the answer depends on (dependencies.ts), bounded by bytes.
 * Changes arrive from this process's change log (subscribed in src/index.ts) and, with several
 * instances on one database, from the log itself (coherence.ts).
 *
 * Exactness: every entry is indexed by its dependency keys, and a change drops the entries under
 * the keys it touches. An answer being built while a change commits may mix old and new rows,
 * so it is stored only if no change applied since its build began (its ticket) touched it: the
 * last invalidations are kept for that check.
 *
 * Two halves share one store:
 * - the front door (front-door.ts) sits on the HTTP server before Koa and answers hits with no
 *   Strapi work at all;
 * - the Koa middleware (src/middlewares/public-cache.ts) sees every miss, turns the answer into
 *   bytes with ETag, Cache-Control, surrogate keys and compression, and stores it.
 */
import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';
import type { LoggedChange } from '../../../lib/sync/change-store';
import type { Answer, HttpCachePolicy } from './answer';
import { chooseCoherenceMode, createCoherence, type Coherence, type CoherenceMode } from './coherence';
import { createPurgeSender, type PurgeSender, type PurgeSettings } from './purge';
import { buildTypeGraph, changesTouch, EVERYTHING, purgeKeysFor, type Touched, type TypeGraph } from './dependencies';

export interface CacheConfig {
  enabled: boolean;
  maxBytes: number;
  coherence: '' | CoherenceMode;
  invalidation: 'selective' | 'everything';
  http: HttpCachePolicy;
  purge: PurgeSettings;
}

export interface StoredAnswer {
  answer: Answer;
  /** Its dependency keys (dependencies.ts). */
  dependsOn: readonly string[];
}

/** Fixed cost per entry on top of its bytes (key, headers, bookkeeping). */
const ENTRY_OVERHEAD = 1024;
/**
 * Invalidations remembered for answers still being built. An answer whose build began before
 * the oldest of them is not stored (it is only a miss): at 1,000 it would take that many
 * changes committing during one build.
 */
const REMEMBERED_INVALIDATIONS = 1000;

export interface PublicCache {
  readonly config: CacheConfig;
  readonly coherence: Coherence;
  readonly purges: PurgeSender;
  readonly publicPluralNames: ReadonlySet<string>;
  typeGraph(): TypeGraph;
  get(key: string): StoredAnswer | undefined;
  /**
   * Where invalidation stands: taken before an answer is built (after `coherence.catchUp()`
   * with several instances), handed to `set`.
   */
  ticket(): number;
  /** Stores an answer built since `ticket`, unless a change since then touched it; says which. */
  set(key: string, stored: StoredAnswer, ticket: number): boolean;
  /** Re-measures an entry after a compressed form was added to it. */
  resize(key: string, stored: StoredAnswer): void;
  /** A change-log listener: committed public changes (this process's); invalidates, purges. */
  changed(changes: LoggedChange[]): void;
  /** Drops every entry depending on a touched key; without purging (another instance's changes). */
  invalidate(touched: Touched): void;
  /** A public change outside the change log (media library); invalidates, purges everything. */
  changedOutsideLog(): void;
  stats(): { entries: number; bytes: number; maxBytes: number; hits: number; misses: number; stored: number; invalidated: number; evicted: number };
  countHit(): void;
  countMiss(): void;
  clear(): void;
}

// Kept on the app under a registered symbol, not in a module-level map, so that code compiled
// twice (the app from dist/, a test from src/) finds the same cache.
const CACHE = Symbol.for('hub.publicCache');
type WithCache = Core.Strapi & { [CACHE]?: PublicCache };

export function publicCache(strapi: Core.Strapi): PublicCache {
  const cache = (strapi as WithCache)[CACHE];
  if (!cache) throw new Error('The public cache is created in register() (src/features/delivery/index.ts)');
  return cache;
}

export const sizeOf = (key: string, stored: StoredAnswer) =>
  ENTRY_OVERHEAD + key.length + stored.answer.body.length + (stored.answer.encoded.br?.length ?? 0) + (stored.answer.encoded.gzip?.length ?? 0);

export function createPublicCache(strapi: Core.Strapi): PublicCache {
  const config = strapi.config.get('cache') as CacheConfig;
  const purges = createPurgeSender(strapi, config.purge);
  // Entries by dependency key, kept in step with the store (an evicted entry leaves it).
  const index = new Map<string, Set<string>>();
  const unindex = (key: string, stored: StoredAnswer) => {
    for (const dependency of stored.dependsOn) {
      const keys = index.get(dependency);
      keys?.delete(key);
      if (keys?.size === 0) index.delete(dependency);
    }
  };
  const store = new LRUCache<string, StoredAnswer>({
    maxSize: config.maxBytes,
    // One answer may not push out more than an eighth of the cache.
    maxEntrySize: Math.max(1, Math.floor(config.maxBytes / 8)),
    sizeCalculation: (stored, key) => sizeOf(key, stored),
    // Also for an entry replaced by set(): its old keys go, the new ones are added after.
    dispose: (stored, key, reason) => {
      unindex(key, stored);
      if (reason === 'evict') counters.evicted++;
    },
  });
  let graph: TypeGraph | undefined;
  const counters = { hits: 0, misses: 0, stored: 0, invalidated: 0, evicted: 0 };
  // Invalidation n is recent[n - 1 - dropped]; a ticket is the number applied when it was taken.
  let applied = 0;
  const recent: Touched[] = [];
  const indexEntry = (key: string, stored: StoredAnswer) => {
    for (const dependency of stored.dependsOn) {
      const keys = index.get(dependency) ?? new Set<string>();
      keys.add(key);
      index.set(dependency, keys);
    }
  };
  const touchedSince = (ticket: number, dependsOn: readonly string[]): boolean => {
    if (ticket < applied - recent.length) return true;
    for (let n = ticket; n < applied; n++) {
      const touched = recent[n - (applied - recent.length)]!;
      if (touched === EVERYTHING || dependsOn.some((key) => touched.has(key))) return true;
    }
    return false;
  };

  const coherenceMode = chooseCoherenceMode(config.coherence, String(strapi.config.get('database.connection.client')));
  const cache: PublicCache = {
    config,
    get coherence() {
      return coherence;
    },
    purges,
    publicPluralNames: new Set(),
    typeGraph() {
      graph ??= buildTypeGraph(strapi);
      return graph;
    },
    get(key) {
      return config.enabled ? store.get(key) : undefined;
    },
    ticket: () => applied,
    set(key, stored, ticket) {
      if (!config.enabled || touchedSince(ticket, stored.dependsOn)) return false;
      store.set(key, stored);
      if (store.peek(key) !== stored) return false;
      indexEntry(key, stored);
      counters.stored++;
      return true;
    },
    resize(key, stored) {
      // Only if it is still the entry in place. lru-cache measures an entry when it is set with
      // a new value only (the same object again keeps its old size), so a copy goes in.
      if (store.peek(key) !== stored) return;
      const measured = { ...stored };
      store.set(key, measured);
      if (store.peek(key) === measured) indexEntry(key, measured);
    },
    invalidate(touchedKeys) {
      const touched = config.invalidation === 'everything' ? EVERYTHING : touchedKeys;
      applied++;
      recent.push(touched);
      if (recent.length > REMEMBERED_INVALIDATIONS) recent.shift();
      if (touched === EVERYTHING) {
        counters.invalidated += store.size;
        store.clear();
        return;
      }
      const stale = new Set<string>();
      for (const dependency of touched) for (const key of index.get(dependency) ?? []) stale.add(key);
      for (const key of stale) store.delete(key);
      counters.invalidated += stale.size;
    },
    changed(changes) {
      if (changes.length === 0) return;
      cache.invalidate(changesTouch(changes, cache.typeGraph()));
      purges.purge(purgeKeysFor(changes, cache.typeGraph()));
    },
    changedOutsideLog() {
      cache.invalidate(EVERYTHING);
      purges.purge(['hub']);
    },
    stats() {
      // Measured from the entries themselves, not the LRU's running total, so an entry that grew
      // (a new encoding) without being measured again would show.
      let bytes = 0;
      for (const [key, stored] of store.entries()) bytes += sizeOf(key, stored);
      return { entries: store.size, bytes, maxBytes: config.maxBytes, ...counters };
    },
    countHit: () => void counters.hits++,
    countMiss: () => void counters.misses++,
    clear: () => cache.invalidate(EVERYTHING),
  };
  const coherence = createCoherence(strapi, coherenceMode, cache);
  (strapi as WithCache)[CACHE] = cache;
  return cache;
}

/** The public types' plural API names, known once Strapi has loaded its content types. */
export function learnPublicTypes(cache: PublicCache, graph: TypeGraph): void {
  const names = cache.publicPluralNames as Set<string>;
  for (const plural of graph.pluralOf.values()) names.add(plural);
}

/**
 * Media library writes (a new alt text, a replaced file) change public answers without going
 * through the change log: they invalidate too, after their commit. (Other instances see them
 * through the media library state that coherence.ts reads.)
 */
export function invalidateOnMediaChanges(strapi: Core.Strapi, cache: PublicCache): void {
  const changed = () => {
    if (!strapi.db.inTransaction()) return cache.changedOutsideLog();
    // Joins the running transaction only to learn when it commits.
    void strapi.db.transaction(async ({ onCommit }) => onCommit(() => cache.changedOutsideLog()));
  };
  strapi.db.lifecycles.subscribe({
    models: ['plugin::upload.file'],
    afterCreate: changed,
    afterUpdate: changed,
    afterDelete: changed,
    afterCreateMany: changed,
    afterUpdateMany: changed,
    afterDeleteMany: changed,
  });
}
