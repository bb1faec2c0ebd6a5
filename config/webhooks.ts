/**
 * Webhook delivery settings (src/lib/webhooks/), read once at boot so a bad value stops the app
 * with the variable's name instead of being ignored later in the worker.
 *
 * - WEBHOOKS_WORKER: `on` (default) or `off`; off leaves delivery to other instances (or tests).
 * - WEBHOOK_POLL_MS: wait between two polls of the outbox, milliseconds (default 1000).
 * - WEBHOOK_BATCH_SIZE: deliveries claimed per poll (default 20).
 * - WEBHOOK_TIMEOUT_MS: deadline of one delivery request, milliseconds (default 10000).
 * - WEBHOOK_RETRY_BASE_MS: wait after the first failure, before jitter (default 30000).
 * - WEBHOOK_ALLOW_PRIVATE_TARGETS: `true` lets deliveries reach local and private addresses
 *   (development and tests, whose receivers listen on 127.0.0.1); default `false`.
 */
import type { Core } from '@strapi/strapi';

export interface WebhookConfig {
  worker: boolean;
  pollMs: number;
  batchSize: number;
  timeoutMs: number;
  retryBaseMs: number;
  allowPrivateTargets: boolean;
}

const ON_OFF: Record<string, boolean> = { on: true, true: true, off: false, false: false };
const TRUE_FALSE: Record<string, boolean> = { true: true, false: false };

export default ({ env }: Core.Config.Shared.ConfigParams): WebhookConfig => {
  // Empty counts as unset: a copied .env.example may hold `NAME=` lines.
  const raw = (name: string) => env(name, '').trim().toLowerCase();

  const flag = (name: string, words: Record<string, boolean>, fallback: boolean) => {
    const value = raw(name);
    if (value === '') return fallback;
    const word = words[value];
    if (!(value in words) || word === undefined) throw new Error(`${name} must be ${Object.keys(words).map((word) => `"${word}"`).join(' or ')}; got "${value}"`);
    return word;
  };

  const positive = (name: string, fallback: number) => {
    const value = raw(name);
    if (value === '') return fallback;
    const number = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
      throw new Error(`${name} must be a whole number >= 1; got "${value}"`);
    }
    return number;
  };

  return {
    worker: flag('WEBHOOKS_WORKER', ON_OFF, true),
    pollMs: positive('WEBHOOK_POLL_MS', 1000),
    batchSize: positive('WEBHOOK_BATCH_SIZE', 20),
    timeoutMs: positive('WEBHOOK_TIMEOUT_MS', 10_000),
    retryBaseMs: positive('WEBHOOK_RETRY_BASE_MS', 30_000),
    allowPrivateTargets: flag('WEBHOOK_ALLOW_PRIVATE_TARGETS', TRUE_FALSE, false),
  };
};
