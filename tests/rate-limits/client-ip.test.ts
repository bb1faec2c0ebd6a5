/**
 * Without IS_PROXIED, X-Forwarded-For is not believed: every value a client makes up counts
 * against the one budget of its socket address.
 */
import { startApp, type TestApp } from '../helpers/app';
import { raw } from '../response-cache/shared';
import { withEnv } from './shared';

const POINTS = 4;

let app: TestApp;
let restoreEnv: () => void;
beforeAll(async () => {
  restoreEnv = withEnv({ IS_PROXIED: 'false', RATE_LIMIT_PUBLIC_POINTS: String(POINTS), RATE_LIMIT_PUBLIC_DURATION: '600' });
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
  restoreEnv?.();
});

it('a made-up X-Forwarded-For does not buy a new budget when the app is not behind a proxy', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < POINTS + 2; i++) {
    // A different page each time: every request a miss, charged (hits are free).
    const url = `/api/topics?locale=da&pagination[page]=${i + 1}`;
    statuses.push((await raw(app, url, { headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } })).status);
  }
  expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  expect(app.strapi.server.app.proxy).toBe(false);
});
