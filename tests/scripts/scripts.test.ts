/**
 * Every command in scripts/ run as a user runs it: a process of its own, on this run's database
 * (SQLite, or PostgreSQL with TEST_DB=postgres). Checks the exit code, what the README says it
 * prints, and what it wrote; bad arguments exit 2, say what is wrong and which options the
 * command takes, and write nothing. `npm run demo` is here too: the seed, then the CMS answering.
 * Each command that boots Strapi ends it with stopStrapi (scripts/lib/cli.js), which waits for
 * Strapi's unawaited after-commit queries: without it the seed on PostgreSQL ended in exit 1.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../helpers/database';
import { APP_DIR } from '../helpers/paths';
import { scriptDatabase } from '../helpers/script-database';
import { freePort } from '../helpers/server-process';

let database: TestDatabase;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ({ database, env } = await scriptDatabase());
});
afterAll(async () => {
  await database?.drop();
});

/** `node scripts/<script>.js args…`, as the npm scripts run it. */
function run(script: string, args: string[] = [], extraEnv: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [path.join(APP_DIR, 'scripts', `${script}.js`), ...args], {
    cwd: APP_DIR,
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
    // Below the test's own budget: spawnSync blocks the worker, so jest's timeout could not fire.
    timeout: 90000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Rows in each of `tables` of this run's database (SQL, past the app). */
async function rowCounts(tables: string[], db: TestDatabase = database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  if (db.kind === 'sqlite') {
    const sqlite = new Database(db.location, { readonly: true });
    try {
      for (const table of tables) counts[table] = (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    } finally {
      sqlite.close();
    }
    return counts;
  }
  const client = new Client({ connectionString: db.env.DATABASE_URL });
  await client.connect();
  try {
    for (const table of tables) counts[table] = Number((await client.query(`select count(*) as n from ${table}`)).rows[0].n);
  } finally {
    await client.end();
  }
  return counts;
}

/**
 * What a command printed on stderr, less one known line: pg 8.16+ warns once per process that
 * knex queries a transaction's connection while a query is running on it (knex's postgres
 * dialect, not ours; left for the pg 9 upgrade).
 */
const errorOutput = (stderr: string): string =>
  stderr
    .split('\n')
    .filter((line) => !/DeprecationWarning: Calling client\.query\(\) when the client is already executing a query|Use `node --trace-deprecation/.test(line))
    .join('\n')
    .trim();

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
    ['search', ['--fast'], "search:reindex: Unknown option '--fast'", ['npm run search:reindex']],
    ['sync-compact', ['--days', '1'], "sync:compact: Unknown option '--days'", ['npm run sync:compact']],
  ])('%s %j', async (script, args, message, usage) => {
    const before = await rowCounts(WRITTEN_BY_COMMANDS);
    const result = run(script, args);
    expect(result.status).toBe(2);
    // The first line says what is wrong (a required option's line also says what it is for).
    const firstLine = result.stderr.split('\n')[0] ?? '';
    expect(firstLine.slice(0, message.length)).toBe(message);
    for (const fragment of usage) expect(result.stderr).toContain(fragment);
    expect(result.stderr).toContain('--help prints this.');
    expect(result.stdout).toBe('');
    expect(await rowCounts(WRITTEN_BY_COMMANDS)).toEqual(before);
  });

  it('--help prints the usage and exits 0: every command, or the one named', () => {
    const all = run('webhook', ['--help']);
    expect(all.status).toBe(0);
    expect(all.stdout).toContain('npm run webhook:rotate -- --id <id> [--grace-seconds <seconds>]');
    expect(all.stdout).toContain('npm run webhook:create');
    expect(all.stderr).toBe('');
    const one = run('partner', ['create', '-h']);
    expect(one.status).toBe(0);
    expect(one.stdout).toContain('npm run partner:create -- --name <name>');
    expect(one.stdout).not.toContain('npm run partner:rotate');
  });

  it('backup prints a refusal found past the arguments as its message alone, exit 2', () => {
    const file = path.join(os.tmpdir(), `never-written-${process.pid}.backup`);
    const result = run('backup', ['--out', file], { DATABASE_CLIENT: 'mysql' });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('backup: Unsupported DATABASE_CLIENT "mysql": use "sqlite" or "postgres".');
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('the commands, as a user runs them', () => {
  it('seed loads the demo content, exits 0, and a second run changes nothing', async () => {
    const first = run('seed');
    expect(errorOutput(first.stderr)).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout.trim().split('\n').pop()).toBe('seed: 25 created, 25 locale versions added, 48 published, 0 unchanged, 1 uploaded');
    // The story's article: a draft and a published row in Danish and in English.
    const written = await rowCounts(['articles', 'people', 'events']);
    expect(written.articles).toBe(2 * 2);
    expect(written.people).toBeGreaterThan(0);

    const second = run('seed');
    expect(errorOutput(second.stderr)).toBe('');
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('= person Mette Harbo: already there');
    expect(second.stdout.trim().split('\n').pop()).toBe('seed: 0 created, 0 locale versions added, 0 published, 25 unchanged, 0 uploaded');
    expect(await rowCounts(['articles', 'people', 'events'])).toEqual(written);
  });

  it('search:reindex builds the index from the published documents (the seed\'s), exit 0, rows written', async () => {
    const result = run('search');
    expect(errorOutput(result.stderr)).toBe('');
    expect(result.status).toBe(0);
    const indexed = Number(/search: indexed (\d+) published documents/.exec(result.stdout)?.[1]);
    expect(indexed).toBeGreaterThan(10);
    expect((await rowCounts(['search_documents'])).search_documents).toBe(indexed);
  });

  it('sync:compact folds old changes and says what it did, exit 0 (nothing old in a fresh log: nothing changes)', async () => {
    const before = await rowCounts(['sync_changes']);
    const result = run('sync-compact');
    expect(errorOutput(result.stderr)).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n').pop()).toBe(
      `sync:compact: 0 changes folded into later ones, 0 tombstones dropped; ${before.sync_changes} → ${before.sync_changes} rows; feed cursors below position 0 now start over`,
    );
    expect(await rowCounts(['sync_changes'])).toEqual(before);
  });

  it('partner create, rotate and revoke: exit 0, the token printed once, rows written', async () => {
    const created = run('partner', ['create', '--name', 'Folkemødet CLI', '--publish-mode', 'publish']);
    expect(errorOutput(created.stderr)).toBe('');
    expect(created.status).toBe(0);
    const tokenId = /token id (\d+):/.exec(created.stdout)?.[1];
    expect(tokenId).toBeDefined();
    expect(created.stdout).toMatch(/^ptk_\S+$/m);
    expect(created.stdout).toContain('Store it now: it is not shown again.');
    expect(await rowCounts(['partners', 'partner_tokens'])).toEqual({ partners: 1, partner_tokens: 1 });

    const rotated = run('partner', ['rotate', '--token-id', tokenId!, '--grace-seconds', '60']);
    expect(errorOutput(rotated.stderr)).toBe('');
    expect(rotated.status).toBe(0);
    expect(rotated.stdout).toMatch(/^new token id \d+ \(old one valid for 60 s more\):\nptk_\S+\n$/);
    expect(await rowCounts(['partner_tokens'])).toEqual({ partner_tokens: 2 });

    const revoked = run('partner', ['revoke', '--token-id', tokenId!]);
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toBe(`token ${tokenId} revoked\n`);
  });

  it('webhook create, list, rotate and delete: exit 0; an id that does not exist is refused with exit 2', async () => {
    const created = run('webhook', ['create', '--name', 'search-index', '--url', 'https://search.example.dk/hooks', '--locales', 'da']);
    expect(errorOutput(created.stderr)).toBe('');
    expect(created.status).toBe(0);
    const id = /^webhook subscription (\d+) for integration "search-index" -> https:\/\/search\.example\.dk\/hooks$/m.exec(created.stdout)?.[1];
    expect(id).toBeDefined();
    expect(created.stdout).toMatch(/^whsec_\S+$/m);

    const listed = run('webhook', ['list']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toBe(`${id}\tintegration:search-index\thttps://search.example.dk/hooks locales=da\tsecrets=1\n`);

    expect(run('webhook', ['rotate', '--id', id!]).status).toBe(0);
    const missing = run('webhook', ['delete', '--id', '999999']);
    expect(missing.status).toBe(2);
    expect(errorOutput(missing.stderr)).toBe('webhook: delete: no webhook subscription with id 999999');
    expect(await rowCounts(['webhook_subscriptions'])).toEqual({ webhook_subscriptions: 1 });

    const deleted = run('webhook', ['delete', '--id', id!]);
    expect(deleted.status).toBe(0);
    expect(deleted.stdout).toBe(`webhook subscription ${id} deleted\n`);
    expect(await rowCounts(['webhook_subscriptions'])).toEqual({ webhook_subscriptions: 0 });
  });

  it('bench pushes its events and exits 0 (a few events, on an empty database of its own)', async () => {
    const benchDb = await createTestDatabase(TEST_DB_KIND, 'empty');
    try {
      // bench makes its own SQLite file; on PostgreSQL it takes DATABASE_URL, which must be empty.
      const dbEnv = benchDb.kind === 'postgres' ? { DATABASE_URL: benchDb.env.DATABASE_URL, DATABASE_CLIENT: 'postgres' } : { DATABASE_URL: '' };
      const result = run('bench', [], { ...dbEnv, BENCH_EVENTS: '8', BENCH_REFERENCE_EVENTS: '2' });
      expect(errorOutput(result.stderr)).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`partner sync, 8 events in batches of 250, ${benchDb.kind === 'postgres' ? 'postgres' : 'sqlite'}`);
      expect(result.stdout).toMatch(/^push \(all new\)\s+[\d.]+ s/m);
      expect(result.stdout).toMatch(/^before: Document Service\s+[\d.]+ ms\/event/m);
    } finally {
      await benchDb.drop();
    }
  });
});

