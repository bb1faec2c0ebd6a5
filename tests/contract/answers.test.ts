/**
 * @jest-environment node
 *
 * (One Strapi in the process, as contract.test.ts explains: the OpenAPI generator names schemas
 * from zod's global registry, which only the first Strapi in a process fills.)
 */
/**
 * The contract says what the API does: real answers and bodies, checked against the schemas of
 * the document /api/openapi.json serves (src/contract/completion.ts) with ajv. Reads in the
 * default shape, with fallback and by slug; partner pushes, single and batch, accepted and
 * refused; error answers of every kind a client meets. A field the API sends that the document
 * does not declare (its document schemas forbid unknown properties) fails here.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { startApp, type TestApp } from '../helpers/app';
import { createPartner, type TestPartner } from '../helpers/partners';
import { someFields } from '../helpers/documents';

interface Document {
  paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: { content: Record<string, { schema: unknown }> } }>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, unknown> };
}

let app: TestApp;
let document: Document;
let partner: TestPartner;
let ajv: Ajv2020;

beforeAll(async () => {
  app = await startApp({ seed: true });
  const articles = app.strapi.documents('api::article.article');
  const danishOnly = await articles.create({ locale: 'da', data: someFields('api::article.article', { title: 'Kun på dansk', lead: 'Endnu ikke oversat' }) });
  await articles.publish({ documentId: danishOnly.documentId, locale: 'da' });
  partner = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
  document = (await app.http().get('/api/openapi.json')).body as Document;
  // strict: false: Strapi's generator writes `$schema` inside schemas and zod's `id`s; both harmless.
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: document.components }, 'openapi');
});
afterAll(async () => {
  await app?.stop();
});

/** A schema of the document, compiled so that its `#/components/…` references resolve. */
function compile(schema: unknown): ValidateFunction {
  const rewritten = JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi#/components/'));
  return ajv.compile(rewritten);
}

function answerSchema(path: string, method: string, status: number): unknown {
  const operation = document.paths[path]?.[method];
  if (!operation) throw new Error(`the document has no ${method.toUpperCase()} ${path}`);
  let response = operation.responses[String(status)] as { $ref?: string; content?: Record<string, { schema: unknown }> } | undefined;
  if (response?.$ref) response = document.components.responses[response.$ref.split('/').pop()!] as typeof response;
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`the document has no JSON answer ${status} for ${method.toUpperCase()} ${path}`);
  return schema;
}

/**
 * What is wrong with an answer: its status if not the expected one, else the ajv errors of its
 * body against what the document says `path` answers with that status.
 */
function mismatches(path: string, method: string, answer: { status: number; body: unknown }, status: number): unknown[] {
  if (answer.status !== status) return [{ status: answer.status, expected: status }];
  const validate = compile(answerSchema(path, method, status));
  return validate(answer.body) ? [] : (validate.errors ?? []);
}

function bodyMismatches(path: string, method: string, body: unknown): ErrorObject[] {
  const schema = document.paths[path]?.[method]?.requestBody?.content['application/json']?.schema;
  if (!schema) throw new Error(`the document has no JSON body for ${method.toUpperCase()} ${path}`);
  const validate = compile(schema);
  return validate(body) ? [] : (validate.errors ?? []);
}

/** JSON pointers of the fields ajv found wrong, as the API names them (`details.errors[].pointer`). */
function pointersOf(errors: ErrorObject[]): string[] {
  // An optional-or-null field's anyOf also reports its null branch and itself: the branch that failed says where.
  const pointers = errors.filter(({ keyword, params }) => keyword !== 'anyOf' && (params as { type?: unknown }).type !== 'null').map(({ instancePath, params }) => {
    const { additionalProperty, missingProperty } = params as { additionalProperty?: string; missingProperty?: string };
    return additionalProperty ?? missingProperty ? `${instancePath}/${additionalProperty ?? missingProperty}` : instancePath;
  });
  return [...new Set(pointers)].sort();
}

const apiPointers = (answer: { body: { error?: { details?: { errors?: Array<{ pointer: string }> } }; data?: unknown } }, errors = answer.body.error?.details?.errors) =>
  (errors ?? []).map((error) => error.pointer).sort();

