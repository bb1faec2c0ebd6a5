/**
 * This app as a `strapi start` process in production mode (no admin panel, fresh secrets), for
 * tests that need more than one instance: it runs the dist/ the test run compiled
 * (tests/helpers/global-setup.ts). Built on server-process.ts; the in-process app (app.ts) is
 * the default for everything else.
 */
import path from 'node:path';
import { APP_DIR } from './paths';
import { freshSecrets } from './secrets';
import { freePort, startServer, waitForStatus, type ServerProcess } from './server-process';

export { freePort };

export interface AppProcess extends ServerProcess {
  baseUrl: string;
}

export async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const port = await freePort();
  const server = startServer({
    command: process.execPath,
    args: [path.join(APP_DIR, 'node_modules/@strapi/strapi/bin/strapi.js'), 'start'],
    cwd: APP_DIR,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      SERVE_ADMIN_PANEL: 'false',
      WEBHOOKS_WORKER: 'off',
      LOG_LEVEL: 'warn',
      STRAPI_TELEMETRY_DISABLED: 'true',
      ...freshSecrets(),
      ...env,
    },
    port,
  });
  try {
    await waitForStatus(server, '/_health', 204, 90000);
  } catch (error) {
    await server.stop(1000);
    throw error;
  }
  return { ...server, baseUrl: server.base };
}
