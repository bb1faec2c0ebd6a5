/**
 * Several app instances poll one database; each delivery is claimed and sent by exactly one of
 * them. A second knex connection pool stands in for a second instance.
 */
import knex, { type Knex } from 'knex';
import { createSubscription } from '../../src/lib/webhooks/subscriptions';
import { claimDeliveries, runWebhookWorkerOnce } from '../../src/lib/webhooks/worker';
import { TEST_DB_KIND } from '../helpers/database';
import { startApp, type TestApp } from '../helpers/app';
import { DELIVERIES, publishTopic, startReceiver, webhookTestEnvironment, type Receiver } from './shared';

let app: TestApp;
let receiver: Receiver;
let otherInstance: Knex;

beforeAll(async () => {
  webhookTestEnvironment();
  app = await startApp();
  receiver = await startReceiver();
  otherInstance = knex({ ...app.strapi.db.connection.client.config });
});
afterAll(async () => {
  await otherInstance?.destroy();
  await receiver?.close();
  await app?.stop();
});
afterEach(async () => {
  await app.strapi.db.connection(DELIVERIES).delete();
  await app.strapi.db.connection('webhook_subscriptions').delete();
});

/** `count` topics published in Danish, each a delivery for every subscription. */
async function publishTopics(count: number, prefix: string) {
  for (let i = 0; i < count; i += 1) await publishTopic(app, `${prefix} ${i}`);
}

it('sends every delivery exactly once when three workers on two connections poll at the same time', async () => {
  for (const key of ['a', 'b']) {
    await createSubscription(app.strapi.db.connection, { kind: 'integration', key }, { url: receiver.url });
  }
  await publishTopics(15, 'Samtidig');
  const queued = await app.strapi.db.connection(DELIVERIES).pluck('message_id');
  expect(queued).toHaveLength(30);

  const worker = async (settings: Parameters<typeof runWebhookWorkerOnce>[1]) => {
    while ((await runWebhookWorkerOnce(app.strapi, { batchSize: 4, ...settings })).claimed > 0);
  };
  await Promise.all([
    worker({ workerId: 'instance-1a' }),
    worker({ workerId: 'instance-1b' }),
    worker({ workerId: 'instance-2', knex: otherInstance }),
  ]);

  const sent = receiver.received.map((request) => request.headers['webhook-id']);
  expect([...sent].sort()).toEqual([...queued].sort());
  expect(new Set(sent).size).toBe(sent.length);
  const statuses = await app.strapi.db.connection(DELIVERIES).select('status').count({ n: '*' }).groupBy('status');
  expect((statuses as Array<{ status: string; n: number | string }>).map((row) => [row.status, Number(row.n)])).toEqual([['delivered', 30]]);
});

(TEST_DB_KIND === 'postgres' ? it : it.skip)(
  'PostgreSQL: a claimer skips rows another claimer holds in an open transaction instead of waiting or taking them',
  async () => {
    await createSubscription(app.strapi.db.connection, { kind: 'integration', key: 'locks' }, { url: receiver.url });
    await publishTopics(10, 'Låst');
    const claimOptions = { leaseMs: 60_000 };

    const trx = await app.strapi.db.connection.transaction();
    try {
      const held = await claimDeliveries(trx, 'instance-1', { ...claimOptions, limit: 4 });
      expect(held).toHaveLength(4);
      // Not committed yet: the rows are locked, and their lease is not visible to others.
      // A claim that waited for those locks would fail here fast instead of hanging the test.
      const taken = await otherInstance.transaction(async (other) => {
        await other.raw("SET LOCAL lock_timeout = '3s'");
        return claimDeliveries(other, 'instance-2', { ...claimOptions, limit: 100 });
      });
      expect(taken).toHaveLength(6);
      const heldIds = new Set(held.map((row) => Number(row.id)));
      expect(taken.filter((row) => heldIds.has(Number(row.id)))).toEqual([]);
    } finally {
      await trx.commit();
    }
    const leases = await app.strapi.db.connection(DELIVERIES).select('locked_by').count({ n: '*' }).groupBy('locked_by').orderBy('locked_by');
    expect((leases as Array<{ locked_by: string; n: number | string }>).map((row) => [row.locked_by, Number(row.n)])).toEqual([
      ['instance-1', 4],
      ['instance-2', 6],
    ]);
  },
);

it('does not hand out a delivery whose lease is still running, and does once it has run out', async () => {
  await createSubscription(app.strapi.db.connection, { kind: 'integration', key: 'lease' }, { url: receiver.url });
  await publishTopics(1, 'Lejet');
  const now = new Date();
  const [first] = await claimDeliveries(app.strapi.db.connection, 'instance-1', { limit: 10, leaseMs: 60_000, now });
  expect(first).toBeDefined();
  expect(await claimDeliveries(otherInstance, 'instance-2', { limit: 10, leaseMs: 60_000, now })).toEqual([]);
  // Instance 1 died; a minute later its lease has run out and instance 2 takes the delivery over.
  const later = new Date(now.getTime() + 61_000);
  const [takenOver] = await claimDeliveries(otherInstance, 'instance-2', { limit: 10, leaseMs: 60_000, now: later });
  expect(Number(takenOver!.id)).toBe(Number(first!.id));
  expect(takenOver!.locked_by).toBe('instance-2');
});
