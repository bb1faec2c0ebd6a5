/**
 * Tells the CDN which surrogate keys a public change made stale: one `PURGE` request per
 * configured URL (CACHE_PURGE_URLS) with the keys in `Surrogate-Key` (space-separated) and
 * `xkey-purge` (what Varnish's xkey module reads). Sent after the commit, in the background:
 * keys of changes that commit close together go out in one request, a failed request is retried
 * with growing waits, and the write that caused it never waits for any of this.
 */
import type { Core } from '@strapi/strapi';

export interface PurgeSettings {
  urls: string[];
  attempts: number;
  retryBaseMs: number;
  timeoutMs: number;
}

export interface PurgeSender {
  purge(keys: string[]): void;
  /** Resolves when nothing is queued or in flight (tests, shutdown). */
  idle(): Promise<void>;
  stop(): void;
}

export function createPurgeSender(strapi: Core.Strapi, settings: PurgeSettings): PurgeSender {
  const pendingKeys = new Set<string>();
  let scheduled = false;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();

  const send = async (url: string, keys: string[]) => {
    for (let attempt = 1; attempt <= settings.attempts && !stopped; attempt++) {
      try {
        const response = await fetch(url, {
          method: 'PURGE',
          headers: { 'surrogate-key': keys.join(' '), 'xkey-purge': keys.join(' ') },
          signal: AbortSignal.timeout(settings.timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.status < 300) return;
        strapi.log.warn(`[cache] purge ${url} answered ${response.status} (attempt ${attempt} of ${settings.attempts})`);
      } catch (error) {
        strapi.log.warn(`[cache] purge ${url} failed: ${(error as Error).message} (attempt ${attempt} of ${settings.attempts})`);
      }
      if (attempt < settings.attempts) await new Promise((resolve) => setTimeout(resolve, settings.retryBaseMs * 2 ** (attempt - 1)));
    }
    if (!stopped) strapi.log.error(`[cache] gave up purging ${keys.length} keys at ${url}; the CDN may serve them until they expire`);
  };

  const flush = () => {
    scheduled = false;
    if (stopped || pendingKeys.size === 0) return;
    const keys = [...pendingKeys].sort();
    pendingKeys.clear();
    for (const url of settings.urls) {
      const delivery = send(url, keys).finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
    }
  };

  return {
    purge(keys) {
      if (settings.urls.length === 0 || stopped) return;
      for (const key of keys) pendingKeys.add(key);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    async idle() {
      while (scheduled || inFlight.size > 0) {
        if (scheduled) await new Promise((resolve) => setImmediate(resolve));
        else await Promise.all([...inFlight]);
      }
    },
    stop() {
      stopped = true;
    },
  };
}
