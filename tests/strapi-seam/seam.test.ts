/**
 * The seam (src/strapi-seam/, issue 25 part 1): every reach into Strapi's internals is one
 * listed patch whose guard checks its target at boot. The real app boots with every patch in
 * place; each guard, handed a target of another shape (a fake: what an upgrade could make of
 * it), throws a SeamError naming the patch and the Strapi version, and leaves the target as it
 * was. Nothing outside src/strapi-seam/ reaches in again, and docs/upgrading-strapi.md lists
 * every patch.
 */
import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PATCHES, SeamError, installedPatches, strapiVersion } from '../../src/strapi-seam';
import { wrapAuthenticate } from '../../src/strapi-seam/auth-authenticate';
import { checkDbMetadata } from '../../src/strapi-seam/db-metadata';
import { wrapEntityManagerLoad } from '../../src/strapi-seam/entity-manager-load';
import { checkHttpRequestListener } from '../../src/strapi-seam/http-request-listener';
import { checkKnexTransaction, wrapTransactionCommits } from '../../src/strapi-seam/knex-transaction';
import { wrapGetPreviewUrl } from '../../src/strapi-seam/preview-url';
import { checkQueryParamsAndSanitizers } from '../../src/strapi-seam/query-params-and-sanitizers';
import { checkQueryRootAlias } from '../../src/strapi-seam/query-root-alias';
import { beforeSchemaSync } from '../../src/strapi-seam/schema-sync-hook';
import { checkCountingQueryBuilder, wrapEntityManagerCount } from '../../src/strapi-seam/entity-manager-count';
import { checkListingQueryBuilder, wrapEntityManagerFindMany } from '../../src/strapi-seam/entity-manager-find-many';
import { leaveOutOfSearch } from '../../src/strapi-seam/search-columns';
import { checkSignalHandlers } from '../../src/strapi-seam/signal-handlers';
import { wrapGenerateUIDField } from '../../src/strapi-seam/uid-generate-field';
import { checkWebhookRunner, webhookEvents } from '../../src/strapi-seam/webhook-runner';
import { startApp, type TestApp } from '../helpers/app';
import { APP_DIR } from '../helpers/paths';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

