import type { Core } from '@strapi/strapi';

/**
 * Public read caching (src/features/delivery/cache/): the in-process response cache, the HTTP caching headers
 * every public GET/HEAD answer carries, and the CDN purge endpoints.
 *
 * - RESPONSE_CACHE: `on` (default) or `off` (answers still get ETag, 304, compression, headers).
 * - RESPONSE_CACHE_MAX_MB: byte bound of the in-process cache, all encodings counted (default 64).
 * - RESPONSE_CACHE_COHERENCE: how an instance learns of public changes committed elsewhere.
 *   `database` reads the change log from its last position before serving a hit (exact across
 *   any number of instances on one database; the default on PostgreSQL); `local` trusts this
 *   process's own writes only (exact for a single instance; the default on SQLite).
 * - RESPONSE_CACHE_INVALIDATION: `selective` (default) drops only the answers a change touches
 *   (src/features/delivery/cache/dependencies.ts); `everything` drops every answer on any change, as before
 *   issue 23: a fallback, and the "before" that `npm run bench:reads` measures in the same run.
 * - CACHE_MAX_AGE / CACHE_S_MAXAGE / CACHE_STALE_WHILE_REVALIDATE: seconds, for Cache-Control.
 * - CACHE_PURGE_URLS: comma-separated URLs that receive `PURGE` requests naming the surrogate
 *   keys of every public change (a Varnish with xkey, a CDN's purge proxy). Optional.
 */
const ON_OFF = new Set(['on', 'off', 'true', 'false']);
const COHERENCE = new Set(['local', 'database']);
const INVALIDATION = new Set(['selective', 'everything']);

export default ({ env }: Core.Config.Shared.ConfigParams) => {
  const enabledRaw = env('RESPONSE_CACHE', 'on').trim().toLowerCase();
  if (!ON_OFF.has(enabledRaw)) throw new Error(`RESPONSE_CACHE must be "on" or "off"; got "${enabledRaw}"`);

  const coherence = env('RESPONSE_CACHE_COHERENCE', '').trim().toLowerCase();
  if (coherence && !COHERENCE.has(coherence)) {
    throw new Error(`RESPONSE_CACHE_COHERENCE must be "local" or "database"; got "${coherence}"`);
  }

  const invalidation = env('RESPONSE_CACHE_INVALIDATION', 'selective').trim().toLowerCase();
  if (!INVALIDATION.has(invalidation)) {
    throw new Error(`RESPONSE_CACHE_INVALIDATION must be "selective" or "everything"; got "${invalidation}"`);
  }

  const seconds = (name: string, fallback: number) => {
    const value = env.int(name, fallback);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of seconds >= 0`);
    return value;
  };

  const maxMegabytes = Number(env('RESPONSE_CACHE_MAX_MB', '64'));
  if (!Number.isFinite(maxMegabytes) || maxMegabytes <= 0) {
    throw new Error(`RESPONSE_CACHE_MAX_MB must be a positive number of megabytes; got "${env('RESPONSE_CACHE_MAX_MB')}"`);
  }

  const purgeUrls = env('CACHE_PURGE_URLS', '')
    .split(',')
    .map((url: string) => url.trim())
    .filter(Boolean);
  for (const url of purgeUrls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`CACHE_PURGE_URLS must list absolute http(s) URLs; got "${url}"`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error(`CACHE_PURGE_URLS must list http(s) URLs; got "${url}"`);
    }
  }

  return {
    enabled: enabledRaw === 'on' || enabledRaw === 'true',
    maxBytes: Math.floor(maxMegabytes * 1024 * 1024),
    /** Empty: chosen from the database client at boot (see src/features/delivery/cache/coherence.ts). */
    coherence: coherence as '' | 'local' | 'database',
    invalidation: invalidation as 'selective' | 'everything',
    http: {
      maxAge: seconds('CACHE_MAX_AGE', 5),
      sMaxAge: seconds('CACHE_S_MAXAGE', 60),
      staleWhileRevalidate: seconds('CACHE_STALE_WHILE_REVALIDATE', 30),
      /** Answers smaller than this are sent uncompressed: the headers would eat the gain. */
      compressMinBytes: 1024,
    },
    purge: {
      urls: purgeUrls,
      attempts: 4,
      retryBaseMs: env.int('CACHE_PURGE_RETRY_BASE_MS', 500),
      timeoutMs: 5000,
    },
  };
};