describe('npm run demo', () => {
  let workDir: string | undefined;
  afterAll(() => {
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  /**
   * A copy of the checkout to run it in: `strapi develop` empties dist/ and writes .env and
   * types/, and the other test files run from this checkout's dist/. node_modules is shared.
   */
  function checkoutCopy(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-demo-'));
    for (const entry of ['package.json', 'tsconfig.json', 'favicon.png', 'config', 'src', 'database', 'scripts', 'types', 'public']) {
      fs.cpSync(path.join(APP_DIR, entry), path.join(dir, entry), { recursive: true, filter: (source) => !source.includes(`${path.sep}uploads${path.sep}`) });
    }
    fs.symlinkSync(path.join(APP_DIR, 'node_modules'), path.join(dir, 'node_modules'));
    return dir;
  }

  it(`seeds and starts the CMS, which answers /_health (${TEST_DB_KIND})`, async () => {
    const demoDb = await createTestDatabase(TEST_DB_KIND, 'empty');
    workDir = checkoutCopy();
    const port = await freePort();
    const demoEnv: NodeJS.ProcessEnv = { ...process.env, ...demoDb.env, HOST: '127.0.0.1', PORT: String(port), BROWSER: 'none', LOG_LEVEL: 'warn' };
    delete demoEnv.NODE_ENV;
    delete demoEnv.JEST_WORKER_ID;
    // The SQLite file and uploads in this copy, not the test run's folders.
    if (demoDb.kind === 'sqlite') demoEnv.DATABASE_FILENAME = path.join(workDir, '.tmp', 'demo.db');
    const child = spawn('npm', ['run', 'demo'], { cwd: workDir, env: demoEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 240000;
      let health = 0;
      while (Date.now() < deadline && child.exitCode === null) {
        health = await fetch(`http://127.0.0.1:${port}/_health`).then((response) => response.status, () => 0);
        if (health === 204) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      if (health !== 204) throw new Error(`npm run demo: no /_health (exit ${child.exitCode}):\n${output}`);
      expect(output).toContain('seed: 25 created, 25 locale versions added, 48 published, 0 unchanged, 1 uploaded');
      expect(output).not.toMatch(/seed failed|Error: aborted/);
      const articles = (await fetch(`http://127.0.0.1:${port}/api/articles?locale=da`).then((response) => response.json())) as { data: unknown[] };
      expect(articles.data).toHaveLength(1);
    } finally {
      // The whole group: npm, its shell, strapi develop and what it started.
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, name);
        } catch {
          // already gone
        }
      };
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 20000);
      await exited;
      clearTimeout(timer);
      await demoDb.drop();
    }
  }, 300000);
});
