/** The partner CLI refuses bad arguments before it touches the app or the database. */
import { spawnSync } from 'child_process';
import path from 'path';
import { APP_DIR } from '../helpers/paths';

const run = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(APP_DIR, 'scripts/partner.js'), ...args], { cwd: APP_DIR, encoding: 'utf8' });

it.each([
  ['no command', [], 'usage: partner.js create|rotate|revoke'],
  ['create without a name', ['create'], '--name is required'],
  ['create with an unknown publish mode', ['create', '--name', 'X', '--publish-mode', 'sometimes'], '--publish-mode is draft or publish'],
  ['rotate without a token id', ['rotate'], '--token-id is required (a number)'],
  ['revoke with a token id that is not a number', ['revoke', '--token-id', 'abc'], '--token-id is required (a number)'],
])('%s: exits 2 and says what is wrong', (_name, args, message) => {
  const result = run(...args);
  expect(result.status).toBe(2);
  expect(result.stderr).toContain(`partner: ${message}`);
  expect(result.stdout).not.toMatch(/ptk_/);
});
