/**
 * The committed contract (types/contract/) is what the app serves. When a schema, route or
 * GraphQL extension changes the API, this fails until `npm run contract` is run and the diff
 * committed, so every change to the contract, breaking or not, is visible in review.
 */
import fs from 'fs';
import path from 'path';
import { isDeepStrictEqual } from 'util';
import {
  INTROSPECTION_QUERY,
  OPENAPI_FILE,
  SDL_FILE,
  openApiDocument,
  sdlFromIntrospection,
  stableOpenApi,
} from '../../src/lib/contract';
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
