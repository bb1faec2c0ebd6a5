/**
 * Owns the readiness probe's settings as config/health.ts reads them from the environment:
 * the per-check timeout and the Redis URL to ping (checked by src/lib/env/redis-url.ts).
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

export function positiveInt(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}
