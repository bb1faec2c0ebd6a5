/**
 * Before any test file: compiles the app (TypeScript -> dist/) once, then builds this run's
 * database templates (./templates.ts) from that build.
 */
import { existsSync, readdirSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { compileStrapi } from '@strapi/strapi';
import { APP_DIR, DIST_DIR } from './paths';
import { buildTemplates } from './templates';

/**
 * Deletes compiled files whose source is gone. The compile is incremental and never deletes, so
 * after a module moves its old .js would still load (a test asking for it by its old path would
 * pass here and fail on a fresh clone).
 */
function pruneStaleOutput(): void {
  for (const folder of ['src', 'config', 'database']) {
    const root = path.join(DIST_DIR, folder);
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
      const compiled = path.join(entry.parentPath, entry.name);
      const source = path.join(APP_DIR, path.relative(DIST_DIR, compiled)).replace(/\.js$/, '');
      if (['.ts', '.tsx', '.js'].some((extension) => existsSync(source + extension))) continue;
      for (const output of [compiled, `${compiled}.map`, compiled.replace(/\.js$/, '.d.ts')]) rmSync(output, { force: true });
    }
    removeEmptyFolders(root);
  }
}

/** Folders left empty by the pruning (Strapi reads src/api/<name>/ folders as APIs). */
function removeEmptyFolders(folder: string): boolean {
  const entries = readdirSync(folder, { withFileTypes: true });
  const left = entries.filter((entry) => !(entry.isDirectory() && removeEmptyFolders(path.join(folder, entry.name))));
  if (left.length > 0) return false;
  rmSync(folder, { recursive: true });
  return true;
}

export default async function globalSetup(): Promise<void> {
  // Once, at the start: which runtime and database this run tests.
  process.stdout.write(`\ntests: Node ${process.version}, database ${process.env.TEST_DB === 'postgres' ? 'PostgreSQL' : 'SQLite'}\n`);
  // Node's on-disk code cache for every process started from here on (the workers, and the npm
  // scripts and `strapi start` instances the tests start), in the folder Node's own
  // module.enableCompileCache() uses. Compiling Strapi's modules is a large part of a process's
  // boot: `npm run sync:compact` took 4.9 s with a cold cache and 3.8 s with a warm one. The
  // cache is keyed by each file's contents, so it changes nothing but the time; the image test
  // runs its app with a container's environment, without it.
  process.env.NODE_COMPILE_CACHE ??= path.join(os.tmpdir(), 'node-compile-cache');
  await compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: false });
  pruneStaleOutput();
  await buildTemplates();
}