const debate = (overrides: Record<string, unknown> = {}) => ({
  startsAt: '2024-06-13T14:00',
  endsAt: '2024-06-13T15:00',
  timeZone: 'Europe/Copenhagen',
  venue: { id: 'tent-7', name: 'Telt 7, Kæmpestranden', code: 'T7', city: 'Allinge' },
  organisers: [{ name: 'CO-PI' }],
  participants: [{ id: 'p-41', name: 'Jonas Kirk', organisation: 'COPI', title: 'Projektleder', part: 'moderator' }],
  da: { title: 'Tør vi købe det nye?', summary: 'Debat om innovative indkøb.' },
  en: { title: 'Dare we buy the new?' },
  ...overrides,
});

it('serves the completed document to a GET after a HEAD (the response cache keeps the HEAD\'s answer)', async () => {
  // A query the cache has not seen (beforeAll's GET filled it for the bare URL): the HEAD comes first.
  expect((await app.http().head('/api/openapi.json?head-first')).status).toBe(200);
  const again = await app.http().get('/api/openapi.json?head-first');
  expect(Object.keys(again.body.components.schemas)).toContain('PartnerEvent');
});

describe('public reads', () => {
  it('a list in the default shape, and one with fallbackLocale whose documents say fallback', async () => {
    for (const path of ['/articles', '/events', '/people', '/organisations', '/topics', '/quotes', '/venues']) {
      const answer = await app.http().get(`/api${path}`).query({ locale: 'da' });
      expect({ path, served: answer.body.data?.length > 0 }).toEqual({ path, served: true });
      expect({ path, mismatches: mismatches(path, 'get', answer, 200) }).toEqual({ path, mismatches: [] });
    }
    const withFallback = await app.http().get('/api/articles').query({ locale: 'en', fallbackLocale: 'da' });
    expect(withFallback.body.data.some((article: { fallback?: boolean }) => article.fallback === true)).toBe(true);
    expect(mismatches('/articles', 'get', withFallback, 200)).toEqual([]);
  });

  it('each slugged type\'s document by slug (with meta.slug) and by documentId, in both locales', async () => {
    for (const type of ['articles', 'events', 'people', 'organisations', 'topics']) {
      for (const locale of ['da', 'en']) {
        const list = (await app.http().get(`/api/${type}`).query({ locale })).body.data as Array<{ slug: string; documentId: string }>;
        expect({ type, locale, served: list.length > 0 }).toEqual({ type, locale, served: true });
        const bySlug = await app.http().get(`/api/${type}/slug/${list[0]!.slug}`).query({ locale });
        expect(bySlug.status).toBe(200);
        expect(bySlug.body.meta.slug).toMatchObject({ requested: list[0]!.slug, moved: false });
        expect({ type, locale, mismatches: mismatches(`/${type}/slug/{slug}`, 'get', bySlug, 200) }).toEqual({ type, locale, mismatches: [] });
        const byId = await app.http().get(`/api/${type}/${list[0]!.documentId}`).query({ locale });
        expect({ type, locale, mismatches: mismatches(`/${type}/{id}`, 'get', byId, 200) }).toEqual({ type, locale, mismatches: [] });
      }
    }
  });

  it('calendars and JSON-LD in the media types the document names, and the JSON-LD in its schema', async () => {
    const event = (await app.http().get('/api/events').query({ locale: 'da' })).body.data[0] as { documentId: string };
    const cases: Array<[string, string]> = [
      ['/events.ics', '/api/events.ics?locale=en'],
      ['/events/{documentId}/calendar.ics', `/api/events/${event.documentId}/calendar.ics`],
      ['/events/{documentId}/json-ld', `/api/events/${event.documentId}/json-ld?locale=da`],
    ];
    for (const [path, url] of cases) {
      const answer = await app.http().get(url).buffer(true);
      const documented = Object.keys((document.paths[path]!.get!.responses['200'] as { content: object }).content);
      expect({ url, status: answer.status, type: answer.type }).toEqual({ url, status: 200, type: documented[0] });
      if (answer.type === 'application/ld+json') {
        const validate = compile((document.paths[path]!.get!.responses['200'] as { content: Record<string, { schema: unknown }> }).content[answer.type]!.schema);
        expect(validate(JSON.parse(answer.text))).toBe(true);
      }
    }
  });

  it('error answers: an unknown slug or event (404), a bad fallbackLocale, when, feed limit or calendar filter (400)', async () => {
    const cases: Array<[string, string, Record<string, string>, number]> = [
      ['/articles/slug/{slug}', '/api/articles/slug/findes-ikke', {}, 404],
      ['/articles', '/api/articles', { fallbackLocale: 'sv' }, 400],
      ['/events', '/api/events', { when: 'soon' }, 400],
      ['/sync', '/api/sync', { limit: '0' }, 400],
      ['/events.ics', '/api/events.ics', { festival: 'findes-ikke' }, 400],
      ['/events/{documentId}/json-ld', '/api/events/findes-ikke/json-ld', {}, 404],
    ];
    for (const [path, url, query, status] of cases) {
      const answer = await app.http().get(url).query(query);
      expect({ url, status: answer.status }).toEqual({ url, status });
      expect({ url, mismatches: mismatches(path, 'get', answer, status) }).toEqual({ url, mismatches: [] });
    }
  });
});

