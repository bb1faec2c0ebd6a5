/**
 * Every public change goes out to each matching subscription, signed per Standard Webhooks and
 * verified by a real HTTP receiver; a failed delivery is retried later under the same
 * webhook-id; rotated secrets sign side by side until the old one's grace ends.
 */
import { runWebhookWorkerOnce } from '../../src/lib/webhooks/worker';
import { createSubscription } from '../../src/lib/webhooks/subscriptions';
import { startApp, type TestApp } from '../helpers/app';
import {
  deliveriesOf,
  partnerWithToken,
  publishTopic,
  startReceiver,
  verifies,
  waitFor,
  webhookTestEnvironment,
  DELIVERIES,
  TOPIC,
  VENUE,
  type Receiver,
} from './shared';
import { someFields } from '../helpers/documents';

let app: TestApp;
let receiver: Receiver;
let token: string;

beforeAll(async () => {
  webhookTestEnvironment();
  app = await startApp();
  receiver = await startReceiver();
  token = await partnerWithToken(app, 'Folkemødet', 'folkemoedet');
});
afterAll(async () => {
  await receiver?.close();
  await app?.stop();
});
// Each test starts with no subscriptions, so earlier ones do not add deliveries to its counts.
afterEach(async () => {
  await app.strapi.db.connection(DELIVERIES).delete();
  await app.strapi.db.connection('webhook_subscriptions').delete();
});
beforeEach(() => {
  receiver.mode = 'up';
  receiver.secret = undefined;
  receiver.received = [];
});

const subscribe = async (body: Record<string, unknown>) => {
  const response = await app.http().post('/api/partner/webhooks').set('Authorization', `Bearer ${token}`).send(body);
  expect(response.status).toBe(201);
  return response.body.data as { id: number; secret: string };
};

const integration = (key: string) => ({ kind: 'integration' as const, key });

it('sends a published topic to a partner subscription, signed so the receiver verifies it', async () => {
  const subscription = await subscribe({ url: receiver.url });
  receiver.secret = subscription.secret;
  const documentId = await publishTopic(app, 'Innovative offentlige indkøb');

  const run = await runWebhookWorkerOnce(app.strapi);
  expect(run).toEqual({ claimed: 1, delivered: 1, failed: 0 });

  expect(receiver.received).toHaveLength(1);
  const [request] = receiver.received;
  expect(request!.status).toBe(204);
  expect(verifies(subscription.secret, request!.body, request!.headers)).toBe(true);
  expect(request!.headers['content-type']).toBe('application/json');
  expect(request!.headers['webhook-id']).toMatch(new RegExp(`^msg_\\d+_${subscription.id}$`));
  expect(request!.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
  expect(request!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);

  const payload = JSON.parse(request!.body);
  expect(payload).toEqual({
    type: 'entry.published',
    timestamp: expect.any(String),
    data: {
      position: expect.any(Number),
      contentType: TOPIC,
      documentId,
      locale: 'da',
      action: 'published',
      occurredAt: payload.timestamp,
    },
  });
  expect(request!.headers['webhook-id']).toBe(`msg_${payload.data.position}_${subscription.id}`);

  // The position is the change log's: the feed and the webhook name the same change.
  const change = await app.strapi.db.connection('sync_changes').where({ id: payload.data.position }).first();
  expect(change).toMatchObject({ document_id: documentId, locale: 'da', action: 'published' });

  const [delivery] = await deliveriesOf(app, subscription.id);
  expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 204, lastError: null });
  // Nothing is left to send.
  expect(await runWebhookWorkerOnce(app.strapi)).toEqual({ claimed: 0, delivered: 0, failed: 0 });
});

it('a tampered body or a wrong secret does not verify (the check above can fail)', async () => {
  const subscription = await subscribe({ url: receiver.url, locales: ['da'] });
  await publishTopic(app, 'Grøn omstilling');
  await runWebhookWorkerOnce(app.strapi);
  const request = receiver.received.find((r) => r.headers['webhook-id']!.endsWith(`_${subscription.id}`))!;
  expect(verifies(subscription.secret, request.body, request.headers)).toBe(true);
  expect(verifies(subscription.secret, request.body.replace('"da"', '"en"'), request.headers)).toBe(false);
  const other = await subscribe({ url: receiver.url });
  expect(verifies(other.secret, request.body, request.headers)).toBe(false);
});

it('retries a delivery the receiver refused, later, under the same webhook-id, until it is delivered', async () => {
  const subscription = await createSubscription(app.strapi.db.connection, integration('retry'), { url: receiver.url, locales: ['en'] });
  receiver.secret = subscription.secret;
  receiver.mode = 'down';
  const topic = await app.strapi.documents(TOPIC).create({ locale: 'en', data: someFields('api::topic.topic', { name: 'Sustainable construction' }), status: 'published' });

  expect(await runWebhookWorkerOnce(app.strapi)).toMatchObject({ claimed: 1, delivered: 0, failed: 1 });
  const [failed] = await deliveriesOf(app, subscription.subscription.id);
  expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 503, lastError: 'HTTP 503', deliveredAt: null });
  expect(failed!.nextAttemptAt.getTime()).toBeGreaterThan(failed!.createdAt.getTime());
  expect(failed!.payload.data.documentId).toBe(topic.documentId);

  receiver.mode = 'up';
  await waitFor('the retry to fall due', () => Date.now() > failed!.nextAttemptAt.getTime());
  expect(await runWebhookWorkerOnce(app.strapi)).toMatchObject({ claimed: 1, delivered: 1 });

  expect(receiver.received.map((r) => r.status)).toEqual([503, 204]);
  const [first, second] = receiver.received;
  expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
  expect(second!.body).toBe(first!.body);
  const [delivered] = await deliveriesOf(app, subscription.subscription.id);
  expect(delivered).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204, lastError: null });
});

