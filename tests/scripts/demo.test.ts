/**
 * `npm run demo` as a newcomer runs it on a fresh checkout (a copy of this one without dist/ or
 * .env): the secrets, the seed, then `strapi develop` answering. Its own file: it is the longest
 * test of scripts/ (two TypeScript compiles by `strapi develop` and one by the seed).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, TEST_DB_KIND } from '../helpers/database';
import { APP_DIR } from '../helpers/paths';
import { freePort } from '../helpers/server-process';

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
