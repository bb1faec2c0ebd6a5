/**
 * Boots the real app in-process on a fresh database (a copy of the run's template: ./database.ts)
 * and gives the test an HTTP client.
 * One instance per test file: `const app = await startApp()` in beforeAll,
 * `await app.stop()` in afterAll.
 */
import path from 'path';
import request, { type Response } from 'supertest';
import type * as StrapiModule from '@strapi/strapi';
import type { Core } from '@strapi/strapi';
import { seedDemoContent } from '../../src/lib/seed/seed';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase, type TestDatabaseKind } from './database';
import { APP_DIR, DIST_DIR } from './paths';
import { databaseQuiet, stopStrapi } from '../../src/lib/lifecycle/stop';
import { freshSecrets } from './secrets';

/** A shorter silence than a production stop waits for: tests stop dozens of instances. */
const QUIET = { quietMs: 100, maxWaitMs: 5000 };

/**
 * A parsed JSON answer as supertest types it (`Response['body']`, untyped): the tests assert its
 * shape, they do not rely on a declared one.
 */
export type JsonBody = Response['body'];

export interface TestApp {
  strapi: Core.Strapi;
  db: TestDatabase;
  /** supertest bound to the app's HTTP server. */
  http(): ReturnType<typeof request>;
  /** POST a GraphQL query anonymously; resolves to the parsed body and the HTTP status. */
  graphql<T = JsonBody>(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: GraphQLBody<T> }>;
  /** Resolves once no SQL statement has been in flight for a moment (Strapi's after-commit work done). */
  quiet(): Promise<void>;
  /** Stops the app; `keepDatabase` leaves the database for another `startApp({ database })`. */
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface GraphQLBody<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; [key: string]: unknown } }>;
}

/** Fresh secrets per run, set before Strapi reads the environment (a local .env never wins). */
function testEnvironment(db: TestDatabase): Record<string, string> {
  return {
    ...freshSecrets(),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    // The webhook worker polls the database every second, which would add statements to any
    // count a test takes: off unless a test turned it on (the webhook tests drive it themselves).
    WEBHOOKS_WORKER: process.env.WEBHOOKS_WORKER ?? 'off',
    // Uploads go to a throwaway folder next to the database, not to public/uploads.
    PUBLIC_DIR: db.publicDir,
    ...db.env,
  };
}

export interface StartOptions {
  /** Start with the demo content (the seed story): a copy of the run's seeded template, or seeded at boot. */
  seed?: boolean;
  /** Boot on this existing database (a restart) instead of a fresh one; `seed` then seeds it. */
  database?: TestDatabase;
}

/** The worker's `require` (./environment.ts), when the run has that environment. */
const hostRequire = (): NodeJS.Require | undefined => (globalThis as { hostRequire?: NodeJS.Require }).hostRequire;

/**
 * Strapi as the worker loaded it (./environment.ts), so its modules are evaluated once per worker
 * rather than once per test file; in a run without that environment, the sandbox's own copy.
 */
function strapiModule(): typeof StrapiModule {
  return (hostRequire() ?? require)('@strapi/strapi') as typeof StrapiModule;
}

/**
 * A module of the compiled app (`src/features/editorial/admin/views` is dist/src/features/editorial/admin/views.js) as the
 * running app has it. For a test that compares what its own code builds with what the app
 * returns by prototype (toStrictEqual, util.isDeepStrictEqual): objects made by the test's copy
 * of a module (the sandbox's) and by the app's (the worker's) have different Object prototypes.
 */
export function appModule<T>(sourcePath: string): T {
  return (hostRequire() ?? require)(path.join(DIST_DIR, sourcePath)) as T;
}

export async function startApp(options: StartOptions = {}): Promise<TestApp> {
  const db = options.database ?? (await createTestDatabase(TEST_DB_KIND, options.seed ? 'seeded' : 'schema'));
  const seedAtBoot = options.seed === true && db.start !== 'seeded';
  Object.assign(process.env, testEnvironment(db));

  let strapi: Core.Strapi | undefined;
  try {
    // Kept before load(): a boot that fails (a refused setting) is destroyed too, or its signal
    // listeners and timers stay in this worker for the files after it.
    strapi = strapiModule().createStrapi({ appDir: APP_DIR, distDir: DIST_DIR, autoReload: false, serveAdminPanel: false });
    await strapi.load();
    // load() registers routes but does not mount them on the koa router.
    strapi.server.mount();
    // @strapi/upload schedules its weekly usage metrics for 15 s after a database's first boot
    // (weekly-metrics.js), and every test database is a copy of the run's template: that second
    // fell inside whichever test was counting SQL statements then (10 more in its count).
    strapi.cron.remove('uploadWeekly');
    if (seedAtBoot) await seedDemoContent(strapi);
  } catch (error) {
    await strapi?.destroy().catch(() => undefined);
    await db.drop();
    throw error;
  }

  const app = strapi;
  const http = () => request(app.server.httpServer);
  return {
    strapi: app,
    db,
    http,
    async graphql(query, variables) {
      const response = await http().post('/graphql').send({ query, variables });
      return { status: response.status, body: response.body };
    },
    // The app's own tracking (src/lib/lifecycle/stop.ts), with a shorter silence than a
    // production stop: Strapi's unawaited after-commit queries must not outlive the instance.
    quiet: () => databaseQuiet(app, QUIET),
    async stop({ keepDatabase = false } = {}) {
      await stopStrapi(app, QUIET);
      if (!keepDatabase) await db.drop();
    },
  };
}

/**
 * A database holding the demo content, for a test that runs the app as a separate process: a
 * copy of the run's seeded template, or, in a run without one, seeded by a boot here.
 */
export async function createSeededDatabase(kind: TestDatabaseKind = TEST_DB_KIND): Promise<TestDatabase> {
  const db = await createTestDatabase(kind, 'seeded');
  if (db.start === 'seeded') return db;
  const seeding = await startApp({ database: db, seed: true });
  await seeding.stop({ keepDatabase: true });
  return db;
}
