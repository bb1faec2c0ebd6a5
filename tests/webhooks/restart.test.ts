/**
 * The outbox is in the database, so a delivery that failed before a restart is sent by the
 * worker of the next app on the same database: once, and only once.
 */
import { createSubscription } from '../../src/lib/webhooks/subscriptions';
import { runWebhookWorkerOnce, stopWebhookWorker } from '../../src/lib/webhooks/worker';
import { startApp, type TestApp } from '../helpers/app';
import { deliveriesOf, publishTopic, startReceiver, verifies, waitFor, webhookTestEnvironment, type Receiver } from './shared';

let app: TestApp | undefined;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await app?.stop();
});

it('delivers a change made while the receiver was down after the app restarts, exactly once', async () => {
  webhookTestEnvironment();
  const first = await startApp();
  app = first;
  const { subscription, secret } = await createSubscription(first.strapi.db.connection, { kind: 'integration', key: 'restart' }, { url: receiver.url });
  receiver.secret = secret;
  receiver.mode = 'reset';
  const documentId = await publishTopic(first, 'Folkemødet 2023');
  expect(await runWebhookWorkerOnce(first.strapi)).toMatchObject({ claimed: 1, failed: 1 });
  expect((await deliveriesOf(first, subscription.id))[0]).toMatchObject({ status: 'pending', attempts: 1 });

  await first.stop({ keepDatabase: true });
  app = undefined;

  // The next app runs its own worker (started in bootstrap), as in production.
  webhookTestEnvironment({ WEBHOOKS_WORKER: 'on', WEBHOOK_POLL_MS: '50' });
  receiver.mode = 'up';
  const second = await startApp({ database: first.db });
  app = second;
  await waitFor('the delivery after the restart', async () => (await deliveriesOf(second, subscription.id))[0]!.status === 'delivered');

  const [delivery] = await deliveriesOf(second, subscription.id);
  expect(delivery).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204 });
  expect(delivery!.payload.data.documentId).toBe(documentId);
  expect(receiver.received.map((request) => request.status)).toEqual(['reset', 204]);
  const delivered = receiver.received[1]!;
  expect(delivered.headers['webhook-id']).toBe(delivery!.messageId);
  expect(verifies(secret, delivered.body, delivered.headers)).toBe(true);
  // Nothing is left to send: stop the app's poller, then poll once more by hand.
  await stopWebhookWorker(second.strapi);
  expect(await runWebhookWorkerOnce(second.strapi)).toEqual({ claimed: 0, delivered: 0, failed: 0 });
  expect(receiver.received).toHaveLength(2);
});