it('records a dropped connection as a failed attempt, and gives up only after the retry horizon', async () => {
  const { subscription } = await createSubscription(app.strapi.db.connection, integration('horizon'), { url: receiver.url, contentTypes: ['venues'] });
  receiver.mode = 'reset';
  await app.strapi.documents(VENUE).create({ locale: 'da', data: { name: 'Kæmpestrandens debattelt' } });

  await runWebhookWorkerOnce(app.strapi);
  const [failed] = await deliveriesOf(app, subscription.id);
  expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
  expect(failed!.lastError).toMatch(/^TypeError: fetch failed \(UND_ERR_SOCKET: other side closed\)$/);

  // A worker whose horizon is already behind the delivery gives it up on the next failure.
  await waitFor('the retry to fall due', () => Date.now() > failed!.nextAttemptAt.getTime());
  const schedule = { baseMs: 50, factor: 2, capMs: 1000, horizonMs: 0 };
  await runWebhookWorkerOnce(app.strapi, { schedule });
  const [dead] = await deliveriesOf(app, subscription.id);
  expect(dead).toMatchObject({ status: 'dead', attempts: 2 });
  expect(await runWebhookWorkerOnce(app.strapi)).toMatchObject({ claimed: 0 });
});

it('sends only what a subscription asked for: content types, event types and locales', async () => {
  const connection = app.strapi.db.connection;
  const eventsOnly = (await createSubscription(connection, integration('events'), { url: receiver.url, contentTypes: ['events'] })).subscription;
  const venuesByUid = (await createSubscription(connection, integration('venues'), { url: receiver.url, contentTypes: [VENUE] })).subscription;
  const deletionsOnly = (await createSubscription(connection, integration('deletions'), { url: receiver.url, eventTypes: ['entry.deleted'] })).subscription;
  const englishOnly = (await createSubscription(connection, integration('english'), { url: receiver.url, locales: ['en'] })).subscription;

  const topics = app.strapi.documents(TOPIC);
  const topic = await topics.create({ locale: 'da', data: someFields('api::topic.topic', { name: 'Klima' }), status: 'published' });
  await topics.update({ documentId: topic.documentId, locale: 'en', data: { name: 'Climate' }, status: 'published' });
  await topics.delete({ documentId: topic.documentId, locale: '*' });
  await app.strapi.documents(VENUE).create({ locale: 'da', data: { name: 'Allinge havn' } });

  const actions = async (id: number) =>
    (await deliveriesOf(app, id)).map((d) => `${d.payload.data.contentType.split('.')[1]}:${d.payload.data.locale}:${d.payload.data.action}`);
  expect(await actions(eventsOnly.id)).toEqual([]);
  expect(await actions(venuesByUid.id)).toEqual(['venue:da:created']);
  expect(await actions(deletionsOnly.id)).toEqual(['topic:da:deleted', 'topic:en:deleted']);
  expect(await actions(englishOnly.id)).toEqual(['topic:en:published', 'topic:en:deleted']);
});

it('queues no delivery for a change whose transaction rolls back', async () => {
  const { subscription } = await createSubscription(app.strapi.db.connection, integration('rollback'), { url: receiver.url });
  let insideTransaction = -1;
  await expect(
    app.strapi.db.transaction(async ({ trx }) => {
      await publishTopic(app, 'Rullet tilbage');
      insideTransaction = (await trx(DELIVERIES).where({ subscription_id: subscription.id })).length;
      throw new Error('abort');
    }),
  ).rejects.toThrow('abort');
  // The delivery existed inside the transaction, and went with it.
  expect(insideTransaction).toBe(1);
  expect(await deliveriesOf(app, subscription.id)).toEqual([]);
});

it('after a rotation both secrets verify; after the grace period only the new one', async () => {
  const created = await subscribe({ url: receiver.url, locales: ['da'], contentTypes: ['topics'] });
  const rotate = (graceSeconds: number) =>
    app.http().post(`/api/partner/webhooks/${created.id}/rotate-secret`).set('Authorization', `Bearer ${token}`).send({ graceSeconds });

  const second = await rotate(3600);
  expect(second.status).toBe(200);
  expect(second.body.data.secret).toMatch(/^whsec_/);
  expect(second.body.data.secret).not.toBe(created.secret);
  await publishTopic(app, 'Velfærdsteknologi');
  await runWebhookWorkerOnce(app.strapi);
  const during = receiver.received.find((r) => r.headers['webhook-id']!.endsWith(`_${created.id}`))!;
  expect(during.headers['webhook-signature']!.split(' ')).toHaveLength(2);
  expect(verifies(created.secret, during.body, during.headers)).toBe(true);
  expect(verifies(second.body.data.secret, during.body, during.headers)).toBe(true);

  // A second rotation with a one-second grace; once it has passed only the newest secret signs.
  const third = await rotate(1);
  const graceEnds = Math.max(...third.body.data.secrets.map((s: { expiresAt: string | null }) => (s.expiresAt ? Date.parse(s.expiresAt) : 0)));
  await waitFor('the grace period to end', () => Date.now() > graceEnds);
  receiver.received = [];
  await publishTopic(app, 'Bæredygtigt byggeri');
  await runWebhookWorkerOnce(app.strapi);
  const after = receiver.received.find((r) => r.headers['webhook-id']!.endsWith(`_${created.id}`))!;
  expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
  expect(verifies(third.body.data.secret, after.body, after.headers)).toBe(true);
  expect(verifies(second.body.data.secret, after.body, after.headers)).toBe(false);
  expect(verifies(created.secret, after.body, after.headers)).toBe(false);
});
