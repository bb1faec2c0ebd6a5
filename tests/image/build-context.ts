/**
 * Stands in for `docker build`'s build stage without a Docker engine: copies the build context
 * (the worktree minus .dockerignore) into a folder, adds node_modules, runs `npm run build` and
 * `npm prune --omit=dev` there, as the Dockerfile's build stage does.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';

/** .dockerignore's rules as far as this repository uses them: `*`, `**`, `!` exceptions, last match wins. */
export function dockerignore(text: string): (relative: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = path.posix.normalize((negated ? line.slice(1) : line).replace(/^\/+/, '')).replace(/\/+$/, '');
      const source = pattern
        .split(/(\*\*|\*|\?)/)
        .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('');
      // A matched folder takes everything under it with it.
      return { negated, regex: new RegExp(`^${source}(/.*)?$`) };
    });
  return (relative) => {
    let ignored = false;
    for (const rule of rules) if (rule.regex.test(relative)) ignored = !rule.negated;
    return ignored;
  };
}

/** Copies `appDir` into `target` as `COPY . .` would see it. */
export function copyBuildContext(appDir: string, target: string): void {
  const ignoreFile = path.join(appDir, '.dockerignore');
  const ignored = dockerignore(fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, 'utf8') : '');
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(appDir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (ignored(child)) continue;
      const to = path.join(target, child);
      if (entry.isDirectory()) {
        fs.mkdirSync(to, { recursive: true });
        walk(child);
      } else {
        fs.cpSync(path.join(appDir, child), to, { verbatimSymlinks: true });
      }
    }
  };
  fs.mkdirSync(target, { recursive: true });
  walk('');
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): void {
  try {
    execFileSync(command, args, { cwd, env, stdio: 'pipe', maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${`${stdout ?? ''}\n${stderr ?? ''}`.slice(-6000)}`);
  }
}

/**
 * The build stage in `buildDir`. `npm ci` is replaced by a copy of the installed node_modules
 * (same lock file; the registry is not reachable from every test run), which the prune then
 * trims offline exactly as in the image.
 */
export function buildLikeTheImage(appDir: string, buildDir: string): void {
  copyBuildContext(appDir, buildDir);
  // node_modules may be a symlink (as in this worktree): copy what it points at.
  linkNodeModules(fs.realpathSync(path.join(appDir, 'node_modules')), path.join(buildDir, 'node_modules'));
  // As in the Dockerfile: built without NODE_ENV=production (no secrets at build time).
  const env: NodeJS.ProcessEnv = { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true' };
  delete env.NODE_ENV;
  // Nor the tests' code cache (tests/helpers/global-setup.ts): it is keyed by each file's path,
  // and this build's node_modules is in a new folder each run, so it would only add entries.
  delete env.NODE_COMPILE_CACHE;
  run('npm', ['run', 'build'], buildDir, env);
  run('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund', '--offline'], buildDir, env);
}

/**
 * The installed node_modules as the build stage's own: hard links (a copy of 900 MB took ~30 s of
 * the test; links take ~3 s), so the build and the prune must not write into a file they share
 * with the worktree. The prune only unlinks, and the build writes new files, except in the files
 * that are rewritten in place: npm's hidden lock file and the build tools' caches, which get
 * copies of their own or none.
 */
function linkNodeModules(from: string, to: string): void {
  run('cp', ['-al', `${from}/.`, to], path.dirname(to), process.env);
  for (const cache of ['.cache', '.strapi', '.vite']) fs.rmSync(path.join(to, cache), { recursive: true, force: true });
  const hiddenLock = path.join(to, '.package-lock.json');
  if (fs.existsSync(hiddenLock)) {
    fs.rmSync(hiddenLock);
    fs.copyFileSync(path.join(from, '.package-lock.json'), hiddenLock);
  }
}
