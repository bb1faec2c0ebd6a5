/**
 * Owns the readiness probe's settings as config/health.ts reads them from the environment:
 * the per-check timeout and the Redis URL to ping. A malformed REDIS_URL stops the boot with a
 * message naming the variable (never its value, which may hold a password).
 */

export interface HealthSettings {
  /** Longest any one readiness check may take before it counts as failed. */
  checkTimeoutMs: number;
  /** Seconds a 503 from /_ready asks the caller to wait (Retry-After). */
  retryAfterSeconds: number;
  /** Redis to PING, or null when REDIS_URL is unset. */
  redisUrl: string | null;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2000;

export class InvalidRedisUrlError extends Error {
  constructor(why: string) {
    super(`REDIS_URL is not usable (${why}): give a redis:// or rediss:// URL such as redis://127.0.0.1:6379/0, or unset it.`);
    this.name = 'InvalidRedisUrlError';
  }
}

/** null for unset/empty; the URL itself when it is a redis:// or rediss:// URL with a host; else throws. */
export function parseRedisUrl(value: string | undefined): string | null {
  const text = value?.trim();
  if (!text) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidRedisUrlError('not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new InvalidRedisUrlError(`scheme ${url.protocol} is not redis: or rediss:`);
  if (!url.hostname) throw new InvalidRedisUrlError('no host');
  const db = url.pathname.replace(/^\//, '');
  if (db && !/^\d+$/.test(db)) throw new InvalidRedisUrlError('the database after the host must be a number');
  return text;
}

export function positiveInt(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}
