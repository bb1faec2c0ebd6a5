/**
 * @jest-environment node
 *
 * jest's plain Node environment, not the shared Strapi load (tests/helpers/environment.ts): the
 * OpenAPI generator names schemas from zod's global registry, which only the first Strapi in a
 * process fills (a later one's document has `schema0`… instead of `ApiArticleArticleDocument`);
 * production boots one Strapi per process, so this file does too.
 */
/**
 * The committed contract (types/contract/) is what the app serves. When a schema, route or
 * GraphQL extension changes the API, this fails until `npm run contract` is run and the diff
 * committed, so every change to the contract, breaking or not, is visible in review. The typed
 * front-end client generated from it (types/client/) must be regenerated with it.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { isDeepStrictEqual } from 'util';
import {
  INTROSPECTION_QUERY,
  OPENAPI_FILE,
  SDL_FILE,
  openApiDocument,
  sdlFromIntrospection,
  stableOpenApi,
} from '../../src/contract';
import { startApp, type TestApp } from '../helpers/app';
import { APP_DIR } from '../helpers/paths';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

const committed = (file: string) => fs.readFileSync(path.join(APP_DIR, file), 'utf8');
const REGENERATE = 'the API changed: run `npm run contract` and commit types/contract/';

it('serves the REST OpenAPI document publicly at /api/openapi.json, equal to the committed one', async () => {
  const response = await app.http().get('/api/openapi.json');
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toMatch(/application\/json/);
  const served = stableOpenApi(response.body);
  expect(served).toEqual(stableOpenApi(openApiDocument(app.strapi)));
  // A readable failure: the message says what to do.
  if (!isDeepStrictEqual(served, JSON.parse(committed(OPENAPI_FILE)))) {
    throw new Error(`${OPENAPI_FILE} is out of date: ${REGENERATE}`);
  }
});

it('documents the slug routes and the public collections', async () => {
  const document = JSON.parse(committed(OPENAPI_FILE)) as { paths: Record<string, unknown> };
  for (const route of ['/articles', '/articles/{id}', '/articles/slug/{slug}', '/events/slug/{slug}', '/people/slug/{slug}']) {
    expect(Object.keys(document.paths)).toContain(route);
  }
});

it('serves the GraphQL schema by introspection outside production, equal to the committed SDL', async () => {
  const { status, body } = await app.graphql(INTROSPECTION_QUERY);
  expect(status).toBe(200);
  const sdl = sdlFromIntrospection(body.data);
  expect(sdl).toContain('articleBySlug(');
  if (sdl !== committed(SDL_FILE)) throw new Error(`${SDL_FILE} is out of date: ${REGENERATE}`);
});

it('has the typed front-end client in types/client/ generated from the committed contract', () => {
  // Regenerated offline from the committed files (no second boot) into a temporary folder.
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-'));
  try {
    execFileSync(process.execPath, [path.join(APP_DIR, 'scripts', 'client.js'), outDir], { cwd: APP_DIR, stdio: 'pipe' });
    const generated = fs.readdirSync(outDir).sort();
    expect(generated).toEqual(['graphql.ts', 'openapi.ts']);
    for (const name of generated) {
      const file = path.join('types', 'client', name);
      if (fs.readFileSync(path.join(outDir, name), 'utf8') !== committed(file)) {
        throw new Error(`${file} is out of date with types/contract/ or types/client/documents/: run \`npm run contract\` and commit types/client/`);
      }
    }
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
});