const PINNED = (JSON.parse(readFileSync(path.join(APP_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['@strapi/strapi'];

/** Runs `guard`; expects the SeamError of `patch`, naming it and the running Strapi's version. */
function expectSeamError(patch: string, guard: () => unknown, found?: RegExp): SeamError {
  let thrown: unknown;
  try {
    guard();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(SeamError);
  const error = thrown as SeamError;
  expect(error.patch).toBe(patch);
  expect(error.strapiVersion).toBe(PINNED);
  expect(error.message).toContain(`Strapi seam "${patch}"`);
  expect(error.message).toContain(`Strapi ${PINNED}`);
  expect(error.message).toContain(`src/strapi-seam/${patch}.ts`);
  if (found) expect(error.found).toMatch(found);
  return error;
}

const never = () => {
  throw new Error('the replacement was made although the guard failed');
};

describe('the real app', () => {
  it('runs the pinned Strapi, and the seam reads its version', () => {
    expect(strapiVersion(app.strapi)).toBe(PINNED);
  });

  it('boots with every listed patch checked and in place', () => {
    expect([...installedPatches(app.strapi)].sort()).toEqual(PATCHES.map((patch) => patch.name).sort());
  });

  it('lists one file per patch in src/strapi-seam/, and no file that is not a listed patch', () => {
    const files = readdirSync(path.join(APP_DIR, 'src', 'strapi-seam')).filter((name) => !['index.ts', 'seam.ts'].includes(name));
    expect(files.sort()).toEqual(PATCHES.map((patch) => `${patch.name}.ts`).sort());
  });

  it('still passes the read-only guards on the running instance (they hold after boot)', () => {
    expect(() => checkDbMetadata(app.strapi)).not.toThrow();
    expect(() => checkQueryParamsAndSanitizers(app.strapi)).not.toThrow();
    expect(() => checkKnexTransaction(app.strapi, app.strapi.db.connection)).not.toThrow();
    expect(() => checkWebhookRunner(app.strapi)).not.toThrow();
    expect(() => checkQueryRootAlias(app.strapi)).not.toThrow();
  });
});

describe('each guard fires on a changed target', () => {
  it('signal-handlers: no "terminateStrapi" among the SIGTERM listeners', () => {
    expectSeamError('signal-handlers', () => checkSignalHandlers(app.strapi, () => [function shutdownSomehow() {}]), /shutdownSomehow/);
    expectSeamError('signal-handlers', () => checkSignalHandlers(app.strapi, () => []), /none/);
  });

  it('knex-transaction: knex without transaction, a fixed property, or a context transaction of another arity', () => {
    const wrap = () => never;
    expectSeamError('knex-transaction', () => wrapTransactionCommits(app.strapi, {}, wrap), /undefined/);
    const fixed = Object.defineProperty({ context: { transaction: (_a: unknown, _b: unknown) => undefined } }, 'transaction', {
      value: () => undefined,
      configurable: false,
    });
    expectSeamError('knex-transaction', () => wrapTransactionCommits(app.strapi, fixed, wrap), /not configurable/);
    const reshaped = { transaction: () => undefined, context: { transaction: (_a: unknown, _b: unknown, _c: unknown) => undefined } };
    const original = reshaped.transaction;
    expectSeamError('knex-transaction', () => wrapTransactionCommits(app.strapi, reshaped, wrap), /3 parameter/);
    expect(reshaped.transaction).toBe(original);
  });

  it('auth-authenticate: an auth service without authenticate(ctx, next)', () => {
    expectSeamError('auth-authenticate', () => wrapAuthenticate(app.strapi, never, {}), /undefined/);
    const auth = { authenticate: async (_ctx: unknown) => undefined };
    const original = auth.authenticate;
    expectSeamError('auth-authenticate', () => wrapAuthenticate(app.strapi, never, auth), /1 parameter/);
    expect(auth.authenticate).toBe(original);
  });

  it('entity-manager-load: load of another arity, or no findMany', () => {
    const findMany = async (_uid: unknown, _params: unknown) => [];
    const reshaped = { load: async (_a: unknown, _b: unknown, _c: unknown) => undefined, findMany };
    const original = reshaped.load;
    expectSeamError('entity-manager-load', () => wrapEntityManagerLoad(app.strapi, never, reshaped), /3 parameter/);
    expect(reshaped.load).toBe(original);
    expectSeamError('entity-manager-load', () => wrapEntityManagerLoad(app.strapi, never, { load: reshaped.load }), /findMany is undefined/);
  });

  it('entity-manager-count: count of another arity, no createQueryBuilder, or a builder without init/getKnexQuery', () => {
    const reshaped = { count: async (_uid: unknown, _params: unknown) => 0, createQueryBuilder: (_uid: unknown) => ({}) };
    const original = reshaped.count;
    expectSeamError('entity-manager-count', () => wrapEntityManagerCount(app.strapi, never, reshaped), /2 parameter/);
    expect(reshaped.count).toBe(original);
    expectSeamError('entity-manager-count', () => wrapEntityManagerCount(app.strapi, never, { count: async (_uid: unknown) => 0 }), /createQueryBuilder is undefined/);
    expectSeamError('entity-manager-count', () => checkCountingQueryBuilder(app.strapi, { init: () => ({}) }), /getKnexQuery is undefined/);
  });

  it('entity-manager-find-many: findMany of another arity, no createQueryBuilder, or a builder without init/execute', () => {
    const reshaped = { findMany: async (_uid: unknown) => [], createQueryBuilder: (_uid: unknown) => ({}) };
    const original = reshaped.findMany;
    expectSeamError('entity-manager-find-many', () => wrapEntityManagerFindMany(app.strapi, never, reshaped), /1 parameter/);
    expect(reshaped.findMany).toBe(original);
    expectSeamError('entity-manager-find-many', () => wrapEntityManagerFindMany(app.strapi, never, { findMany: async (_uid: unknown, _params: unknown) => [] }), /createQueryBuilder is undefined/);
    expectSeamError('entity-manager-find-many', () => checkListingQueryBuilder(app.strapi, { init: () => ({}) }), /execute is undefined/);
  });

  it('query-root-alias: a query builder that names its table otherwise', () => {
    expectSeamError('query-root-alias', () => checkQueryRootAlias(app.strapi, { alias: 'a0' }), /"a0"/);
    expectSeamError('query-root-alias', () => checkQueryRootAlias(app.strapi, {}), /undefined/);
  });

  it('uid-generate-field: generateUIDField taking positional arguments, or gone', () => {
    const service = { generateUIDField: async (_uid: unknown, _field: unknown) => 'slug' };
    const original = service.generateUIDField;
    expectSeamError('uid-generate-field', () => wrapGenerateUIDField(app.strapi, never, service), /2 parameter/);
    expect(service.generateUIDField).toBe(original);
    expectSeamError('uid-generate-field', () => wrapGenerateUIDField(app.strapi, never, null), /null/);
  });

  it('preview-url: a preview service without getPreviewUrl', () => {
    expectSeamError('preview-url', () => wrapGetPreviewUrl(app.strapi, never, { getPreviewURL: async () => null }), /undefined/);
  });

  it('schema-sync-hook: no hook of that name, or one without register', () => {
    const handler = async () => undefined;
    expectSeamError('schema-sync-hook', () => beforeSchemaSync(app.strapi, handler, () => undefined), /undefined/);
    expectSeamError('schema-sync-hook', () => beforeSchemaSync(app.strapi, handler, () => ({ call: () => undefined })), /an object/);
    expectSeamError('schema-sync-hook', () => beforeSchemaSync(app.strapi, handler, () => { throw new Error('Could not find hook'); }), /Could not find hook/);
  });

  it('db-metadata: metadata that is not a Map, or entries of another shape', () => {
    expectSeamError('db-metadata', () => checkDbMetadata(app.strapi, { get: () => undefined }), /an object/);
    expectSeamError('db-metadata', () => checkDbMetadata(app.strapi, new Map([['api::x.x', { uid: 'api::x.x', attributes: {} }]])), /api::x\.x/);
    expectSeamError('db-metadata', () => checkDbMetadata(app.strapi, new Map()), /no entries/);
  });

  it('search-columns: a type without a locale attribute, or one that is not a string; nothing is marked then', () => {
    const article = { attributes: { title: { type: 'string' } as { type: string; searchable?: boolean }, locale: { type: 'string' } as { type: string; searchable?: boolean } } };
    const withoutLocale = { attributes: { title: { type: 'string' } } };
    const metadata = (uid: string) => (uid === 'api::article.article' ? article : uid === 'api::odd.odd' ? { attributes: { locale: { type: 'relation' } } } : withoutLocale);
    expect(expectSeamError('search-columns', () => leaveOutOfSearch(app.strapi, ['api::article.article', 'api::plain.plain'], 'locale', metadata), /undefined/).expected).toContain('api::plain.plain');
    expectSeamError('search-columns', () => leaveOutOfSearch(app.strapi, ['api::article.article', 'api::odd.odd'], 'locale', metadata), /of type relation/);
    expect(article.attributes.locale.searchable).toBeUndefined();
    leaveOutOfSearch(app.strapi, ['api::article.article'], 'locale', metadata);
    expect(article.attributes.locale.searchable).toBe(false);
    expect(article.attributes.title.searchable).toBeUndefined();
  });

  it('query-params-and-sanitizers: transform of another arity, or a sanitizer registry without the output list', () => {
    expectSeamError('query-params-and-sanitizers', () => checkQueryParamsAndSanitizers(app.strapi, { transform: (_params: unknown) => ({}) }), /1 parameter/);
    expectSeamError('query-params-and-sanitizers', () => checkQueryParamsAndSanitizers(app.strapi, app.strapi.get('query-params'), { get: () => undefined }), /undefined/);
    expectSeamError('query-params-and-sanitizers', () => checkQueryParamsAndSanitizers(app.strapi, app.strapi.get('query-params'), null), /null/);
  });

  it('webhook-runner: a runner without its webhooksMap, or one of another shape; only enabled webhooks count', () => {
    expectSeamError('webhook-runner', () => checkWebhookRunner(app.strapi, {}), /undefined/);
    expectSeamError('webhook-runner', () => checkWebhookRunner(app.strapi, { webhooksMap: {} }), /an object/);
    expectSeamError('webhook-runner', () => checkWebhookRunner(app.strapi, { webhooksMap: new Map([['entry.publish', { url: 'x' }]]) }), /entry\.publish/);
    expectSeamError('webhook-runner', () => checkWebhookRunner(app.strapi, null), /null/);
    const runner = { webhooksMap: new Map([['entry.publish', [{ isEnabled: false }, { isEnabled: true }]], ['entry.create', [{ isEnabled: false }]]]) };
    expect([...webhookEvents(app.strapi, runner)]).toEqual(['entry.publish']);
  });

  it("http-request-listener: a server whose first 'request' listener is not Strapi's handleRequest", () => {
    const server = new EventEmitter();
    expectSeamError('http-request-listener', () => checkHttpRequestListener(app.strapi, server), /undefined/);
    server.on('request', (_request: unknown, _response: unknown) => undefined);
    expectSeamError('http-request-listener', () => checkHttpRequestListener(app.strapi, server), /0 parameter|2 parameter/);
    expectSeamError('http-request-listener', () => checkHttpRequestListener(app.strapi, {}), /an object/);
  });
});

/** Ways of reaching into Strapi that belong in src/strapi-seam/ only. */
const REACH_INS: Array<[string, RegExp]> = [
  ['a replaced entity manager load', /\.load\s*=[^=>]/],
  ['a replaced authenticate', /\.authenticate\s*=[^=>]/],
  ['a replaced generateUIDField', /generateUIDField\s*=[^=>]/],
  ['a replaced getPreviewUrl', /getPreviewUrl\s*=[^=>]/],
  ["the HTTP server's request listeners", /listeners\(\s*['"]request['"]\s*\)/],
  ["Strapi's signal handler", /terminateStrapi/],
  ['a redefined knex transaction', /defineProperty\([^)]*['"]transaction['"]|\.transaction\s*=[^=>]/],
  ['the database metadata as a Map', /metadata\s+as\s+unknown\s+as\s+Map|metadata\s*\)?\s*\.(values|entries|keys|forEach)\(/],
  ["Strapi's query-params service", /get\(\s*['"]query-params['"]\s*\)/],
  // `sanitize.sanitizers` is @strapi/utils' public namespace, not the registry.
  ["Strapi's sanitizer registry", /(?<!\bsanitize)\.sanitizers\b/],
  ["the webhook runner's registry", /webhooksMap/],
  ["Strapi's lifecycle hooks", /\.hook\(\s*['"]strapi::/],
  ["an attribute's searchable flag", /\.searchable\s*=[^=>]/],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === path.join(APP_DIR, 'src', 'strapi-seam') ? [] : sourceFiles(full);
    return /\.(ts|js)$/.test(entry.name) ? [full] : [];
  });
}

it('nothing outside src/strapi-seam/ reaches into those Strapi internals', () => {
  const found: string[] = [];
  for (const file of sourceFiles(path.join(APP_DIR, 'src'))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      for (const [what, pattern] of REACH_INS) {
        if (pattern.test(line)) found.push(`${path.relative(APP_DIR, file)}:${index + 1}: ${what} (move it to src/strapi-seam/)`);
      }
    });
  }
  expect(found).toEqual([]);
});

it('docs/upgrading-strapi.md lists every patch with its file', () => {
  const doc = readFileSync(path.join(APP_DIR, 'docs', 'upgrading-strapi.md'), 'utf8');
  expect(PATCHES.filter((patch) => !doc.includes(`src/strapi-seam/${patch.name}.ts`)).map((patch) => patch.name)).toEqual([]);
});
