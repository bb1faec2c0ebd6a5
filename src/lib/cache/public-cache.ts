/**
 * The public response cache: anonymous reads of public content, answered from memory while no
 * public change has committed since the answer was built (coherence.ts), invalidated by the
 * change log (subscribed in src/index.ts), bounded by bytes.
 *
 * Two halves share one store:
 * - the front door (front-door.ts) sits on the HTTP server before Koa and answers hits with no
 *   Strapi work at all;
 * - the Koa middleware (src/middlewares/public-cache.ts) sees every miss, turns the answer into
 *   bytes with ETag, Cache-Control, surrogate keys and compression, and stores it.
 */
import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';
import type { LoggedChange } from '../sync/change-store';
import type { Answer, HttpCachePolicy } from './answer';
import { chooseCoherenceMode, createCoherence, type Coherence, type CoherenceMode } from './coherence';
import { createPurgeSender, type PurgeSender, type PurgeSettings } from './purge';
import { buildTypeGraph, purgeKeysFor, type TypeGraph } from './surrogate-keys';

export interface CacheConfig {
  enabled: boolean;
  maxBytes: number;
  coherence: '' | CoherenceMode;
  http: HttpCachePolicy;
  purge: PurgeSettings;
}

export interface StoredAnswer {
  answer: Answer;
  /** The content version it was built from (coherence.ts). */
  version: string;
}

/** Fixed cost per entry on top of its bytes (key, headers, bookkeeping). */
const ENTRY_OVERHEAD = 1024;

export interface PublicCache {
  readonly config: CacheConfig;
  readonly coherence: Coherence;
  readonly purges: PurgeSender;
  readonly publicPluralNames: ReadonlySet<string>;
  typeGraph(): TypeGraph;
  get(key: string): StoredAnswer | undefined;
  set(key: string, stored: StoredAnswer): void;
  /** Re-measures an entry after a compressed form was added to it. */
  resize(key: string, stored: StoredAnswer): void;
  /** A change-log listener: committed public changes. */
  changed(changes: LoggedChange[]): void;
  /** A public change outside the change log (media library); invalidates, purges everything. */
  changedOutsideLog(): void;
  stats(): { entries: number; bytes: number; maxBytes: number; hits: number; misses: number; stored: number };
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
  if (!cache) throw new Error('The public cache is created in register() (src/index.ts)');
  return cache;
}

export const sizeOf = (key: string, stored: StoredAnswer) =>
  ENTRY_OVERHEAD + key.length + stored.answer.body.length + (stored.answer.encoded.br?.length ?? 0) + (stored.answer.encoded.gzip?.length ?? 0);

export function createPublicCache(strapi: Core.Strapi): PublicCache {
  const config = strapi.config.get('cache') as CacheConfig;
  const coherence = createCoherence(strapi, chooseCoherenceMode(config.coherence, String(strapi.config.get('database.connection.client'))));
  const purges = createPurgeSender(strapi, config.purge);
  const store = new LRUCache<string, StoredAnswer>({
    maxSize: config.maxBytes,
    // One answer may not push out more than an eighth of the cache.
    maxEntrySize: Math.max(1, Math.floor(config.maxBytes / 8)),
    sizeCalculation: (stored, key) => sizeOf(key, stored),
  });
  let graph: TypeGraph | undefined;
  const counters = { hits: 0, misses: 0, stored: 0 };

  const cache: PublicCache = {
    config,
    coherence,
    purges,
    publicPluralNames: new Set(),
    typeGraph() {
      graph ??= buildTypeGraph(strapi);
      return graph;
    },
    get(key) {
      return config.enabled ? store.get(key) : undefined;
    },
    set(key, stored) {
      if (!config.enabled) return;
      store.set(key, stored);
      counters.stored++;
    },
    resize(key, stored) {
      // Only if it is still the entry in place: set() measures it again.
      if (store.peek(key) === stored) store.set(key, stored);
    },
    changed(changes) {
      if (changes.length === 0) return;
      coherence.bump();
      purges.purge(purgeKeysFor(changes, cache.typeGraph()));
    },
    changedOutsideLog() {
      coherence.bump();
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
    clear: () => store.clear(),
  };
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
 * through the `files` part of the database version in coherence.ts.)
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
