/**
 * Partners choose webhook URLs, so deliveries must not reach our own network: private and
 * local addresses are refused when subscribing (literal hosts) and again when connecting
 * (a literal, whatever a name resolves to at that moment, and each redirect hop), in IPv4 and in
 * every IPv6 form that carries an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo).
 */
import fc from 'fast-check';
import http from 'http';
import { lookup } from 'dns/promises';
import type { AddressInfo } from 'net';
import { hostname } from 'os';
import { fetch } from 'undici';
import { isPrivateAddress, refusedHost, webhookAgent } from '../../src/lib/webhooks/egress';
import { createSubscription, SUBSCRIPTION_TABLE } from '../../src/lib/webhooks/subscriptions';
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
afterEach(() => {
  app.strapi.config.set('webhooks.allowPrivateTargets', false);
  receiver.received = [];
  receiver.connections = 0;
});

const subscriptionCount = async () => Number((await app.strapi.db.connection(SUBSCRIPTION_TABLE).count({ n: '*' }).first())?.n);
const subscribe = (url: string) => app.http().post('/api/partner/webhooks').set('Authorization', `Bearer ${token}`).send({ url });
const portOf = (url: string) => new URL(url).port;

/**
 * Sends this subscription's deliveries only: earlier tests' subscriptions are switched off (their
 * queued deliveries are dropped unsent), and one poll takes every due delivery.
 */
async function deliverOnly(subscriptionId: number) {
  await app.strapi.db.connection(SUBSCRIPTION_TABLE).whereNot({ id: subscriptionId }).update({ active: false });
  await runWebhookWorkerOnce(app.strapi, { batchSize: 1000 });
}

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
  // What a URL's host becomes after parsing: the WHATWG parser writes the IPv4 part in hex.
  ['::ffff:7f00:1', true],
  ['::ffff:0:a9fe:a9fe', true],
  ['::7f00:1', true],
  ['::10.0.0.1', true],
  ['2002:7f00:1::1', true],
  ['2002:a9fe:a9fe::', true],
  ['2002:a00:1:1::1', true],
  ['64:ff9b::7f00:1', true],
  ['64:ff9b::169.254.169.254', true],
  ['64:ff9b::a00:1', true],
  ['64:ff9b:1::7f00:1', true],
  // Teredo: public server 93.184.215.14, client 127.0.0.1 (stored inverted); then server 10.0.0.1.
  ['2001:0:5db8:d70e::80ff:fffe', true],
  ['2001:0:a00:1::a247:f1f1', true],
  ['fec0::1', true],
  ['100::1', true],
  ['2001:db8::1', true],
  ['93.184.215.14', false],
  ['2a00:1450:4001:80b::200e', false],
  // Public IPv4 inside the same forms stays public: a DNS64 resolver answers 64:ff9b::/96 for IPv4-only hosts.
  ['64:ff9b::5db8:d70e', false],
  ['::ffff:93.184.215.14', false],
  ['2002:5db8:d70e::1', false],
  ['2001:0:5db8:d70e::a247:f1f1', false],
])('judges %s private: %s', (address, expected) => {
  expect(isPrivateAddress(address)).toBe(expected);
});

it('judges literal hosts without DNS', () => {
  expect(refusedHost('http://localhost:8080/x')).toMatch(/localhost/);
  expect(refusedHost('http://[::1]/x')).toMatch(/public address/);
  expect(refusedHost('https://partner.example/hooks')).toBeNull();
});

// --- Generated IPv6 literals that embed a private IPv4 address ----------------------------------

/** Non-public IPv4 blocks (RFC 6890's special-purpose registry), written out here as the test's own spec. */
const NON_PUBLIC_IPV4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const toNumber = (dotted: string) => dotted.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

const privateIPv4 = fc
  .constantFrom(...NON_PUBLIC_IPV4)
  .chain(([network, prefix]) => fc.integer({ min: 0, max: 2 ** (32 - prefix) - 1 }).map((host) => toNumber(network) + host));
const publicTeredoServer = fc.constantFrom(toNumber('65.54.227.120'), toNumber('93.184.215.14'));
const group = fc.integer({ min: 0, max: 0xffff });
const high = (v4: number) => v4 >>> 16;
const low = (v4: number) => v4 & 0xffff;

