/**
 * Every command in scripts/ refuses bad arguments as a user would meet them: a process of its
 * own, exit 2, what is wrong and which options the command takes, and nothing written to this
 * run's database (SQLite, or PostgreSQL with TEST_DB=postgres). A refusal comes before Strapi is
 * loaded (scripts/lib/cli.js), so these processes are quick. `--help` exits 0.
 * The commands doing their work: commands.test.ts, partner-webhook.test.ts, demo.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestDatabase } from '../helpers/database';
import { scriptDatabase } from '../helpers/script-database';
import { rowCounts, runScript } from './shared';

let database: TestDatabase;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ({ database, env } = await scriptDatabase());
});
afterAll(async () => {
  await database?.drop();
});

const WRITTEN_BY_COMMANDS = ['articles', 'people', 'partners', 'partner_tokens', 'webhook_subscriptions', 'sync_changes', 'search_documents'];

describe('bad arguments: exit 2, what is wrong, the options the command takes; nothing written', () => {
  it.each([
    ['seed', ['--fresh'], "seed: Unknown option '--fresh'", ['npm run seed', '(no options)']],
    ['partner', [], 'partner: which command? one of create, rotate, revoke', ['npm run partner:create -- --name <name>', '--publish-mode draft|publish', 'npm run partner:revoke']],
    ['partner', ['create'], 'partner: create: --name is required', ['--organisation <slug>', '--contact-email <email>']],
    ['partner', ['create', '--name', 'X', '--publish-mode', 'sometimes'], 'partner: create: --publish-mode is draft or publish, not "sometimes"', ['--publish-mode draft|publish']],
    ['partner', ['rotate'], 'partner: rotate: --token-id is required', ['--grace-seconds <seconds>']],
    ['partner', ['revoke', '--token-id', 'abc'], 'partner: revoke: --token-id is a number', ['npm run partner:revoke -- --token-id <id>']],
    ['partner', ['launch'], 'partner: unknown command "launch"; one of create, rotate, revoke', ['npm run partner:rotate']],
    ['webhook', [], 'webhook: which command? one of create, list, rotate, delete', ['npm run webhook:create', 'npm run webhook:delete -- --id <id>']],
    ['webhook', ['create', '--partner', 'x'], "webhook: create: Unknown option '--partner'", ['--name <integration>', '--url <https-url>', '--content-types <type,...>']],
    ['webhook', ['create', '--url', 'https://example.dk'], 'webhook: create: --name is required', ['--types <event,...>']],
    ['webhook', ['create', '--name', 'search'], 'webhook: create: --url is required', ['--locales <locale,...>']],
    ['webhook', ['rotate'], 'webhook: rotate: --id is required', ['--grace-seconds <seconds>']],
    ['webhook', ['delete', '--id', 'x'], 'webhook: delete: --id is a number', ['npm run webhook:delete -- --id <id>']],
    ['webhook', ['list', '--colour', 'red'], "webhook: list: Unknown option '--colour'", ['npm run webhook:list -- [--name <integration>]']],
    ['backup', [], 'backup: --out is required', ['--out <file>']],
    ['restore', ['--in'], "restore: Option '--in <value>' argument missing", ['--in <file>', '--force', '--position-gap <n>']],
    ['contract', ['--out', 'x'], "contract: Unknown option '--out'", ['npm run contract']],
    ['client', ['a', 'b'], 'client: one output folder, not 2', ['<out-dir>']],
    ['bench', ['--events', '10'], "bench: Unknown option '--events'", ['BENCH_EVENTS']],
    ['bench-reads', ['--seconds', '1'], "bench:reads: Unknown option '--seconds'", ['BENCH_SECONDS']],
    ['bench-scale', ['--articles', '10'], "bench:scale: Unknown option '--articles'", ['BENCH_SCALE_ARTICLES', 'BENCH_SCALE_KEEP=1']],
    ['search', ['--fast'], "search:reindex: Unknown option '--fast'", ['npm run search:reindex']],
    ['sync-compact', ['--days', '1'], "sync:compact: Unknown option '--days'", ['npm run sync:compact']],
  ])('%s %j', async (script, args, message, usage) => {
    const before = await rowCounts(database, WRITTEN_BY_COMMANDS);
    const result = runScript(env, script, args);
    expect(result.status).toBe(2);
    // The first line says what is wrong (a required option's line also says what it is for).
    const firstLine = result.stderr.split('\n')[0] ?? '';
    expect(firstLine.slice(0, message.length)).toBe(message);
    for (const fragment of usage) expect(result.stderr).toContain(fragment);
    expect(result.stderr).toContain('--help prints this.');
    expect(result.stdout).toBe('');
    expect(await rowCounts(database, WRITTEN_BY_COMMANDS)).toEqual(before);
  });

  it('--help prints the usage and exits 0: every command, or the one named', () => {
    const all = runScript(env, 'webhook', ['--help']);
    expect(all.status).toBe(0);
    expect(all.stdout).toContain('npm run webhook:rotate -- --id <id> [--grace-seconds <seconds>]');
    expect(all.stdout).toContain('npm run webhook:create');
    expect(all.stderr).toBe('');
    const one = runScript(env, 'partner', ['create', '-h']);
    expect(one.status).toBe(0);
    expect(one.stdout).toContain('npm run partner:create -- --name <name>');
    expect(one.stdout).not.toContain('npm run partner:rotate');
  });

  it('backup prints a refusal found past the arguments as its message alone, exit 2', () => {
    const file = path.join(os.tmpdir(), `never-written-${process.pid}.backup`);
    const result = runScript(env, 'backup', ['--out', file], { DATABASE_CLIENT: 'mysql' });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('backup: Unsupported DATABASE_CLIENT "mysql": use "sqlite" or "postgres".');
    expect(fs.existsSync(file)).toBe(false);
  });
});
