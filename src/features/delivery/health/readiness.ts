/**
 * Owns `GET /_ready`, the readiness probe: 200 when this instance can serve (Strapi has finished
 * booting, so migrations ran, and is not shutting down; the database answers `select 1`; Redis answers PING when REDIS_URL
 * is set), else 503 with Retry-After and the failed checks named. `/_health` (Strapi's own) stays
 * the liveness probe: it never touches a dependency, so an outage does not get instances killed.
 *
 * Every check has a deadline (config/health.ts), and a check still running is shared by the
 * probes that arrive meanwhile, so a hung database costs one pending query, not one per probe.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import Redis from 'ioredis';
import { isDraining } from '../../../lib/lifecycle/drain';
import { DEFAULT_CHECK_TIMEOUT_MS, type HealthSettings } from './settings';

export const READY_PATH = '/_ready';

export type CheckResult = { status: 'ok' } | { status: 'skipped' } | { status: 'failed'; error: string };
export type CheckName = 'boot' | 'database' | 'redis';

class CheckTimeout extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout()), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** A short reason for the answer: the error code (ECONNREFUSED…) or a class, never hosts or credentials. */
function reasonOf(error: unknown, timeoutMs: number): string {
  if (error instanceof CheckTimeout) return `timed out after ${timeoutMs} ms`;
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : 'unavailable';
}

/** One connection per probe: nothing to keep alive or close at shutdown, and it proves a fresh connect works. */
async function pingRedis(url: string, timeoutMs: number): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    enableOfflineQueue: false,
    commandTimeout: timeoutMs,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // connect() rejects with a bare "Connection is closed"; the cause (ECONNREFUSED…) comes as an
  // 'error' event, which also keeps ioredis from printing it as unhandled.
  let cause: Error | undefined;
  client.on('error', (error: Error) => (cause ??= error));
  // A server that accepts and never answers must not keep this connection (or the check) open.
  const cutoff = setTimeout(() => client.disconnect(), timeoutMs);
  try {
    await client.connect();
    const answer = await client.ping();
    if (answer !== 'PONG') throw new Error('unexpected PING answer');
  } catch (error) {
    throw cause ?? error;
  } finally {
    clearTimeout(cutoff);
    client.disconnect();
  }
}

export function createReadiness(strapi: Core.Strapi) {
  const settings = (): HealthSettings => ({
    checkTimeoutMs: strapi.config.get('health.checkTimeoutMs', DEFAULT_CHECK_TIMEOUT_MS),
    retryAfterSeconds: strapi.config.get('health.retryAfterSeconds', 5),
    redisUrl: strapi.config.get('health.redisUrl', null),
  });
  const pending = new Map<string, Promise<CheckResult>>();

  /** Runs `work` under the deadline, or joins the run of the same check already under way. */
  const check = (name: CheckName, key: string, timeoutMs: number, work: () => Promise<unknown>): Promise<CheckResult> => {
    const running = pending.get(key);
    if (running) return running;
    const run = Promise.resolve().then(work);
    const result = withTimeout(run, timeoutMs).then(
      (): CheckResult => ({ status: 'ok' }),
      (error: unknown): CheckResult => {
        strapi.log.warn(`[ready] ${name} check failed: ${(error as Error)?.message || reasonOf(error, timeoutMs)}`);
        return { status: 'failed', error: reasonOf(error, timeoutMs) };
      }
    );
    // Kept until the work itself settles, not just its deadline: while a check hangs, probes get
    // its timed-out answer instead of starting another query or connection.
    pending.set(key, result);
    void run.then(
      () => pending.delete(key),
      () => pending.delete(key)
    );
    return result;
  };

  return async function readiness(): Promise<{ ready: boolean; checks: Record<CheckName, CheckResult>; retryAfterSeconds: number }> {
    const { checkTimeoutMs, retryAfterSeconds, redisUrl } = settings();
    const [database, redis] = await Promise.all([
      check('database', 'database', checkTimeoutMs, () => strapi.db.connection.raw('select 1')),
      redisUrl
        ? check('redis', `redis ${redisUrl}`, checkTimeoutMs, () => pingRedis(redisUrl, checkTimeoutMs))
        : Promise.resolve<CheckResult>({ status: 'skipped' }),
    ]);
    // Looked at last, so an answer finished during a shutdown says so. Not ready while shutting
    // down either: kept-alive clients may still ask during the drain.
    const boot: CheckResult = !strapi.isLoaded
      ? { status: 'failed', error: 'still booting' }
      : isDraining(strapi)
        ? { status: 'failed', error: 'shutting down' }
        : { status: 'ok' };
    const checks = { boot, database, redis };
    return { ready: Object.values(checks).every((result) => result.status !== 'failed'), checks, retryAfterSeconds };
  };
}

/** Adds `GET /_ready` to Strapi's router (no credentials, like /_health); call from register(). */
export function registerHealthRoutes(strapi: Core.Strapi): void {
  const readiness = createReadiness(strapi);
  strapi.server.routes([
    {
      method: 'GET',
      path: READY_PATH,
      config: { auth: false },
      handler: async (ctx: Context) => {
        const { ready, checks, retryAfterSeconds } = await readiness();
        ctx.set('Cache-Control', 'no-store');
        if (ready) {
          ctx.status = 200;
          ctx.body = { status: 'ready', checks };
          return;
        }
        ctx.status = 503;
        ctx.set('Retry-After', String(retryAfterSeconds));
        const failed = (Object.keys(checks) as CheckName[]).filter((name) => checks[name].status === 'failed');
        ctx.body = { status: 'unavailable', failed, checks };
      },
    },
  ]);
}
