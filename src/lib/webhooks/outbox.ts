/**
 * Webhook outbox: turns logged changes into pending deliveries in the change's own transaction.
 * Placeholder until the webhook tables land (this session): no subscriptions exist yet.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { LoggedChange } from '../sync/change-log';

export async function enqueueWebhookDeliveries(_strapi: Core.Strapi, _trx: Knex.Transaction, _changes: LoggedChange[]): Promise<void> {}
