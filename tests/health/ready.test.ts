/**
 * `GET /_ready` on a real app: ready when its database (and Redis, when REDIS_URL is set) answer;
 * a 503 naming the check otherwise, within the check's deadline; a malformed REDIS_URL stops
 * the boot. `/_health` stays liveness: 204 whatever Redis does.
 */
import net from 'net';
import { startApp, type TestApp } from '../helpers/app';
import { freePort } from '../helpers/server-process';

const REAL_REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('a malformed REDIS_URL', () => {
  afterEach(() => {
    delete process.env.REDIS_URL;
  });

  it.each([['not a url at all'], ['http://127.0.0.1:6379'], ['redis://:secret-password@/0'], ['redis://127.0.0.1:6379/cache']])(
    'stops the boot with a message naming REDIS_URL, not its value: %p',
    async (value) => {
      process.env.REDIS_URL = value;
      const boot = startApp();
      await expect(boot).rejects.toThrow(/REDIS_URL is not usable/);
      await boot.catch((error: Error) => expect(error.message).not.toContain(value));
    }
  );
});

describe('GET /_ready', () => {
  let app: TestApp;
  let closedPort: number;
  // Accepts connections and never answers: a Redis that hangs.
  const silent = net.createServer(() => undefined);
  let silentPort: number;

  beforeAll(async () => {
    closedPort = await freePort();
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as net.AddressInfo).port;
    // Booted through the environment, as in production: REDIS_URL at a port nobody listens on.
    process.env.REDIS_URL = `redis://127.0.0.1:${closedPort}`;
    process.env.READY_CHECK_TIMEOUT_MS = '500';
    app = await startApp();
  });

  afterAll(async () => {
    delete process.env.REDIS_URL;
    delete process.env.READY_CHECK_TIMEOUT_MS;
    await app?.stop();
    silent.close();
  });

  const useRedis = (url: string | null) => app.strapi.config.set('health.redisUrl', url);

  it('is a 503 naming redis, with Retry-After, when Redis refuses connections', async () => {
    const response = await app.http().get('/_ready');
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({
      status: 'unavailable',
      failed: ['redis'],
      checks: { boot: { status: 'ok' }, database: { status: 'ok' }, redis: { status: 'failed', error: 'ECONNREFUSED' } },
    });
    // Liveness does not depend on Redis.
    expect((await app.http().get('/_health')).status).toBe(204);
  });

  it('answers within the deadline when Redis accepts but never replies', async () => {
    useRedis(`redis://127.0.0.1:${silentPort}`);
    const [first, second] = await Promise.all([app.http().get('/_ready'), app.http().get('/_ready')]);
    for (const response of [first, second]) {
      expect(response.status).toBe(503);
      expect(response.body.failed).toEqual(['redis']);
      expect(response.body.checks.redis).toEqual({ status: 'failed', error: 'timed out after 500 ms' });
    }
  });

  it('is 200 when Redis answers PING', async () => {
    useRedis(REAL_REDIS);
    const response = await app.http().get('/_ready');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready', checks: { boot: { status: 'ok' }, database: { status: 'ok' }, redis: { status: 'ok' } } });
  });

  it('skips Redis when REDIS_URL is unset', async () => {
    useRedis(null);
    const response = await app.http().get('/_ready');
    expect(response.status).toBe(200);
    expect(response.body.checks).toEqual({ boot: { status: 'ok' }, database: { status: 'ok' }, redis: { status: 'skipped' } });
  });

  it('needs no credentials and leaves Strapi’s /_health as it was', async () => {
    const health = await app.http().get('/_health');
    expect(health.status).toBe(204);
    expect(health.text).toBe('');
  });
});
