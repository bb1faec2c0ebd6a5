/**
 * The webhook CLI (integrations' subscriptions) creates a subscription whose secret it prints
 * once, and the app signs deliveries with it.
 */
import { spawnSync } from 'child_process';
import path from 'path';
import { Webhook } from 'standardwebhooks';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../helpers/database';
import { startApp, type TestApp } from '../helpers/app';
import { APP_DIR } from '../helpers/paths';

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [path.join(APP_DIR, 'scripts/webhook.js'), ...args], {
    cwd: APP_DIR,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });

// Bad arguments (exit 2, the options listed, nothing written): tests/scripts/.

let app: TestApp | undefined;
let database: TestDatabase | undefined;
afterAll(async () => {
  // The app drops the database it runs on; without one (a failure before it started) drop it here.
  if (app) await app.stop();
  else await database?.drop();
});

it('creates an integration subscription, prints its secret once, and refuses a bad filter with exit 2', async () => {
  database = await createTestDatabase(TEST_DB_KIND, 'schema');
  // The CLI boots the app itself; it needs the app's secrets and the test database.
  const env = { ...database.env, APP_KEYS: 'a,b', API_TOKEN_SALT: 's', ADMIN_JWT_SECRET: 'j', JWT_SECRET: 'k', TRANSFER_TOKEN_SALT: 't', ENCRYPTION_KEY: 'e', LOG_LEVEL: 'error' };

  const bad = run(['create', '--name', 'search', '--url', 'https://search.example.dk/hooks', '--types', 'entry.exploded'], env);
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('--types must be one of entry.created');

  const created = run(
    ['create', '--name', 'search', '--url', 'https://search.example.dk/hooks', '--types', 'entry.published,entry.unpublished', '--locales', 'en'],
    env,
  );
  expect(created.status).toBe(0);
  // The secret goes to stdout only.
  expect(created.stderr).not.toMatch(/webhook failed|whsec_/);
  const secret = /^(whsec_\S+)$/m.exec(created.stdout)?.[1];
  expect(secret).toBeDefined();
  expect(() => new Webhook(secret!)).not.toThrow();

  app = await startApp({ database });
  const rows = await app.strapi.db.connection('webhook_subscriptions');
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ owner_kind: 'integration', owner_key: 'search', url: 'https://search.example.dk/hooks', locales: '["en"]' });
  expect(JSON.parse(rows[0].event_types)).toEqual(['entry.published', 'entry.unpublished']);
  expect(JSON.parse(rows[0].secrets)).toEqual([{ secret, createdAt: expect.any(String), expiresAt: null }]);
  // Two CLI runs and an app, each booting Strapi.
}, 300000);
