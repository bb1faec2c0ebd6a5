/**
 * The webhook worker: claims due deliveries from the outbox, signs and POSTs them, and records
 * the outcome (delivered, or another attempt later by backoff.ts, or dead after 24 hours).
 *
 * Several app instances may poll the same database; each delivery is sent by the one instance
 * that holds its lease (`locked_by`/`locked_until`). On PostgreSQL the claim locks rows with
 * `FOR UPDATE SKIP LOCKED`, so concurrent claimers take disjoint rows without waiting on each
 * other; SQLite has a single writer, so its claim UPDATE is atomic as it stands. A lease outlives
 * the request timeout by a margin, and an instance that dies mid-delivery loses its lease when it
 * runs out: the delivery is then sent again (at least once; receivers deduplicate by webhook-id).
 */
import { hostname } from 'os';
import { randomBytes } from 'crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { isPostgres } from '../db/dialect';
import type { WebhookConfig } from '../../../config/webhooks';
import { DEFAULT_RETRY_SCHEDULE, nextAttemptAt, type RetrySchedule } from './backoff';
import { DELIVERY_TABLE, type DeliveryStatus } from './outbox';
import { signMessage } from './signing';
import { SUBSCRIPTION_TABLE, toSubscription, type Subscription } from './subscriptions';
import { fetch } from 'undici';
import { refusedHost, webhookAgent } from './egress';

/** This process's name on the leases it takes. */
export const WORKER_ID = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

export interface DeliveryRow {
  id: number | string;
  subscription_id: number | string;
  change_position: number | string;
  message_id: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | string | number;
  locked_by: string | null;
  locked_until: Date | string | number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: Date | string | number;
  delivered_at: Date | string | number | null;
}

export interface WorkerSettings {
  /** The database to work on; another connection stands in for another instance in tests. */
  knex: Knex;
  workerId: string;
  batchSize: number;
  timeoutMs: number;
  schedule: RetrySchedule;
}

/** config/webhooks.ts, validated at boot. */
const webhookConfig = (strapi: Core.Strapi) => strapi.config.get<WebhookConfig>('webhooks');

function settingsFor(strapi: Core.Strapi, overrides: Partial<WorkerSettings>): WorkerSettings {
  const config = webhookConfig(strapi);
  return {
    knex: strapi.db.connection,
    workerId: WORKER_ID,
    batchSize: config.batchSize,
    timeoutMs: config.timeoutMs,
    schedule: { ...DEFAULT_RETRY_SCHEDULE, baseMs: config.retryBaseMs },
    ...overrides,
  };
}