describe('the partner API', () => {
  const put = (externalId: string, body: unknown) =>
    app.http().put(`/api/partner/events/${externalId}`).set('Authorization', partner.auth).send(body as object);

  it('a pushed event is a body the document allows, and every answer to it is one it describes', async () => {
    const body = debate();
    expect(bodyMismatches('/partner/events/{externalId}', 'put', body)).toEqual([]);
    const created = await put('fm24-101', body);
    expect(created.status).toBe(201);
    expect(mismatches('/partner/events/{externalId}', 'put', created, 201)).toEqual([]);
    const unchanged = await put('fm24-101', body);
    expect(unchanged.status).toBe(200);
    expect(mismatches('/partner/events/{externalId}', 'put', unchanged, 200)).toEqual([]);
    const read = await app.http().get('/api/partner/events/fm24-101').set('Authorization', partner.auth);
    expect(mismatches('/partner/events/{externalId}', 'get', read, 200)).toEqual([]);
    const stale = await put('fm24-101', debate({ kind: 'conference' })).set('If-Match', '"0-stale"');
    expect(stale.status).toBe(412);
    expect(mismatches('/partner/events/{externalId}', 'put', stale, 412)).toEqual([]);
    const withdrawn = await app.http().delete('/api/partner/events/fm24-101').set('Authorization', partner.auth);
    expect(withdrawn.status).toBe(200);
    expect(mismatches('/partner/events/{externalId}', 'delete', withdrawn, 200)).toEqual([]);
  });

  it('a body the API refuses for its shape is one the document refuses too, and the 400 is described', async () => {
    const bad = debate({ kind: 'picnic', da: { summary: 'no title' }, colour: 'red', startsAt: 'tomorrow' });
    const refused = await put('fm24-102', bad);
    expect(refused.status).toBe(400);
    expect(apiPointers(refused)).toEqual(['/colour', '/da/title', '/kind', '/startsAt']);
    // The document finds the same fields wrong (a date-time by its pattern).
    expect(pointersOf(bodyMismatches('/partner/events/{externalId}', 'put', bad))).toEqual(apiPointers(refused));
    expect(mismatches('/partner/events/{externalId}', 'put', refused, 400)).toEqual([]);
    const unauthorised = await app.http().put('/api/partner/events/fm24-102').send(debate());
    expect(unauthorised.status).toBe(401);
    expect(mismatches('/partner/events/{externalId}', 'put', unauthorised, 401)).toEqual([]);
  });

  it('a batch body and its answer, with one refused item, match the document', async () => {
    const good = { externalId: 'fm24-201', ...debate({ startsAt: '2024-06-14T10:00', endsAt: undefined }) };
    const bad = { externalId: 'fm24-202', ...debate({ startsAt: 'tomorrow', endsAt: undefined }) };
    const sent = JSON.parse(JSON.stringify({ events: [good, bad] }));
    const answer = await app.http().post('/api/partner/events/batch').set('Authorization', partner.auth).send(sent);
    expect(answer.status).toBe(200);
    expect(answer.body.meta).toMatchObject({ created: 1, failed: 1 });
    expect(mismatches('/partner/events/batch', 'post', answer, 200)).toEqual([]);
    // The document allows the good item and refuses the bad one where the API did.
    expect(pointersOf(bodyMismatches('/partner/events/batch', 'post', sent))).toEqual(apiPointers(answer, answer.body.data[1].errors));
    expect(apiPointers(answer, answer.body.data[1].errors)).toEqual(['/events/1/startsAt']);
    expect(bodyMismatches('/partner/events/batch', 'post', { events: [debate()] })).not.toEqual([]); // no externalId
  });
});

