/**
 * The partner and webhook commands (tokens and subscriptions), run as a user runs them: each
 * command a process of its own on this file's database (SQLite, or PostgreSQL with
 * TEST_DB=postgres). Checks the exit code, what it prints, and the rows it wrote.
 * Bad arguments: arguments.test.ts.
 */
import type { TestDatabase } from '../helpers/database';
import { scriptDatabase } from '../helpers/script-database';
import { errorOutput, rowCounts, runScript } from './shared';

let database: TestDatabase;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ({ database, env } = await scriptDatabase());
});
afterAll(async () => {
  await database?.drop();
});

describe('the commands, as a user runs them', () => {
  it('partner create, rotate and revoke: exit 0, the token printed once, rows written', async () => {
    const created = runScript(env, 'partner', ['create', '--name', 'Folkemødet CLI', '--publish-mode', 'publish']);
    expect(errorOutput(created.stderr)).toBe('');
    expect(created.status).toBe(0);
    const tokenId = /token id (\d+):/.exec(created.stdout)?.[1];
    expect(tokenId).toBeDefined();
    expect(created.stdout).toMatch(/^ptk_\S+$/m);
    expect(created.stdout).toContain('Store it now: it is not shown again.');
    expect(await rowCounts(database, ['partners', 'partner_tokens'])).toEqual({ partners: 1, partner_tokens: 1 });

    const rotated = runScript(env, 'partner', ['rotate', '--token-id', tokenId!, '--grace-seconds', '60']);
    expect(errorOutput(rotated.stderr)).toBe('');
    expect(rotated.status).toBe(0);
    expect(rotated.stdout).toMatch(/^new token id \d+ \(old one valid for 60 s more\):\nptk_\S+\n$/);
    expect(await rowCounts(database, ['partner_tokens'])).toEqual({ partner_tokens: 2 });

    const revoked = runScript(env, 'partner', ['revoke', '--token-id', tokenId!]);
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toBe(`token ${tokenId} revoked\n`);
  });

  it('webhook create, list, rotate and delete: exit 0; an id that does not exist is refused with exit 2', async () => {
    const created = runScript(env, 'webhook', ['create', '--name', 'search-index', '--url', 'https://search.example.dk/hooks', '--locales', 'da']);
    expect(errorOutput(created.stderr)).toBe('');
    expect(created.status).toBe(0);
    const id = /^webhook subscription (\d+) for integration "search-index" -> https:\/\/search\.example\.dk\/hooks$/m.exec(created.stdout)?.[1];
    expect(id).toBeDefined();
    expect(created.stdout).toMatch(/^whsec_\S+$/m);

    const listed = runScript(env, 'webhook', ['list']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toBe(`${id}\tintegration:search-index\thttps://search.example.dk/hooks locales=da\tsecrets=1\n`);

    expect(runScript(env, 'webhook', ['rotate', '--id', id!]).status).toBe(0);
    const missing = runScript(env, 'webhook', ['delete', '--id', '999999']);
    expect(missing.status).toBe(2);
    expect(errorOutput(missing.stderr)).toBe('webhook: delete: no webhook subscription with id 999999');
    expect(await rowCounts(database, ['webhook_subscriptions'])).toEqual({ webhook_subscriptions: 1 });

    const deleted = runScript(env, 'webhook', ['delete', '--id', id!]);
    expect(deleted.status).toBe(0);
    expect(deleted.stdout).toBe(`webhook subscription ${id} deleted\n`);
    expect(await rowCounts(database, ['webhook_subscriptions'])).toEqual({ webhook_subscriptions: 0 });
  });
});
