/**
 * Every environment variable the code reads is listed in `.env.example`, and `.env.example`
 * lists nothing the code does not read: an operator learns the app's settings from that file.
 *
 * Found by reading the source as text, so a new variable cannot hide behind a code path the
 * test does not run:
 * - config/**: `env('X')`, `env.int('X')` and the like, and local helpers that take the name
 *   first (`positive('RATE_LIMIT_PUBLIC_POINTS', 600)`): any call whose first argument is an
 *   UPPER_SNAKE string.
 * - config/**, src/**, scripts/** (.js, .mjs): `process.env.X`, `process.env['X']`, and the same
 *   on a name bound to `process.env` (`env: NodeJS.ProcessEnv = process.env`, then `env.X`).
 *   Assignments (`process.env.X = …`, for a child process or for the app a script boots) are
 *   not reads; the right-hand side of one still is.
 * - src/lib/env/secrets.json: the secrets the production check reads by name.
 */
import fs from 'fs';
import path from 'path';
import { SECRET_NAMES } from '../../src/lib/env/secrets';
import { APP_DIR } from '../helpers/paths';

/** Set by Node and the tools, not a setting of ours. */
const NOT_SETTINGS = new Set(['NODE_ENV']);

/** Read by Strapi itself, not by our code: .env.example may list them, the test does not ask for them. */
const READ_BY_STRAPI = new Set(['STRAPI_TELEMETRY_DISABLED', 'STRAPI_DISABLE_UPDATE_NOTIFICATION', 'STRAPI_LICENSE']);

const NAME = '[A-Z][A-Z0-9_]*';

function filesUnder(folder: string, extensions: string[]): string[] {
  const root = path.join(APP_DIR, folder);
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && extensions.some((extension) => entry.name.endsWith(extension)) && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Comments out of the way, so a variable named in prose is neither found nor needed. */
const withoutComments = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

/** `process.env.X` / `process.env['X']` and the same on names bound to process.env, minus assignments. */
function processEnvReads(code: string): string[] {
  const aliases = [...code.matchAll(/\b(\w+)\s*(?::\s*[\w.]+)?\s*=\s*process\.env\b(?!\s*[.[?])/g)].map((match) => match[1]);
  const found: string[] = [];
  for (const object of ['process\\.env', ...aliases]) {
    // `.X` or `['X']` (optional chaining allowed), not followed by a lone `=` (an assignment).
    const access = new RegExp(`\\b${object}\\s*(?:\\??\\.\\s*(${NAME})\\b|(?:\\?\\.)?\\[\\s*['"\`](${NAME})['"\`]\\s*\\])(?!\\s*=(?!=))`, 'g');
    for (const match of code.matchAll(access)) found.push(match[1] ?? match[2]!);
  }
  return found;
}

/** In config/: any call whose first argument is an UPPER_SNAKE string, `env('X', …)` and helpers alike. */
const configCalls = (code: string) => [...code.matchAll(new RegExp(`[\\w$)\\]]\\s*\\(\\s*['"\`](${NAME})['"\`]`, 'g'))].map((match) => match[1]!);

function variablesTheCodeReads(): Map<string, Set<string>> {
  const where = new Map<string, Set<string>>();
  const note = (name: string, file: string) => {
    if (NOT_SETTINGS.has(name)) return;
    if (!where.has(name)) where.set(name, new Set());
    where.get(name)!.add(path.relative(APP_DIR, file));
  };
  for (const file of filesUnder('config', ['.ts'])) {
    const code = withoutComments(fs.readFileSync(file, 'utf8'));
    for (const name of [...configCalls(code), ...processEnvReads(code)]) note(name, file);
  }
  for (const file of [...filesUnder('src', ['.ts']), ...filesUnder('scripts', ['.js', '.mjs'])]) {
    for (const name of processEnvReads(withoutComments(fs.readFileSync(file, 'utf8')))) note(name, file);
  }
  // The production check reads each secret by a name from this list (`env[name]`).
  for (const name of SECRET_NAMES) note(name, path.join(APP_DIR, 'src/lib/env/secrets.json'));
  return where;
}

/** `NAME=…` and commented-out `# NAME=…` lines. */
function variablesTheExampleLists(): Set<string> {
  const text = fs.readFileSync(path.join(APP_DIR, '.env.example'), 'utf8');
  return new Set([...text.matchAll(new RegExp(`^[ \\t]*(?:#[ \\t]*)?(${NAME})=`, 'gm'))].map((match) => match[1]!));
}

it('finds the variables it should (the extraction is not empty-handed)', () => {
  const read = variablesTheCodeReads();
  // One of each kind: env() in config, a helper call in config, process.env in src, an alias in src, a script.
  for (const name of ['DATABASE_URL', 'RATE_LIMIT_PUBLIC_POINTS', 'WEBHOOK_POLL_MS', 'ADMIN_FIRSTNAME', 'BENCH_SECONDS']) {
    expect([name, read.has(name)]).toEqual([name, true]);
  }
  expect(read.has('NODE_ENV')).toBe(false);
});

it('.env.example lists every variable the code reads, and only those', () => {
  const read = variablesTheCodeReads();
  const listed = variablesTheExampleLists();
  const undocumented = [...read.keys()].filter((name) => !listed.has(name)).sort();
  const unread = [...listed].filter((name) => !read.has(name) && !READ_BY_STRAPI.has(name)).sort();
  const problems = [
    ...undocumented.map((name) => `${name} is read (${[...read.get(name)!].join(', ')}) but not listed in .env.example`),
    ...unread.map((name) => `${name} is listed in .env.example but nothing reads it`),
  ];
  expect(problems).toEqual([]);
});
