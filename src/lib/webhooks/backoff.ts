/**
 * When to try a failed webhook delivery again: exponential backoff with jitter, capped, for at
 * least 24 hours after the delivery was queued. The rule that gives the guarantee: a delivery is
 * given up (`dead`) only when an attempt fails at or after the horizon; any earlier failure gets
 * another attempt, however long the wait.
 */
export interface RetrySchedule {
  /** Wait after the first failure, before jitter. WEBHOOK_RETRY_BASE_MS (config/webhooks.ts), default 30 s. */
  baseMs: number;
  factor: number;
  /** Longest wait between two attempts. */
  capMs: number;
  /** How long after queueing attempts go on. */
  horizonMs: number;
}

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  baseMs: 30_000,
  factor: 2,
  capMs: 4 * 60 * 60 * 1000,
  horizonMs: 24 * 60 * 60 * 1000,
};

/** The wait after the `attempts`-th failure (1 = the first): half fixed, half random ("equal jitter"). */
export function retryDelayMs(attempts: number, schedule: RetrySchedule, random: () => number = Math.random): number {
  const exponential = Math.min(schedule.capMs, schedule.baseMs * schedule.factor ** Math.max(0, attempts - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}

/** After a failed attempt: when to try next, or null to give up. */
export function nextAttemptAt(
  delivery: { createdAt: Date; attempts: number },
  failedAt: Date,
  schedule: RetrySchedule,
  random: () => number = Math.random,
): Date | null {
  if (failedAt.getTime() - delivery.createdAt.getTime() >= schedule.horizonMs) return null;
  return new Date(failedAt.getTime() + retryDelayMs(delivery.attempts, schedule, random));
}
