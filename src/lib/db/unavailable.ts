/**
 * Owns what the app does while its database cannot be reached: which errors mean "the database
 * is down" (as opposed to a bug or a bad query), the Koa middleware that answers them with a 503
 * and `Retry-After` instead of Strapi's 500, the check that keeps an outage from passing for a
 * 401, and the process guard that keeps such an error from killing the process when nobody awaits
 * it (Strapi's after-commit document events).
 */
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { errors } from '@strapi/utils';
import { sendJsonError } from '../http/json-error';
import { isStopping } from '../lifecycle/stop';
import { wrapAuthenticate } from '../../strapi-seam/auth-authenticate';

/** Socket-level failures: the server is gone, restarting, or not reachable at all. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs for "not now": 57P01 admin_shutdown (pg_ctl stop -m fast), 57P02
 * crash_shutdown, 57P03 cannot_connect_now (starting up, shutting down, in recovery), and class
 * 08 (connection exceptions). Never a constraint or syntax error: those are ours to fix, not to retry.
 */
const SQLSTATE = /^(57P0[123]|08[0-9A-Z]{3})$/;

/**
 * What pg and knex say when they have no server to talk to; they often carry no code.
 * "Timeout acquiring a connection" is knex's pool giving up (DATABASE_CONNECTION_TIMEOUT), which
 * during an outage is how every request that found no live connection ends.
 */
const MESSAGES = [
  /Timeout acquiring a connection/i,
  /Connection terminated/i,
  /Connection ended unexpectedly/i,
  /connection error and is not queryable/i,
  /the database system is (shutting down|starting up|in recovery mode|not yet accepting connections)/i,
  /terminating connection due to administrator command/i,
];

/** The error and the errors it wraps (`cause`, AggregateError's `errors`), a few levels deep. */
function* chain(error: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (!error || typeof error !== 'object' || depth > 4) return;
  const record = error as Record<string, unknown>;
  yield record;
  yield* chain(record.cause, depth + 1);
  if (Array.isArray(record.errors)) for (const inner of record.errors) yield* chain(inner, depth + 1);
}

/** True when `error` says the database cannot be reached right now (so retrying later may work). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const link of chain(error)) {
    const code = typeof link.code === 'string' ? link.code : '';
    if (NETWORK_CODES.has(code) || SQLSTATE.test(code)) return true;
    if (link.name === 'KnexTimeoutError') return true;
    const message = typeof link.message === 'string' ? link.message : '';
    if (MESSAGES.some((pattern) => pattern.test(message))) return true;
  }
  return false;
}

/** The error's code, or the words that told us, or its class: what the log says, never hosts or credentials. */
function reasonOf(error: unknown): string {
  for (const link of chain(error)) if (typeof link.code === 'string' && link.code) return link.code;
  for (const link of chain(error)) {
    const message = typeof link.message === 'string' ? link.message : '';
    const match = MESSAGES.map((pattern) => pattern.exec(message)).find(Boolean);
    if (match) return match[0];
  }
  return String((error as { name?: unknown })?.name ?? 'Error');
}

/**
 * Errors Strapi answers with their own 4xx (validation, not found, forbidden...) are never about
 * the database being down.
 */
function isClientError(error: unknown): boolean {
  if (error instanceof errors.ApplicationError) return true;
  const status = Number((error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode);
  return Number.isInteger(status) && status < 500;
}

/**
 * For an error that would be a 500 and names no connection problem: is the database down right
 * now? When the connection dies in the middle of a transaction, the next statement fails with
 * knex's "Transaction query already complete", which says nothing about why; asking the
 * database tells an outage (503) from a bug (still a 500).
 */
async function databaseIsDown(strapi: Core.Strapi, error: unknown): Promise<boolean> {
  if (isClientError(error)) return false;
  try {
    await strapi.db.connection.raw('select 1');
    return false;
  } catch (probe) {
    return isDatabaseUnavailable(probe);
  }
}

/**
 * An outage fails every request: one warning per `everyMs` with the count since the last one,
 * instead of one line per request.
 */
function throttledWarning(strapi: Core.Strapi, everyMs = 5000) {
  let last = 0;
  let unreported = 0;
  return (reason: string) => {
    unreported += 1;
    const now = Date.now();
    if (now - last < everyMs) return;
    strapi.log.warn(`[database] unavailable (${reason}): answered ${unreported} request(s) with 503 since the last report`);
    last = now;
    unreported = 0;
  };
}

/**
 * Koa middleware, placed right after `strapi::errors`: a request that failed because the
 * database is unreachable (by the error, or, for an error that would be a 500, by asking the
 * database) gets `503 Service Unavailable`, `Retry-After` (READY_RETRY_AFTER_SECONDS,
 * the same wait `/_ready` asks for) and Strapi's JSON error shape. Anything else goes on to
 * `strapi::errors` untouched.
 */
export function databaseUnavailableMiddleware(strapi: Core.Strapi) {
  const warn = throttledWarning(strapi);
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
    } catch (error) {
      if (!isDatabaseUnavailable(error) && !(await databaseIsDown(strapi, error))) throw error;
      warn(reasonOf(error));
      ctx.set('Retry-After', String(strapi.config.get('health.retryAfterSeconds', 5)));
      ctx.set('Cache-Control', 'no-store');
      sendJsonError(ctx, 503, 'ServiceUnavailableError', 'The database is unavailable; retry after the time in Retry-After');
    }
  };
}

