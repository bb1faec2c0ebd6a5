/** The retry schedule: exponential with jitter, capped, and never giving up within 24 hours. */
import fc from 'fast-check';
import webhooks from '../../config/webhooks';
import { DEFAULT_RETRY_SCHEDULE, nextAttemptAt, retryDelayMs, type RetrySchedule } from '../../src/lib/webhooks/backoff';
import { loadConfig } from '../helpers/config';

const DAY = 24 * 60 * 60 * 1000;

/** Fails every attempt, each taking `attemptMs`, until the schedule gives up; returns the attempt times. */
function failForever(schedule: RetrySchedule, randoms: () => number, attemptMs: number) {
  const createdAt = new Date(0);
  const attempts: number[] = [];
  let at: Date | null = createdAt;
  while (at) {
    const failedAt = new Date(at.getTime() + attemptMs);
    attempts.push(at.getTime());
    at = nextAttemptAt({ createdAt, attempts: attempts.length }, failedAt, schedule, randoms);
    if (attempts.length > 10_000) throw new Error('never gave up');
  }
  return attempts;
}

it('keeps retrying for at least 24 hours, whatever the jitter and base, and then gives up', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 * 60_000 }),
      fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })),
      fc.integer({ min: 0, max: 30_000 }),
      (baseMs, stream, attemptMs) => {
        const iterator = stream[Symbol.iterator]();
        const schedule = { ...DEFAULT_RETRY_SCHEDULE, baseMs };
        const attempts = failForever(schedule, () => iterator.next().value, attemptMs);
        const last = attempts[attempts.length - 1]!;
        // The last attempt fails at or after the horizon: at least 24 h of trying.
        expect(last + attemptMs).toBeGreaterThanOrEqual(DAY);
        // ...and the one before it was still inside the horizon (it did not go on needlessly).
        expect(attempts[attempts.length - 2]! + attemptMs).toBeLessThan(DAY);
        // Waits never exceed the cap.
        for (let i = 1; i < attempts.length; i += 1) {
          expect(attempts[i]! - attempts[i - 1]! - attemptMs).toBeLessThanOrEqual(schedule.capMs);
        }
      },
    ),
    { numRuns: 200 },
  );
});

it('waits between half and all of base × 2^(n-1), capped', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, random) => {
      const full = Math.min(DEFAULT_RETRY_SCHEDULE.capMs, DEFAULT_RETRY_SCHEDULE.baseMs * 2 ** (attempt - 1));
      const delay = retryDelayMs(attempt, DEFAULT_RETRY_SCHEDULE, () => random);
      expect(delay).toBeGreaterThanOrEqual(Math.floor(full / 2));
      expect(delay).toBeLessThanOrEqual(full);
    }),
  );
});

it('with the default schedule tries about 15 times over the first day', () => {
  const counts = [0, 0.5, 0.999].map((random) => failForever(DEFAULT_RETRY_SCHEDULE, () => random, 0).length);
  // Shortest waits (random 0) make the most attempts, longest the fewest.
  expect(counts[0]).toBeGreaterThan(counts[2]!);
  for (const count of counts) {
    expect(count).toBeGreaterThanOrEqual(10);
    expect(count).toBeLessThanOrEqual(25);
  }
});

// Read in config/webhooks.ts since issue 11: nonsense now stops the boot, naming the variable.
it('reads the base wait from WEBHOOK_RETRY_BASE_MS and refuses nonsense', () => {
  const baseMs = (value: string | undefined) => loadConfig(webhooks, { WEBHOOK_RETRY_BASE_MS: value }).retryBaseMs;
  expect(baseMs('250')).toBe(250);
  expect(baseMs(undefined)).toBe(30_000);
  expect(() => baseMs('soon')).toThrow(/WEBHOOK_RETRY_BASE_MS/);
  expect(() => baseMs('-5')).toThrow(/WEBHOOK_RETRY_BASE_MS/);
});