/** Takes a lease on up to `limit` due deliveries, oldest first, and returns them. */
export async function claimDeliveries(
  knex: Knex,
  workerId: string,
  options: { limit: number; leaseMs: number; now?: Date },
): Promise<DeliveryRow[]> {
  const now = options.now ?? new Date();
  const lockedUntil = new Date(now.getTime() + options.leaseMs);
  const skipLocked = isPostgres(knex) ? 'FOR UPDATE SKIP LOCKED' : '';
  const result = await knex.raw(
    `UPDATE ${DELIVERY_TABLE} SET locked_by = ?, locked_until = ?
     WHERE id IN (
       SELECT id FROM ${DELIVERY_TABLE}
       WHERE status = 'pending' AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?)
       ORDER BY id LIMIT ? ${skipLocked}
     )
     RETURNING *`,
    [workerId, lockedUntil, now, now, options.limit],
  );
  const rows: DeliveryRow[] = Array.isArray(result) ? result : result.rows;
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

export interface WorkerRun {
  claimed: number;
  delivered: number;
  failed: number;
}

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/** One poll: claim a batch, deliver it, record each outcome. Tests drive the worker with this. */
export async function runWebhookWorkerOnce(strapi: Core.Strapi, overrides: Partial<WorkerSettings> = {}): Promise<WorkerRun> {
  const settings = settingsFor(strapi, overrides);
  const { knex } = settings;
  const claimed = await claimDeliveries(knex, settings.workerId, {
    limit: settings.batchSize,
    leaseMs: settings.timeoutMs + 60_000,
  });
  if (claimed.length === 0) return { claimed: 0, delivered: 0, failed: 0 };

  const subscriptionIds = [...new Set(claimed.map((row) => Number(row.subscription_id)))];
  const subscriptions = new Map<number, Subscription>(
    (await knex(SUBSCRIPTION_TABLE).whereIn('id', subscriptionIds)).map((row) => {
      const subscription = toSubscription(row);
      return [subscription.id, subscription];
    }),
  );

  const outcomes = await Promise.all(
    claimed.map(async (delivery) => {
      const subscription = subscriptions.get(Number(delivery.subscription_id));
      const outcome: Outcome = subscription?.active
        ? await send(subscription, delivery, settings.timeoutMs)
        : { ok: false, status: null, error: 'subscription removed or inactive' };
      await record(strapi, settings, delivery, subscription ?? null, outcome);
      return outcome.ok;
    }),
  );
  const delivered = outcomes.filter(Boolean).length;
  return { claimed: claimed.length, delivered, failed: claimed.length - delivered };
}

async function send(subscription: Subscription, delivery: DeliveryRow, timeoutMs: number): Promise<Outcome> {
  try {
    // The agent's connector judges every connection (egress.ts); this says why in plainer words, earlier.
    const refused = refusedHost(subscription.url);
    if (refused) return { ok: false, status: null, error: `refused: the URL ${refused}` };
    const headers = signMessage(subscription.secrets, delivery.message_id, delivery.payload);
    const response = await fetch(subscription.url, {
      dispatcher: webhookAgent,
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'innovation-content-hub-webhooks/1' },
      body: delivery.payload,
      // A redirect is an answer we do not follow: the receiver must answer at its own URL.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Only the status matters; free the connection without reading the body.
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, status: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, status: null, error: describeError(error) };
  }
}

/** fetch's errors say little on their own ("fetch failed"); the cause has the code and reason. */
function describeError(error: unknown): string {
  // Duck-typed, not instanceof: fetch's errors may come from another realm (vm contexts).
  const { name, message, cause } = (error ?? {}) as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (!message) return String(error);
  const detail = cause ? ` (${[cause.code, cause.message].filter(Boolean).join(': ')})` : '';
  return `${name ?? 'Error'}: ${message}${detail}`;
}

async function record(
  strapi: Core.Strapi,
  settings: WorkerSettings,
  delivery: DeliveryRow,
  subscription: Subscription | null,
  outcome: Outcome,
): Promise<void> {
  const now = new Date();
  const attempts = delivery.attempts + (subscription?.active ? 1 : 0);
  const release = { locked_by: null, locked_until: null, attempts };
  // Only the lease holder writes the outcome: a worker whose lease ran out must not overwrite.
  const own = () => settings.knex(DELIVERY_TABLE).where({ id: delivery.id, locked_by: settings.workerId });

  if (outcome.ok) {
    await own().update({ ...release, status: 'delivered', delivered_at: now, last_status: outcome.status, last_error: null });
    return;
  }
  const next = subscription?.active
    ? nextAttemptAt({ createdAt: new Date(delivery.created_at), attempts }, now, settings.schedule)
    : null;
  await own().update({
    ...release,
    status: next ? 'pending' : 'dead',
    next_attempt_at: next ?? now,
    last_status: outcome.status,
    last_error: outcome.error.slice(0, 500),
  });
  // The origin only: a URL's path or query may carry the receiver's own secrets.
  const origin = subscription ? new URL(subscription.url).origin : 'unknown';
  strapi.log.warn(
    `[webhooks] delivery ${delivery.id} (${delivery.message_id}) to ${origin} failed on attempt ${attempts}: ${outcome.error}; ` +
      (next ? `next attempt at ${next.toISOString()}` : 'given up'),
  );
}

// --- The poller ---------------------------------------------------------------------------------

interface RunningWorker {
  stop(): Promise<void>;
}

// Kept on the strapi instance under a registry symbol, so any copy of this module finds it.
const WORKER_KEY = Symbol.for('innovation-hub.webhooks.worker');
type WithWorker = Core.Strapi & { [WORKER_KEY]?: RunningWorker };

/** Longest wait between polls while they keep failing (e.g. the database is down). */
export const MAX_POLL_BACKOFF_MS = 10_000;

/** The wait after `failures` polls failed in a row: the poll interval, doubled per failure, capped. */
export function pollDelay(pollMs: number, failures: number): number {
  if (failures <= 0) return pollMs;
  return Math.min(pollMs * 2 ** failures, Math.max(pollMs, MAX_POLL_BACKOFF_MS));
}

/**
 * Polls every WEBHOOK_POLL_MS (default 1000, config/webhooks.ts) until stopped; a full batch
 * polls again at once. A failed poll (the database unreachable, most likely) is logged and the
 * next one waits longer (pollDelay), so an outage costs a few log lines and no busy loop; the
 * first poll that works again goes back to the normal interval. WEBHOOKS_WORKER=off leaves
 * delivery to other instances (or to tests).
 */
export function startWebhookWorker(strapi: Core.Strapi): void {
  const config = webhookConfig(strapi);
  if (!config.worker || (strapi as WithWorker)[WORKER_KEY]) return;
  const { pollMs } = config;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let failures = 0;

  const tick = () => {
    running = runWebhookWorkerOnce(strapi)
      .then((run) => {
        if (failures > 0) strapi.log.info(`[webhooks] worker polls again after ${failures} failed poll(s)`);
        failures = 0;
        return run.claimed >= webhookConfig(strapi).batchSize ? 0 : pollMs;
      })
      .catch((error: Error) => {
        failures += 1;
        const delay = pollDelay(pollMs, failures);
        strapi.log.error(`[webhooks] worker poll failed (${failures} in a row): ${error.message}; next poll in ${delay} ms`);
        return delay;
      })
      .then((delay) => {
        if (!stopped) timer = setTimeout(tick, delay);
      });
  };
  timer = setTimeout(tick, pollMs);

  (strapi as WithWorker)[WORKER_KEY] = {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** Stops polling and waits for a poll in progress to finish (before the database closes). */
export async function stopWebhookWorker(strapi: Core.Strapi): Promise<void> {
  const worker = (strapi as WithWorker)[WORKER_KEY];
  delete (strapi as WithWorker)[WORKER_KEY];
  await worker?.stop();
}