/**
 * users-permissions' content-API strategy reads the public role's permissions (or the JWT's
 * user) from the database and turns any error there into "not authenticated": during an outage
 * every public read became a 401, which tells clients and caches the wrong thing. So when a
 * request fails authentication, the database is asked `select 1`; if that fails for want of a
 * database, the error goes up to the middleware above (503). Requests that authenticate, and
 * routes without auth, cost nothing extra. Call from register() (plugins register their
 * strategies first; the router looks the service up per request).
 */
export function authFailuresCheckDatabase(strapi: Core.Strapi): void {
  wrapAuthenticate(strapi, (authenticate) => async (ctx: Context, next: Next) => {
    let passed = false;
    const result = await authenticate(ctx, () => {
      passed = true;
      return next();
    });
    if (!passed && ctx.status === 401) await strapi.db.connection.raw('select 1');
    return result;
  });
}

/**
 * tarn (knex's pool) rejects the acquires still waiting when the pool is destroyed with a plain
 * `Error('aborted')`. stopStrapi waits for quiet first, so this only happens when that wait ran
 * out; a shutdown we asked for must still end with exit 0.
 */
function isAbortedByPoolShutdown(reason: unknown): boolean {
  return reason instanceof Error && reason.message === 'aborted' && /PendingOperation/.test(reason.stack ?? '');
}

/**
 * What the process guard below does with a rejection nobody awaited: logs it when the database
 * is unavailable, or when it is a pool acquire aborted by a stop we asked for; throws it again
 * otherwise (which ends the process, as Node would have).
 */
export function handleUnawaitedRejection(strapi: Core.Strapi, reason: unknown): void {
  if (isStopping(strapi) && isAbortedByPoolShutdown(reason)) {
    strapi.log.warn("[database] a query nobody awaited was cut short by the shutdown (Strapi's after-commit events)");
    return;
  }
  if (!isDatabaseUnavailable(reason)) throw reason;
  strapi.log.warn(`[database] unavailable (${reasonOf(reason)}) in work nobody awaited (Strapi's after-commit events); the process keeps serving`);
}

// One listener per process, whatever number of Strapi instances it boots in turn (tests do):
// a later instance takes the listener over. strapi.destroy() ends with
// process.removeAllListeners(), so it is added again when it is gone.
const GUARD_KEY = Symbol.for('innovation-hub.db.unhandled-rejection-guard');
type Guard = { strapi: Core.Strapi; listener: (reason: unknown) => void };
type WithGuard = typeof globalThis & { [GUARD_KEY]?: Guard };

/**
 * Strapi runs its after-commit document events (a findOne per written entry, then the event hub)
 * without awaiting them (@strapi/database transaction-context runs commit callbacks with
 * forEach). When the database goes away right after a commit, that query rejects with nobody to
 * catch it, and Node's default for an unhandled rejection is to end the process. Such a rejection
 * is logged and the process keeps serving; any other unhandled rejection is thrown again, which
 * ends the process as Node would have. While stopStrapi runs, a pool acquire aborted by the
 * shutdown itself is logged too.
 */
export function survivePostCommitOutages(strapi: Core.Strapi): void {
  const global = globalThis as WithGuard;
  const guard: Guard = global[GUARD_KEY] ?? {
    strapi,
    listener: (reason: unknown) => handleUnawaitedRejection(guard.strapi, reason),
  };
  guard.strapi = strapi;
  global[GUARD_KEY] = guard;
  if (!process.listeners('unhandledRejection').includes(guard.listener)) process.on('unhandledRejection', guard.listener);
}
