/**
 * The production image starts and serves, with nothing but the files its Dockerfile copies.
 * There is no Docker engine here, so the test does what the image does: builds the app in a copy
 * of the build context, keeps exactly the runtime stage's `COPY --from=build` files in a fresh
 * folder, and runs the stage's CMD there in production on a new PostgreSQL database. A file the
 * runtime needs but the Dockerfile does not copy makes it fail (tsconfig.json did once).
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { articles } from '../../src/lib/seed/demo-content';
import { createSeededDatabase } from '../helpers/app';
import type { TestDatabase } from '../helpers/database';
import { APP_DIR } from '../helpers/paths';
import { freshSecrets } from '../helpers/secrets';
import { freePort, startServer, tail, waitForStatus, type ServerProcess } from '../helpers/server-process';
import { buildLikeTheImage, dockerignore } from './build-context';
import { assembleRuntime, parseRuntimeStage, type RuntimeStage } from './dockerfile';

describe('reading the Dockerfile', () => {
  const stage = parseRuntimeStage(fs.readFileSync(path.join(APP_DIR, 'Dockerfile'), 'utf8'));

  it('finds the runtime stage: copies from the build stage, a JSON CMD, a non-root user and a health check', () => {
    expect(stage.copies.flatMap((copy) => copy.sources)).toEqual(expect.arrayContaining(['dist', 'node_modules', 'package.json']));
    expect(stage.cmd[0]).toBe('node');
    expect(stage.user).toBe('node');
    expect(stage.healthcheck).toMatch(/\/_health/);
  });

  it.each([
    ['a COPY from the context', 'FROM a AS build\nWORKDIR /app\nFROM b\nCOPY dist ./dist\nCMD ["x"]', /only COPY --from/],
    ['a RUN it cannot repeat', 'FROM a AS build\nWORKDIR /app\nFROM b\nCOPY --from=build /app/x ./\nRUN npm ci\nCMD ["x"]', /only "mkdir -p/],
    ['a shell-form CMD', 'FROM a AS build\nWORKDIR /app\nFROM b\nCOPY --from=build /app/x ./\nCMD node x', /JSON-array/],
    ['an unknown COPY flag', 'FROM a AS build\nWORKDIR /app\nFROM b\nCOPY --from=build --link /app/x ./\nCMD ["x"]', /--link/],
    ['an ENTRYPOINT', 'FROM a AS build\nWORKDIR /app\nFROM b\nCOPY --from=build /app/x ./\nENTRYPOINT ["y"]\nCMD ["x"]', /not understood/],
  ])('refuses %s rather than guess', (_what, text, message) => {
    expect(() => parseRuntimeStage(text)).toThrow(message);
  });

  it('applies .dockerignore with its exceptions', () => {
    const ignored = dockerignore('.env\n.env.*\n!.env.example\npublic/uploads/*\n!public/uploads/.gitkeep\nnode_modules');
    expect(['.env', '.env.local', 'node_modules', 'public/uploads/a.png'].filter(ignored)).toHaveLength(4);
    expect(['.env.example', 'public/uploads/.gitkeep', 'src/index.ts'].filter(ignored)).toHaveLength(0);
  });
});

// The image test costs a full admin build (about a minute on two cores): it runs in the default
// run (`npm test`) only. It always uses PostgreSQL, whatever TEST_DB says.
const describeImage = process.env.TEST_DB ? describe.skip : describe;
const title = process.env.TEST_DB
  ? `the production image (skipped under TEST_DB=${process.env.TEST_DB}: it runs once, in the default run, always on PostgreSQL)`
  : 'the production image, assembled from the Dockerfile, on PostgreSQL';

describeImage(title, () => {
  const article = articles[0]!;
  let work: string;
  let stage: RuntimeStage;
  let db: TestDatabase;
  let server: ServerProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    stage = parseRuntimeStage(fs.readFileSync(path.join(APP_DIR, 'Dockerfile'), 'utf8'));
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-image-'));
    const buildDir = path.join(work, 'build');
    const runtimeDir = path.join(work, 'app');
    const started = Date.now();
    buildLikeTheImage(APP_DIR, buildDir);
    // Printed, never asserted: the build's share of this test's time.
    console.log(`image: build stage (copy, strapi build, prune) took ${Math.round((Date.now() - started) / 1000)} s`);
    const placed = assembleRuntime(stage, buildDir, runtimeDir);
    console.log(`image: runtime folder holds ${placed.join(', ')}`);
    fs.rmSync(buildDir, { recursive: true, force: true });

    // The demo content, in the database before the image starts (so it is served without a
    // second writer on it): the seeded template's copy, or the repo's seed in this process
    // (tests/helpers/app.ts waits for Strapi's after-commit queries before it stops, which a
    // one-off seed process on PostgreSQL did not: its pool was destroyed under them).
    db = await createSeededDatabase('postgres');
    const port = await freePort();
    env = {
      // A container's environment: the image's ENV and what the operator passes, nothing else.
      PATH: process.env.PATH,
      HOME: work,
      ...stage.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: db.env.DATABASE_URL,
      ...freshSecrets(),
      LOG_LEVEL: 'info',
    };


    const [command, ...args] = stage.cmd;
    server = startServer({ command: command!, args, cwd: runtimeDir, env, port });
    await waitForStatus(server, '/_health', 204);
  }, 600000);

  afterAll(async () => {
    const exit = await server?.stop();
    if (exit !== undefined && exit !== 0) console.log(`image: the app exited with ${exit}:\n${tail(server.output())}`);
    await db?.drop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("runs on the Node major the image is built FROM, the one package.json's engines and `node` devDependency give development and CI", () => {
    const dockerfile = fs.readFileSync(path.join(APP_DIR, 'Dockerfile'), 'utf8');
    const major = Number(/^ARG NODE_VERSION=(\d+)$/m.exec(dockerfile)?.[1]);
    expect(dockerfile).toMatch(/^FROM node:\$\{NODE_VERSION\}-bookworm-slim AS runtime$/m);
    // Node 24 is the LTS line this project runs on (Node 20 ended 2026-04-30).
    expect(major).toBeGreaterThanOrEqual(24);
    const manifest = JSON.parse(fs.readFileSync(path.join(APP_DIR, 'package.json'), 'utf8')) as { engines: { node: string }; devDependencies: Record<string, string> };
    expect(manifest.engines.node).toBe(`>=${major}.0.0 <${major + 1}`);
    expect(Number(manifest.devDependencies.node?.split('.')[0])).toBe(major);
    // The `node` the CMD was started with, from the container's PATH.
    const running = execFileSync(stage.cmd[0]!, ['-p', 'process.versions.node'], { env, encoding: 'utf8' }).trim();
    expect(Number(running.split('.')[0])).toBe(major);
  });

  it('answers /_health with 204', async () => {
    expect((await fetch(`${server.base}/_health`)).status).toBe(204);
  });

  it('is ready (/_ready 200): booted, its database answers', async () => {
    const response = await fetch(`${server.base}/_ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', checks: { boot: { status: 'ok' }, database: { status: 'ok' } } });
  });

  it('serves the built admin panel at /admin', async () => {
    const response = await fetch(`${server.base}/admin`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toMatch(/<html/i);
  });

  it('serves the seeded article to the public', async () => {
    const response = await fetch(`${server.base}/api/articles/slug/${article.key}?locale=da`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { title: string; quotes?: unknown[] } };
    expect(body.data.title).toBe(article.title.da);
  });
});
