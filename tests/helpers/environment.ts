/**
 * The test environment: jest's Node environment, plus one load of Strapi per worker.
 *
 * Jest evaluates every module again for every test file, in the file's own sandbox. For Strapi
 * that is most of a boot: about 3.3 s per file in the sandbox against about 1 s once its modules
 * are loaded. So the app is loaded with the worker's own `require` (./app.ts asks for it through
 * `hostRequire`): Strapi, its dependencies and the compiled app (dist/) are evaluated once per
 * worker and each test file boots a fresh instance from them, on its own database, as before.
 *
 * What a file could leak to the next through that shared process it shares anyway or is reset
 * here: the app reads its settings from `process.env` at boot, so the sandbox's `process.env`
 * is the worker's own (a file's variables reach the app) and is put back as it was after each
 * file; `strapi`, the global Strapi sets, is the worker's, seen from the sandbox. And
 * `strapi.destroy()` ends with `process.removeAllListeners()`, which in a worker also removes
 * jest's own listeners (its channel to the parent: the worker then exits as if done), so the
 * worker's listeners from before the first test file are put back after any such call. Values
 * cross between the two (a test's `new Date()` in a query the app runs), so the sandbox uses the
 * worker's Date class.
 */
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment as NodeEnvironment } from 'jest-environment-node';

const KEPT = Symbol.for('innovation-hub.tests.worker-listeners');

/** Makes `process.removeAllListeners` keep the listeners the worker had before any test file ran. */
function keepWorkerListeners(): void {
  const worker = process as NodeJS.Process & { [KEPT]?: true };
  if (worker[KEPT]) return;
  worker[KEPT] = true;
  const kept = new Map(process.eventNames().map((name) => [name, process.rawListeners(name) as Array<(...args: unknown[]) => void>]));
  const removeAll = process.removeAllListeners.bind(process);
  process.removeAllListeners = (event?: string | symbol) => {
    removeAll(event);
    for (const [name, listeners] of kept) {
      if (event !== undefined && event !== name) continue;
      for (const listener of listeners) if (!process.rawListeners(name).includes(listener)) process.on(name, listener);
    }
    return process;
  };
}

export default class SharedStrapiEnvironment extends NodeEnvironment {
  private savedEnv: NodeJS.ProcessEnv = {};

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    keepWorkerListeners();
    const sandbox = this.global as typeof this.global & { hostRequire?: NodeJS.Require; Date: DateConstructor };
    sandbox.hostRequire = require;
    sandbox.process.env = process.env;
    // Dates cross between the test's code and the app's (a test's `new Date()` bound in a query):
    // one Date class, the worker's, so the database drivers' `instanceof Date` holds.
    sandbox.Date = Date;
    Object.defineProperty(sandbox, 'strapi', {
      configurable: true,
      get: () => (globalThis as { strapi?: unknown }).strapi,
      set: (value: unknown) => {
        (globalThis as { strapi?: unknown }).strapi = value;
      },
    });
  }

  override async setup(): Promise<void> {
    await super.setup();
    this.savedEnv = { ...process.env };
  }

  override async teardown(): Promise<void> {
    for (const name of Object.keys(process.env)) if (!(name in this.savedEnv)) delete process.env[name];
    Object.assign(process.env, this.savedEnv);
    await super.teardown();
  }
}
