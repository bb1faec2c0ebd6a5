/**
 * Shared by the webhook tests: a real local HTTP receiver (the third-party server, the only
 * thing we stand in for), partners with tokens, and short ways to make a public change and read
 * the outbox.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import { Webhook } from 'standardwebhooks';
import type { TestApp } from '../helpers/app';
import { someFields } from '../helpers/documents';
import type { PartnerTokenService } from '../../src/api/partner/services/partner-token';
import type { WebhookPayload } from '../../src/lib/webhooks/outbox';

export const TOPIC = 'api::topic.topic';
export const VENUE = 'api::venue.venue';
export const DELIVERIES = 'webhook_deliveries';

/**
 * Before startApp: the tests drive the worker themselves, with a short retry schedule, and their
 * receivers listen on 127.0.0.1, which only WEBHOOK_ALLOW_PRIVATE_TARGETS lets deliveries reach.
 */
export function webhookTestEnvironment(env: Record<string, string> = {}) {
  Object.assign(process.env, {
    WEBHOOKS_WORKER: 'off',
    WEBHOOK_RETRY_BASE_MS: '50',
    WEBHOOK_TIMEOUT_MS: '5000',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    ...env,
  });
}

export interface ReceivedRequest {
  headers: Record<string, string>;
  body: string;
  /** What the receiver answered. */
  status: number | 'reset';
}

/**
 * A webhook receiver on 127.0.0.1. `mode`: 'up' answers 204 (or 401 when `secret` is set and the
 * signature does not verify with it), 'down' answers 503, 'reset' drops the connection.
 */
export interface Receiver {
  url: string;
  mode: 'up' | 'down' | 'reset';
  secret?: string;
  received: ReceivedRequest[];
  /** TCP connections accepted, requests or not: a refused delivery must not even connect. */
  connections: number;
  close(): Promise<void>;
}

export async function startReceiver(path = '/hooks/content'): Promise<Receiver> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      const body = Buffer.concat(chunks).toString('utf8');
      let status: number | 'reset';
      if (receiver.mode === 'reset') status = 'reset';
      else if (receiver.mode === 'down') status = 503;
      else status = !receiver.secret || verifies(receiver.secret, body, headers) ? 204 : 401;
      receiver.received.push({ headers, body, status });
      if (status === 'reset') request.socket.destroy();
      else response.writeHead(status).end();
    });
  });
  server.on('connection', () => {
    receiver.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}${path}`,
    mode: 'up',
    received: [],
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}

export function verifies(secret: string, body: string, headers: Record<string, string>): boolean {
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}

/** Creates a partner and its first token. */
export async function partnerWithToken(app: TestApp, name: string, key: string): Promise<string> {
  const partner = await app.strapi.db.query('api::partner.partner').create({ data: { name, key, publishMode: 'draft' } });
  const tokens = app.strapi.service('api::partner.partner-token') as PartnerTokenService;
  return (await tokens.issue(partner.id, 'webhook tests')).token;
}

/** A public change: a topic published in Danish. */
export async function publishTopic(app: TestApp, name: string): Promise<string> {
  const topic = await app.strapi.documents(TOPIC).create({ locale: 'da', data: someFields('api::topic.topic', { name }), status: 'published' });
  return topic.documentId;
}

export interface DeliveryRecord {
  id: number;
  subscriptionId: number;
  messageId: string;
  payload: WebhookPayload;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** A webhook_deliveries row as the driver returns it (SQLite: numbers; Postgres: bigints as strings, timestamps as Dates). */
interface DeliveryRow {
  id: number | string;
  subscription_id: number | string;
  message_id: string;
  payload: string;
  status: string;
  attempts: number | string;
  next_attempt_at: string | number | Date;
  last_status: number | string | null;
  last_error: string | null;
  created_at: string | number | Date;
  delivered_at: string | number | Date | null;
}

export async function deliveriesOf(app: TestApp, subscriptionId: number): Promise<DeliveryRecord[]> {
  const rows = await app.strapi.db.connection(DELIVERIES).where({ subscription_id: subscriptionId }).orderBy('id');
  return rows.map((row: DeliveryRow) => ({
    id: Number(row.id),
    subscriptionId: Number(row.subscription_id),
    messageId: row.message_id,
    payload: JSON.parse(row.payload),
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: new Date(row.next_attempt_at),
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    lastError: row.last_error,
    createdAt: new Date(row.created_at),
    deliveredAt: row.delivered_at === null ? null : new Date(row.delivered_at),
  }));
}

/** Polls until `check` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