interface Embedded {
  form: string;
  groups: readonly number[];
  /** Whether the last 32 bits are the IPv4 address as is (so it may be written dotted). */
  dottable: boolean;
}
const embedding: fc.Arbitrary<Embedded> = privateIPv4.chain((v4) =>
  fc.oneof(
    fc.constant({ form: 'IPv4-mapped', groups: [0, 0, 0, 0, 0, 0xffff, high(v4), low(v4)], dottable: true }),
    fc.constant({ form: 'IPv4-compatible', groups: [0, 0, 0, 0, 0, 0, high(v4), low(v4)], dottable: true }),
    fc.constant({ form: 'IPv4-translated', groups: [0, 0, 0, 0, 0xffff, 0, high(v4), low(v4)], dottable: true }),
    fc.constant({ form: 'NAT64', groups: [0x64, 0xff9b, 0, 0, 0, 0, high(v4), low(v4)], dottable: true }),
    fc.array(group, { minLength: 5, maxLength: 5 }).map((rest) => ({ form: '6to4', groups: [0x2002, high(v4), low(v4), ...rest], dottable: false })),
    fc
      .tuple(publicTeredoServer, group, group)
      .map(([server, flags, port]) => ({ form: 'Teredo client', groups: [0x2001, 0, high(server), low(server), flags, port, high(v4) ^ 0xffff, low(v4) ^ 0xffff], dottable: false })),
    fc.array(group, { minLength: 4, maxLength: 4 }).map((rest) => ({ form: 'Teredo server', groups: [0x2001, 0, high(v4), low(v4), ...rest], dottable: false })),
  ),
);

/** An embedded address written the ways it may reach us: full, as a URL writes it, dotted, upper case. */
const ipv6Literal = fc.tuple(embedding, fc.constantFrom('full', 'url', 'dotted', 'upper')).map(([{ form, groups, dottable }, style]) => {
  const full = groups.map((part) => part.toString(16).padStart(4, '0')).join(':');
  const url = new URL(`http://[${full}]/`).hostname.slice(1, -1);
  let literal = full;
  if (style === 'url') literal = url;
  if (style === 'upper') literal = url.toUpperCase();
  if (style === 'dotted' && dottable) literal = `${groups.slice(0, 6).map((part) => part.toString(16)).join(':')}:${dotted(groups[6]! * 0x10000 + groups[7]!)}`;
  return { form, literal };
});

it('judges every IPv6 literal that embeds a private IPv4 address private, and refuses it as a host (fast-check)', () => {
  fc.assert(
    fc.property(ipv6Literal, ({ form, literal }) => {
      expect([form, literal, isPrivateAddress(literal)]).toEqual([form, literal, true]);
      expect([form, literal, refusedHost(`http://[${literal}]:8080/hooks`)]).toEqual([form, literal, expect.stringMatching(/public address/)]);
    }),
    { numRuns: 3000 },
  );
});

it('answers every such subscription with a 400 naming url, and stores nothing (fast-check)', async () => {
  const before = await subscriptionCount();
  await fc.assert(
    fc.asyncProperty(ipv6Literal, async ({ form, literal }) => {
      const response = await subscribe(`http://[${literal}]/hooks`);
      expect([form, literal, response.status]).toEqual([form, literal, 400]);
      expect(response.body.error.details.errors).toEqual([expect.objectContaining({ path: ['url'], message: expect.stringMatching(/public address/) })]);
    }),
    { numRuns: 60 },
  );
  expect(await subscriptionCount()).toBe(before);
});

it.each([
  'http://127.0.0.1:9/hooks',
  'http://localhost/hooks',
  'http://169.254.169.254/latest/meta-data',
  'http://[fd00::1]/x',
  // security issue 29: each was accepted with a 201
  'http://[::7f00:1]/',
  'http://[::ffff:127.0.0.1]:9/hooks',
  'http://[2002:7f00:1::1]/',
  'http://[64:ff9b::127.0.0.1]/',
  'http://[64:ff9b::a9fe:a9fe]/latest/meta-data',
  'http://[64:ff9b::10.1.2.3]/',
  'http://[2002:a00:1::1]/',
  'http://[2001:0:5db8:d70e::80ff:fffe]/',
])('refuses to subscribe %s with a 400 JSON error naming the url, and stores nothing', async (url) => {
  const before = await subscriptionCount();
  const response = await subscribe(url);
  expect(response.status).toBe(400);
  expect(response.headers['content-type']).toMatch(/application\/json/);
  expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError', message: expect.stringContaining('url') });
  expect(response.body.error.details.errors.map((error: { path: string[] }) => error.path.join('.'))).toEqual(['url']);
  expect(await subscriptionCount()).toBe(before);
});

