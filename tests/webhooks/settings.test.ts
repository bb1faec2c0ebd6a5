/**
 * config/webhooks.ts: the worker's settings, their defaults, and a clear error naming the
 * variable for a value that would otherwise be silently replaced. No app needed.
 */
import webhooks from '../../config/webhooks';
import { loadConfig } from '../helpers/config';

const NAMES = ['WEBHOOKS_WORKER', 'WEBHOOK_POLL_MS', 'WEBHOOK_BATCH_SIZE', 'WEBHOOK_TIMEOUT_MS', 'WEBHOOK_RETRY_BASE_MS', 'WEBHOOK_ALLOW_PRIVATE_TARGETS'];
const unset = Object.fromEntries(NAMES.map((name) => [name, undefined]));
const load = (variables: Record<string, string>) => loadConfig(webhooks, { ...unset, ...variables });

it('has the documented defaults when nothing is set (or set empty)', () => {
  const defaults = { worker: true, pollMs: 1000, batchSize: 20, timeoutMs: 10_000, retryBaseMs: 30_000, allowPrivateTargets: false };
  expect(load({})).toEqual(defaults);
  expect(load(Object.fromEntries(NAMES.map((name) => [name, ''])))).toEqual(defaults);
});

it('reads each variable', () => {
  expect(
    load({ WEBHOOKS_WORKER: 'off', WEBHOOK_POLL_MS: '50', WEBHOOK_BATCH_SIZE: '5', WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }),
  ).toEqual({ worker: false, pollMs: 50, batchSize: 5, timeoutMs: 2000, retryBaseMs: 100, allowPrivateTargets: true });
});

it.each([
  ['WEBHOOKS_WORKER', 'sometimes'],
  ['WEBHOOK_POLL_MS', '0'],
  ['WEBHOOK_BATCH_SIZE', 'many'],
  ['WEBHOOK_TIMEOUT_MS', '1.5'],
  ['WEBHOOK_ALLOW_PRIVATE_TARGETS', 'yes'],
])('refuses %s=%s, naming the variable', (name, value) => {
  expect(() => load({ [name]: value })).toThrow(new RegExp(`^${name} must be`));
});
