/**
 * The app as a real server for the browser test: builds the admin, seeds a fresh SQLite file,
 * and runs `strapi start` as a child process with its own secrets and port. Unlike
 * tests/helpers/app.ts (in-process, no admin panel), this serves /admin to a browser.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'fs';
import path from 'path';
import { APP_DIR } from '../helpers/paths';
import { freshSecrets } from '../helpers/secrets';
import { freePort } from '../helpers/app-process';

export { freePort };

export const ARTIFACTS = path.join(APP_DIR, 'test-artifacts', 'e2e');


export interface E2eEnv {
  env: NodeJS.ProcessEnv;
  /** The origin the browser must use: PUBLIC_URL, so the preview frame is same-origin. */
  baseUrl: string;
  dbFile: string;
  admin: { email: string; password: string };
}

export async function e2eEnv(): Promise<E2eEnv> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const dbFile = path.join(APP_DIR, '.tmp', `e2e-${process.pid}-${randomBytes(4).toString('hex')}.db`);
  const admin = { email: 'chef@example.invalid', password: `Aa1-${randomBytes(12).toString('hex')}` };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Development: the first admin comes from ADMIN_EMAIL/ADMIN_PASSWORD (src/features/editorial/admin/first-admin.ts).
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    DATABASE_CLIENT: 'sqlite',
    DATABASE_FILENAME: dbFile,
    DATABASE_URL: '',
    ...freshSecrets(),
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    ADMIN_FIRSTNAME: 'Chef',
    WEBHOOKS_WORKER: 'off',
    LOG_LEVEL: 'info',
    STRAPI_TELEMETRY_DISABLED: 'true',
    BROWSER: 'none',
  };
  return { env, baseUrl, dbFile, admin };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, what: string): void {
  const result = spawnSync(command, args, { cwd: APP_DIR, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`${what} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`.slice(-8000));
  }
}

/**
 * `strapi build` (TypeScript to dist/ and the admin bundle to dist/build); returns seconds taken.
 * Builds once per run (the global setup, ./global-setup.ts, then sets E2E_ADMIN_BUILT).
 * `E2E_REUSE_BUILD=1` keeps an existing dist/build (0 s): for re-running a spec whose app and
 * admin code have not changed since the last build; anything else always builds.
 */
export function buildAdmin(env: NodeJS.ProcessEnv): number {
  const built = existsSync(path.join(APP_DIR, 'dist', 'build', 'index.html'));
  if (built && (process.env.E2E_ADMIN_BUILT === '1' || process.env.E2E_REUSE_BUILD === '1')) return 0;
  const started = Date.now();
  run('npx', ['strapi', 'build'], { ...env, NODE_ENV: 'production' }, 'strapi build');
  return (Date.now() - started) / 1000;
}

/** The demo content (people and organisations to quote) into the fresh database. */
export function seed(env: NodeJS.ProcessEnv): void {
  mkdirSync(path.join(APP_DIR, '.tmp'), { recursive: true });
  run('node', ['scripts/seed.js'], env, 'seed');
}

export interface RunningApp {
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `strapi start` in its own process group; stdout/stderr to test-artifacts/e2e/<logName>. */
export async function startApp(env: NodeJS.ProcessEnv, baseUrl: string, logName = 'app.log'): Promise<RunningApp> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const log = createWriteStream(path.join(ARTIFACTS, logName));
  const child = spawn('npx', ['strapi', 'start'], { cwd: APP_DIR, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  // 'close' comes after 'exit', once the output pipes are drained: ending the log before it
  // failed a run with "write after end".
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // The whole group: npx and the node process it started.
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 10000);
      await closed;
      clearTimeout(timer);
    } else {
      await closed;
    }
    log.end();
  };

  const deadline = Date.now() + 90000;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`strapi start exited with ${exited}; see ${path.join(ARTIFACTS, logName)}`);
    try {
      const response = await fetch(`${baseUrl}/_health`);
      if (response.status === 204) return { child, stop };
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error('strapi start did not answer /_health within 90 s');
}

export function removeDatabase(dbFile: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(dbFile + suffix, { force: true });
}