describe('a partner\'s own details and webhook subscriptions', () => {
  const asPartner = (request: ReturnType<ReturnType<TestApp['http']>['get']>) => request.set('Authorization', partner.auth);

  it('/partner/me, and a subscription created, listed, rotated and deleted, as the document says', async () => {
    const me = await asPartner(app.http().get('/api/partner/me'));
    expect(me.body.data.key).toBe('folkemoedet');
    expect(mismatches('/partner/me', 'get', me, 200)).toEqual([]);
    const body = { url: 'https://partner.example.org/hooks', eventTypes: ['entry.published', 'entry.deleted'], locales: ['da'] };
    expect(bodyMismatches('/partner/webhooks', 'post', body)).toEqual([]);
    const created = await asPartner(app.http().post('/api/partner/webhooks')).send(body);
    expect(created.status).toBe(201);
    expect(mismatches('/partner/webhooks', 'post', created, 201)).toEqual([]);
    const listed = await asPartner(app.http().get('/api/partner/webhooks'));
    expect(listed.body.data).toHaveLength(1);
    expect(mismatches('/partner/webhooks', 'get', listed, 200)).toEqual([]);
    const rotation = { graceSeconds: 3600 };
    expect(bodyMismatches('/partner/webhooks/{id}/rotate-secret', 'post', rotation)).toEqual([]);
    const rotated = await asPartner(app.http().post(`/api/partner/webhooks/${created.body.data.id}/rotate-secret`)).send(rotation);
    expect(rotated.status).toBe(200);
    expect(rotated.body.data.secrets).toHaveLength(2); // the old secret, now with expiresAt, and the new one
    expect(mismatches('/partner/webhooks/{id}/rotate-secret', 'post', rotated, 200)).toEqual([]);
    const deleted = await asPartner(app.http().delete(`/api/partner/webhooks/${created.body.data.id}`));
    expect(deleted.status).toBe(204);
    expect(Object.keys((document.paths['/partner/webhooks/{id}']!.delete!.responses['204'] as object) ?? {})).toEqual(['description']);
  });

  it('a subscription the API refuses for its shape is one the document refuses too, and the 400 is described', async () => {
    const bad = { url: 'ftp://partner.example.org/hooks', eventTypes: ['entry.nope'] };
    const refused = await asPartner(app.http().post('/api/partner/webhooks')).send(bad);
    expect(refused.status).toBe(400);
    expect(apiPointers(refused)).toEqual(['/eventTypes/0', '/url']);
    expect(pointersOf(bodyMismatches('/partner/webhooks', 'post', bad))).toEqual(apiPointers(refused));
    expect(mismatches('/partner/webhooks', 'post', refused, 400)).toEqual([]);
  });
});

describe('the change feed', () => {
  /** Reads the feed from `cursor` to its end, checking every page; the items and the last cursor. */
  async function readFeed(cursor?: string): Promise<{ items: Array<{ action: string; entry: unknown }>; cursor: string }> {
    const items = [];
    for (let page = 0; page < 100; page++) {
      const answer = await app.http().get('/api/sync').query({ limit: '50', ...(cursor ? { cursor } : {}) });
      expect(answer.status).toBe(200);
      expect({ page, mismatches: mismatches('/sync', 'get', answer, 200) }).toEqual({ page, mismatches: [] });
      items.push(...answer.body.data);
      cursor = answer.body.meta.nextCursor as string;
      if (!answer.body.meta.hasMore) return { items, cursor };
    }
    throw new Error('the feed did not end in 100 pages');
  }

  it('every page of a full listing and of the changes after it is one the document describes', async () => {
    const listing = await readFeed();
    expect(listing.items.length).toBeGreaterThan(0);
    expect(new Set(listing.items.map((item) => item.action))).toEqual(new Set(['current']));
    const put = (externalId: string, startsAt: string) =>
      app.http().put(`/api/partner/events/${externalId}`).set('Authorization', partner.auth).send(debate({ startsAt, endsAt: undefined }));
    const kept = await put('fm24-301', '2024-06-15T10:00');
    const withdrawn = await put('fm24-302', '2024-06-15T11:00');
    expect([kept.status, withdrawn.status]).toEqual([201, 201]);
    expect((await app.http().delete('/api/partner/events/fm24-302').set('Authorization', partner.auth)).status).toBe(200);
    const changes = (await readFeed(listing.cursor)).items as Array<{ action: string; documentId: string; entry: unknown }>;
    // The feed gives each document's latest change: the kept event with its entry, the withdrawn one as a tombstone.
    const latest = (documentId: string) => changes.filter((item) => item.documentId === documentId).map((item) => [item.action, item.entry === null]);
    expect(latest(kept.body.data.documentId)).toContainEqual(['published', false]);
    expect(latest(withdrawn.body.data.documentId)).toContainEqual([expect.stringMatching(/^(deleted|unpublished)$/), true]);
  });
});
