/**
 * `scripts/ensure-env.mjs` makes a fresh checkout runnable: it writes .env with random
 * secrets, keeps what is there, and never runs in production. Each test runs the real script
 * in a throwaway copy of the folders it reads.
 */
import { execFileSync, spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { findSecretProblems, SECRET_NAMES } from '../../src/lib/env/secrets';
import { APP_DIR } from '../helpers/paths';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ensure-env-'));
  for (const file of ['scripts/ensure-env.mjs', 'src/lib/env/secrets.json']) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.copyFileSync(path.join(APP_DIR, file), path.join(root, file));
  }
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const run = (env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [path.join(root, 'scripts/ensure-env.mjs')], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });

function readEnv(): Record<string, string> {
  const text = fs.readFileSync(path.join(root, '.env'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.match(/^([A-Z0-9_]+)=(.*)$/))
      .filter((match): match is RegExpMatchArray => match !== null)
      .map((match) => [match[1], match[2]])
  );
}

it('writes every secret with a fresh random value that production would accept, readable by the owner only', () => {
  const result = run();
  expect(result.status).toBe(0);
  const env = readEnv();
  expect(Object.keys(env).sort()).toEqual([...SECRET_NAMES, 'ADMIN_EMAIL', 'ADMIN_PASSWORD'].sort());
  const secrets = Object.fromEntries(SECRET_NAMES.map((name) => [name, env[name]]));
  expect(findSecretProblems(secrets)).toEqual([]);
  expect(new Set(Object.values(secrets)).size).toBe(SECRET_NAMES.length);
  expect(fs.statSync(path.join(root, '.env')).mode & 0o777).toBe(0o600);
  // It names the secrets it wrote, never their values; the development admin's password is
  // shown once, on purpose, so a newcomer can log in.
  for (const value of Object.values(secrets)) expect(result.stdout).not.toContain(value);
  expect(result.stdout).toContain(env.ADMIN_PASSWORD);
});

it('keeps values that are set and adds only what is missing', () => {
  fs.writeFileSync(path.join(root, '.env'), 'PORT=1400\nJWT_SECRET=keep-me\nAPI_TOKEN_SALT=\n');
  expect(run().status).toBe(0);
  const env = readEnv();
  expect(env.PORT).toBe('1400');
  expect(env.JWT_SECRET).toBe('keep-me');
  expect(env.API_TOKEN_SALT).not.toBe('');

  const before = fs.readFileSync(path.join(root, '.env'), 'utf8');
  expect(execFileSync(process.execPath, [path.join(root, 'scripts/ensure-env.mjs')], { encoding: 'utf8' })).toContain(
    'nothing to do'
  );
  expect(fs.readFileSync(path.join(root, '.env'), 'utf8')).toBe(before);
});

it('refuses to generate secrets in production', () => {
  const result = run({ NODE_ENV: 'production' });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('not generating secrets in production');
  expect(fs.existsSync(path.join(root, '.env'))).toBe(false);
});