// --- Connect time -------------------------------------------------------------------------------

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
  await deliverOnly(subscription.id);
  const [delivery] = await deliveriesOf(app, subscription.id);
  expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
  expect(delivery!.lastError).toMatch(/resolves to a private address/);
  expect(receiver.received).toEqual([]);
});

it.each(['[::ffff:127.0.0.1]', '[::7f00:1]', '[64:ff9b::7f00:1]'])(
  'refuses to deliver to the loopback receiver at %s, stored before the check: the receiver hears nothing',
  async (host) => {
    // Stored as an older version accepted it (the API now refuses it).
    app.strapi.config.set('webhooks.allowPrivateTargets', true);
    const { subscription } = await createSubscription(app.strapi.db.connection, { kind: 'partner', key: 'folkemoedet' }, {
      url: receiver.url.replace('127.0.0.1', host),
    });
    app.strapi.config.set('webhooks.allowPrivateTargets', false);

    await publishTopic(app, `Ikke til ${host}`);
    await deliverOnly(subscription.id);
    const [delivery] = await deliveriesOf(app, subscription.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
    expect(delivery!.lastError).toMatch(/refused.*public address|private address/);
    expect(receiver.received).toEqual([]);
    expect(receiver.connections).toBe(0);
  },
);

it.each(['127.0.0.1', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]'])(
  'the agent itself refuses to connect to the literal %s: no connection is opened',
  async (host) => {
    const url = `http://${host}:${portOf(receiver.url)}/hooks/content`;
    const failure = await fetch(url, { dispatcher: webhookAgent, method: 'POST', body: '{}' }).then(
      () => null,
      (error: Error & { cause?: { code?: string } }) => error,
    );
    expect(failure?.cause?.code).toBe('EPRIVATETARGET');
    expect(receiver.received).toEqual([]);
    expect(receiver.connections).toBe(0);
  },
);

it('judges each redirect hop at connect time: a hop to a private literal gets no connection', async () => {
  // The first hop stands in for a public receiver (only private targets are reachable here):
  // private targets are allowed until it answers, then refused again, as in production.
  const redirector = http.createServer((request, response) => {
    request.resume();
    app.strapi.config.set('webhooks.allowPrivateTargets', false);
    response.writeHead(307, { location: `http://[::ffff:7f00:1]:${portOf(receiver.url)}/hooks/content` }).end();
  });
  await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
  const redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/hooks`;
  try {
    // Were redirects followed, the agent would still refuse the second hop.
    app.strapi.config.set('webhooks.allowPrivateTargets', true);
    const failure = await fetch(redirectorUrl, { dispatcher: webhookAgent, method: 'POST', body: '{}', redirect: 'follow' }).then(
      () => null,
      (error: Error & { cause?: { code?: string } }) => error,
    );
    expect(failure?.cause?.code).toBe('EPRIVATETARGET');
    expect(receiver.connections).toBe(0);

    // The worker follows none: a redirect is a failed attempt.
    app.strapi.config.set('webhooks.allowPrivateTargets', true);
    const { subscription } = await createSubscription(app.strapi.db.connection, { kind: 'partner', key: 'folkemoedet' }, { url: redirectorUrl });
    await publishTopic(app, 'Ingen omdirigeringer');
    await deliverOnly(subscription.id);
    const [delivery] = await deliveriesOf(app, subscription.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 307 });
    expect(receiver.received).toEqual([]);
    expect(receiver.connections).toBe(0);
  } finally {
    redirector.closeAllConnections();
    await new Promise<void>((resolve) => redirector.close(() => resolve()));
  }
});

it('still reaches private literals when WEBHOOK_ALLOW_PRIVATE_TARGETS is on (development and tests)', async () => {
  app.strapi.config.set('webhooks.allowPrivateTargets', true);
  const response = await fetch(receiver.url.replace('127.0.0.1', '[::ffff:127.0.0.1]'), { dispatcher: webhookAgent, method: 'POST', body: '{}' });
  await response.body?.cancel();
  expect(response.status).toBe(204);
  expect(receiver.received).toHaveLength(1);
});
