/**
 * Readiness probe (`GET /_ready`, src/features/delivery/health/): how long each check may take and which Redis
 * to ping. Read here so a malformed REDIS_URL stops the boot instead of failing every probe.
 */
import type { Core } from '@strapi/strapi';
import { DEFAULT_CHECK_TIMEOUT_MS, positiveInt, type HealthSettings } from '../src/features/delivery/health/settings';
import { parseRedisUrl } from '../src/lib/env/redis-url';

const config = ({ env }: Core.Config.Shared.ConfigParams): HealthSettings => ({
  checkTimeoutMs: positiveInt(env.int('READY_CHECK_TIMEOUT_MS', DEFAULT_CHECK_TIMEOUT_MS), DEFAULT_CHECK_TIMEOUT_MS),
  retryAfterSeconds: positiveInt(env.int('READY_RETRY_AFTER_SECONDS', 5), 5),
  redisUrl: parseRedisUrl(env('REDIS_URL', '')),
});

export default config;
