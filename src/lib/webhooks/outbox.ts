/**
 * Webhook outbox: turns logged changes into pending deliveries in the change's own transaction
 * (a change-log listener, subscribed in src/index.ts), so a delivery exists if and only if
 * its change committed. The worker (worker.ts) sends them later, signed at send time.
 */
import type { Knex } from 'knex';
import type { LoggedChange } from '../sync/change-store';
import { SUBSCRIPTION_TABLE, toSubscription, type Subscription } from './subscriptions';

export const DELIVERY_TABLE = 'webhook_deliveries';
export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/** The body receivers get (Standard Webhooks shape: type, timestamp, data). Thin: ids, not content. */
export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: {
    position: number;
    contentType: string;
    documentId: string;
    locale: string;
    action: LoggedChange['action'];
    occurredAt: string;
    /** Only when a merged document was deleted: the documentId it was merged into. */
    mergedInto?: string;
  };
}

export function webhookPayload(change: LoggedChange): WebhookPayload {
  const occurredAt = change.occurredAt.toISOString();
  return {
    type: `entry.${change.action}`,
    timestamp: occurredAt,
    data: {
      position: change.position,
      contentType: change.contentType,
      documentId: change.documentId,
      locale: change.locale,
      action: change.action,
      occurredAt,
      ...(change.mergedInto ? { mergedInto: change.mergedInto } : {}),
    },
  };
}

/** Stable across retries, so receivers can drop duplicates by `webhook-id`. */
export const messageId = (position: number, subscriptionId: number) => `msg_${position}_${subscriptionId}`;

export function subscriptionWants(subscription: Subscription, change: LoggedChange): boolean {
  return (
    (!subscription.eventTypes || subscription.eventTypes.includes(`entry.${change.action}` as never)) &&
    (!subscription.contentTypes || subscription.contentTypes.includes(change.contentType)) &&
    (!subscription.locales || subscription.locales.includes(change.locale))
  );
}

export async function enqueueWebhookDeliveries(trx: Knex.Transaction, changes: LoggedChange[]): Promise<void> {
  if (changes.length === 0) return;
  const subscriptions = (await trx(SUBSCRIPTION_TABLE).where({ active: true })).map(toSubscription);
  if (subscriptions.length === 0) return;
  const now = new Date();
  const rows = changes.flatMap((change) => {
    const payload = JSON.stringify(webhookPayload(change));
    return subscriptions
      .filter((subscription) => subscriptionWants(subscription, change))
      .map((subscription) => ({
        subscription_id: subscription.id,
        change_position: change.position,
        message_id: messageId(change.position, subscription.id),
        payload,
        status: 'pending' satisfies DeliveryStatus,
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
      }));
  });
  // Chunked: SQLite caps the number of bound parameters per statement.
  for (let start = 0; start < rows.length; start += 50) {
    await trx(DELIVERY_TABLE).insert(rows.slice(start, start + 50));
  }
}
