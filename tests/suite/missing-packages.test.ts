/**
 * A test that needs a system package the machine lacks (tests/helpers/system-packages.ts) is
 * skipped with a reason and an install command that jest's summary repeats, and fails instead
 * under CI=true or REQUIRE_ALL_TESTS=1. Runs jest itself on a fixture, as `npm test` would.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { APP_DIR } from '../helpers/paths';

function runFixture(env: Record<string, string | undefined>) {
  const config = {
    rootDir: APP_DIR,
    roots: ['<rootDir>/tests/suite/fixtures'],
    testMatch: ['**/*.fixture.ts'],
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tests/tsconfig.json' }] },
    reporters: ['default', '<rootDir>/tests/helpers/missing-packages-reporter.js'],
  };
  const childEnv: NodeJS.ProcessEnv = { ...process.env, CI: undefined, REQUIRE_ALL_TESTS: undefined, ...env };
  for (const name of Object.keys(childEnv)) if (childEnv[name] === undefined) delete childEnv[name];
  const result = spawnSync(process.execPath, [path.join(APP_DIR, 'node_modules/jest/bin/jest.js'), '--config', JSON.stringify(config), '--ci'], {
    cwd: APP_DIR,
    env: childEnv,
    encoding: 'utf8',
    // Below the test's budget: spawnSync blocks the worker, so jest's own timeout could not fire.
    timeout: 50000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

it('skips the block, says why and how to install it, and passes', () => {
  const { status, output } = runFixture({});
  expect(status).toBe(0);
  expect(output).toMatch(/Tests:\s+2 skipped, 1 passed, 3 total/);
  expect(output).toContain('Skipped, because this machine lacks a system package');
  expect(output).toContain(
    'tests/suite/fixtures/needs-a-missing-package.fixture.ts: 2 tests of "frobnication: /nonexistent/usr/sbin/frobnicatord is missing (the frobnicator daemon); install it with: apt-get install -y frobnicator"',
  );
}, 60000);

it.each([['CI=true', { CI: 'true' }], ['REQUIRE_ALL_TESTS=1', { REQUIRE_ALL_TESTS: '1' }]])('fails under %s, saying what is missing', (_name, env) => {
  const { status, output } = runFixture(env);
  expect(status).toBe(1);
  expect(output).toMatch(/Tests:\s+1 failed, 1 passed, 2 total/);
  expect(output).toContain('● frobnication › cannot run: /nonexistent/usr/sbin/frobnicatord is missing (the frobnicator daemon); install it with: apt-get install -y frobnicator');
  expect(output).not.toContain('Skipped, because this machine lacks');
}, 60000);
