/**
 * Production refuses to start with a missing, empty or example secret. The rule itself is
 * checked directly; the refusal is checked on a real `strapi start` in a child process, next
 * to a control run with good secrets that does start.
 */
import { spawn } from 'child_process';
import { randomBytes } from 'crypto';
import path from 'path';
import { findSecretProblems, SECRET_NAMES } from '../../src/lib/env/secrets';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../helpers/database';
import { APP_DIR } from '../helpers/paths';
import { freePort } from '../helpers/server-process';

const realSecret = () => randomBytes(32).toString('base64');
const goodSecrets = (): Record<string, string> =>
  Object.fromEntries(SECRET_NAMES.map((name) => [name, name === 'APP_KEYS' ? `${realSecret()},${realSecret()}` : realSecret()]));

describe('the secret rule', () => {
  it('accepts real random values', () => {
    expect(findSecretProblems(goodSecrets())).toEqual([]);
  });

  it('names each missing, empty or example secret', () => {
    const env = { ...goodSecrets(), JWT_SECRET: '', ADMIN_JWT_SECRET: 'tobemodified', API_TOKEN_SALT: undefined };
    expect(findSecretProblems(env)).toEqual([
      'API_TOKEN_SALT is missing or empty',
      'ADMIN_JWT_SECRET still holds an example value',
      'JWT_SECRET is missing or empty',
    ]);
  });

  it('refuses APP_KEYS when any one key is an example value', () => {
    const env = { ...goodSecrets(), APP_KEYS: `${realSecret()},toBeModified2` };
    expect(findSecretProblems(env)).toEqual(['APP_KEYS still holds an example value']);
  });
});

interface RunResult {
  code: number | null;
  output: string;
  healthy: boolean;
  /** What `probe` returned once the app was healthy. */
  probed?: unknown;
}

/** Runs `strapi start` in production; stops it once /_health answers, or when it exits. */
async function startProduction(env: Record<string, string>, probe?: (base: string) => Promise<unknown>): Promise<RunResult> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(APP_DIR, 'node_modules/@strapi/strapi/bin/strapi.js'), 'start'], {
    cwd: APP_DIR,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      SERVE_ADMIN_PANEL: 'false',
      STRAPI_TELEMETRY_DISABLED: 'true',
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));

  return new Promise((resolve) => {
    let healthy = false;
    let probed: unknown;
    // Each tick starts one probe and does not wait for it (setInterval ignores a returned promise).
    const poll = setInterval(() => {
      void (async () => {
        const ok = await fetch(`http://127.0.0.1:${port}/_health`).then((r) => r.status === 204, () => false);
        if (ok && !healthy) {
          healthy = true;
          probed = await probe?.(`http://127.0.0.1:${port}`);
          child.kill('SIGTERM');
        }
      })();
    }, 250);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ code, output, healthy, probed });
    });
  });
}

describe('strapi start with NODE_ENV=production', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(TEST_DB_KIND, 'schema');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('starts and answers /_health with real secrets (the control), with GraphQL introspection off', async () => {
    const result = await startProduction({ ...db.env, ...goodSecrets() }, async (base) => {
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __schema { types { name } } }' }),
      });
      return response.json();
    });
    expect(result.healthy).toBe(true);
    const answer = result.probed as { data?: unknown; errors?: Array<{ message: string }> };
    expect(answer.data).toBeUndefined();
    expect(answer.errors?.[0]!.message).toMatch(/introspection/i);
  });

  it('refuses to start with the example secrets from .env.example, naming them', async () => {
    const example = Object.fromEntries(SECRET_NAMES.map((name) => [name, 'tobemodified']));
    const result = await startProduction({ ...db.env, ...example, APP_KEYS: 'toBeModified1,toBeModified2' });
    expect(result.healthy).toBe(false);
    // It exited by itself (a code, not our SIGTERM's null), and not with success.
    expect(result.code).toEqual(expect.any(Number));
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('Refusing to start in production');
    for (const name of SECRET_NAMES) expect(result.output).toContain(`${name} still holds an example value`);
  });

  // Empty rather than absent: an absent variable could be filled from a developer's local .env.
  it('refuses to start with an empty secret, and never prints the secrets it was given', async () => {
    const secrets = { ...goodSecrets(), ENCRYPTION_KEY: '' };
    const result = await startProduction({ ...db.env, ...secrets });
    expect(result.healthy).toBe(false);
    expect(result.code).toEqual(expect.any(Number));
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('ENCRYPTION_KEY is missing or empty');
    for (const value of Object.values(secrets).filter(Boolean)) expect(result.output).not.toContain(value);
  });
});
