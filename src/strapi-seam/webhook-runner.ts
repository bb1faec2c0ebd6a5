/**
 * Patch "webhook-runner" (a read, nothing is replaced): src/lib/strapi-events/entry-events.ts
 * raises Strapi's `entry.*` events for writes that bypass the Document Service only when one of
 * Strapi's own webhooks (Settings → Webhooks) would receive them, so that a partner push costs
 * nothing more while none does. Which events have a webhook is known only to the webhook runner
 * (@strapi/core services/webhook-runner.js): its `webhooksMap`, a Map of event name to the
 * webhooks registered for it (`{ id, url, events, isEnabled }`), filled at boot from the
 * `strapi_webhooks` table and kept by the admin's webhook controller. Reading the table instead
 * would cost a query per write, and could name webhooks this instance's runner does not send.
 */
import type { Core } from '@strapi/strapi';
import { describeValue, expectShape, isMap, markInstalled } from './seam';

export const PATCH = 'webhook-runner';

interface RegisteredWebhook {
  isEnabled: unknown;
}

const isRegisteredWebhook = (value: unknown): value is RegisteredWebhook => !!value && typeof value === 'object' && 'isEnabled' in value;

/** The runner's map, checked; throws the patch's SeamError when its shape changed. */
function webhooksMapOf(strapi: Core.Strapi, runner: unknown): Map<string, RegisteredWebhook[]> {
  expectShape(strapi, PATCH, !!runner && typeof runner === 'object', "strapi.get('webhookRunner') to be an object", () => describeValue(runner));
  const map: unknown = (runner as { webhooksMap?: unknown }).webhooksMap;
  expectShape(strapi, PATCH, isMap(map), "strapi.get('webhookRunner').webhooksMap to be a Map of event to webhooks", () => `it is ${describeValue(map)}`);
  const odd = [...(map as Map<unknown, unknown>).entries()].find(
    ([event, webhooks]) => typeof event !== 'string' || !Array.isArray(webhooks) || !webhooks.every(isRegisteredWebhook),
  );
  expectShape(
    strapi,
    PATCH,
    !odd,
    'every entry of webhooksMap to be an event name and an array of webhooks with isEnabled',
    () => `${String(odd?.[0])} has ${describeValue(odd?.[1])}`,
  );
  return map as Map<string, RegisteredWebhook[]>;
}

/** Checks the runner (Strapi's unless given) at boot; throws a SeamError when it changed shape. */
export function checkWebhookRunner(strapi: Core.Strapi, runner: unknown = strapi.get('webhookRunner')): void {
  webhooksMapOf(strapi, runner);
  markInstalled(strapi, PATCH);
}

/** The events at least one enabled webhook of this instance's runner listens to. */
export function webhookEvents(strapi: Core.Strapi, runner: unknown = strapi.get('webhookRunner')): Set<string> {
  const events = new Set<string>();
  for (const [event, webhooks] of webhooksMapOf(strapi, runner)) if (webhooks.some((webhook) => webhook.isEnabled === true)) events.add(event);
  return events;
}
