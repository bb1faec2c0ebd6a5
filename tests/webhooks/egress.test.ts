/**
 * Partners choose webhook URLs, so deliveries must not reach our own network: private and
 * local addresses are refused when subscribing (literal hosts) and again when connecting
 * (whatever a name resolves to at that moment).
 */
import { lookup } from 'dns/promises';
import { hostname } from 'os';
import { isPrivateAddress, refusedHost } from '../../src/lib/webhooks/egress';
import { createSubscription } from '../../src/lib/webhooks/subscriptions';
import { runWebhookWorkerOnce } from '../../src/lib/webhooks/worker';
import { startApp, type TestApp } from '../helpers/app';
import { deliveriesOf, partnerWithToken, publishTopic, startReceiver, webhookTestEnvironment, type Receiver } from './shared';

let app: TestApp;
let receiver: Receiver;
let token: string;
beforeAll(async () => {
  webhookTestEnvironment({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
  app = await startApp();
  receiver = await startReceiver();
  token = await partnerWithToken(app, 'Folkemødet', 'folkemoedet');
});
afterAll(async () => {
  await receiver?.close();
  await app?.stop();
  process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = 'true';
});

it.each([
  ['127.0.0.1', true],
  ['10.1.2.3', true],
  ['172.20.0.1', true],
  ['192.168.1.10', true],
  ['169.254.169.254', true],
  ['100.64.0.1', true],
  ['::1', true],
  ['fd00::1', true],
  ['fe80::1', true],
  ['::ffff:127.0.0.1', true],
  ['93.184.215.14', false],
  ['2a00:1450:4001:80b::200e', false],
])('judges %s private: %s', (address, expected) => {
  expect(isPrivateAddress(address)).toBe(expected);
});

it('judges literal hosts without DNS', () => {
  expect(refusedHost('http://localhost:8080/x')).toMatch(/localhost/);
  expect(refusedHost('http://[::1]/x')).toMatch(/public address/);
  expect(refusedHost('https://partner.example/hooks')).toBeNull();
});

it.each(['http://127.0.0.1:9/hooks', 'http://localhost/hooks', 'http://169.254.169.254/latest/meta-data', 'http://[fd00::1]/x'])(
  'refuses to subscribe %s with a 400 naming the url',
  async (url) => {
    const response = await app.http().post('/api/partner/webhooks').set('Authorization', `Bearer ${token}`).send({ url });
    expect(response.status).toBe(400);
    expect(response.body.error.details.errors.map((error: { path: string[] }) => error.path.join('.'))).toEqual(['url']);
  },
);

it('refuses to connect to a name that resolves to a private address, and the receiver hears nothing', async () => {
  const name = hostname();
  const { address } = await lookup(name);
  expect(isPrivateAddress(address)).toBe(true);

  // As if the name had pointed elsewhere when the partner subscribed: stored without the API.
  app.strapi.config.set('webhooks.allowPrivateTargets', true);
  const { subscription } = await createSubscription(app.strapi.db.connection, { kind: 'partner', key: 'folkemoedet' }, {
    url: receiver.url.replace('127.0.0.1', name),
  });
  app.strapi.config.set('webhooks.allowPrivateTargets', false);

  await publishTopic(app, 'Kun til offentlige adresser');
  await runWebhookWorkerOnce(app.strapi);
  const [delivery] = await deliveriesOf(app, subscription.id);
  expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
  expect(delivery!.lastError).toMatch(/resolves to a private address/);
  expect(receiver.received).toEqual([]);
});
