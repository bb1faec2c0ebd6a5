/**
 * The fast path for default-shape reads (src/lib/shapes/default-shape-reads.ts) answers exactly
 * what Strapi's own validation and sanitising answer, on data with drafts and private fields:
 * - over HTTP, every default shape (lists, by documentId, by slug, with fallbackLocale, both
 *   locales) against the same request naming that populate itself, which takes Strapi's full path;
 * - in-process, the compiled projection against `strapi.contentAPI.sanitize.output` on raw
 *   documents that still hold private fields, drafts and admin users, for the public role and
 *   for a role that may not read topics;
 * and costs one SQL statement more than Strapi's path: the page's rows read again by id with the
 * populate converted once (which also proves the fast path was taken: its first-read check agreed).
 */
import qs from 'qs';
import type { UID } from '@strapi/strapi';
import { appModule, startApp, type JsonBody, type TestApp } from '../helpers/app';
import { countStatements } from '../helpers/sql-statements';
import { publicCache } from '../../src/features/delivery/cache/public-cache';
import { DRAFT_ARTICLE, DRAFT_EVENT, PRIVATE_VALUES } from '../access/shared';
import { ARTICLE } from '../public-api/shared';
import { ARTICLE_SHAPE } from '../../src/api/article/middlewares/article-populate';
import { EVENT_SHAPE } from '../../src/api/event/middlewares/event-populate';
import { PERSON_SHAPE } from '../../src/api/person/middlewares/person-populate';
import { ORGANISATION_LISTS, ORGANISATION_SHAPE } from '../../src/api/organisation/middlewares/organisation-populate';
import { TOPIC_LISTS, TOPIC_SHAPE } from '../../src/api/topic/middlewares/topic-populate';
import { VENUE_LISTS, VENUE_SHAPE } from '../../src/api/venue/middlewares/venue-populate';
import { QUOTE_SHAPE } from '../../src/api/quote/middlewares/quote-populate';
import { attachEventsToPeople, attachPeopleToOrganisations } from '../../src/lib/shapes/reverse-relations';
import { attachBoundedLists } from '../../src/lib/shapes/bounded-lists';
import { findCalendarEvents } from '../../src/lib/calendar/events';
import { looseDocuments } from '../helpers/documents';
import type * as ShapeReads from '../../src/lib/shapes/default-shape-reads';

// The app's own copy: its projection is compared with Strapi's sanitiser by prototype (toStrictEqual).
const { DefaultShapeReads } = appModule<typeof ShapeReads>('src/lib/shapes/default-shape-reads');

interface Shape {
  collection: string;
  uid: UID.ContentType;
  populate: Record<string, unknown>;
  /** Keys the default shape adds to each served document beyond populate (controllers' decorate). */
  added: string[];
  slugs: boolean;
}

const SHAPES: Shape[] = [
  { collection: 'articles', uid: 'api::article.article', populate: ARTICLE_SHAPE, added: [], slugs: true },
  { collection: 'events', uid: 'api::event.event', populate: EVENT_SHAPE, added: ['jsonLd'], slugs: true },
  { collection: 'people', uid: 'api::person.person', populate: PERSON_SHAPE, added: ['events'], slugs: true },
  { collection: 'organisations', uid: 'api::organisation.organisation', populate: ORGANISATION_SHAPE, added: ['people', 'organisedEvents', 'organisedEventsTotal'], slugs: true },
  { collection: 'topics', uid: 'api::topic.topic', populate: TOPIC_SHAPE, added: ['articles', 'events', 'articlesTotal', 'eventsTotal'], slugs: true },
  { collection: 'venues', uid: 'api::venue.venue', populate: VENUE_SHAPE, added: ['events', 'eventsTotal'], slugs: false },
  { collection: 'quotes', uid: 'api::quote.quote', populate: QUOTE_SHAPE, added: [], slugs: false },
];

let app: TestApp;
let publicAuth: unknown;

beforeAll(async () => {
  app = await startApp({ seed: true });
  const { strapi } = app;
  const documents = (uid: UID.ContentType) => looseDocuments(strapi, uid);

  // Private values on published documents, and drafts linked to published ones.
  const mette = await documents('api::person.person').findFirst({ locale: 'da', filters: { slug: 'mette-harbo' } });
  await documents('api::person.person').update({ documentId: mette!.documentId, locale: 'da', data: { email: PRIVATE_VALUES.email } });
  await documents('api::person.person').publish({ documentId: mette!.documentId, locale: '*' });
  const debate = await documents('api::event.event').findFirst({ locale: 'da', filters: { kind: 'debate' } });
  await documents('api::event.event').update({
    documentId: debate!.documentId,
    locale: 'da',
    data: { sourcePartner: PRIVATE_VALUES.sourcePartner, externalId: PRIVATE_VALUES.externalId },
  });
  await documents('api::event.event').publish({ documentId: debate!.documentId, locale: '*' });
  const [topic] = await documents('api::topic.topic').findMany({ locale: 'da' });
  await documents('api::article.article').create({
    locale: 'da',
    data: { title: DRAFT_ARTICLE.title, slug: DRAFT_ARTICLE.slug, authors: [mette!.documentId], topics: [topic!.documentId] },
  });
  await documents('api::event.event').create({
    locale: 'da',
    data: { title: DRAFT_EVENT.title, slug: DRAFT_EVENT.slug, startsAt: '2023-06-16T12:00:00.000Z', parent: debate!.documentId, organisers: [] },
  });
  // A Danish-only published article, so `locale=en&fallbackLocale=da` serves a fallback.
  const danishOnly = await documents('api::article.article').create({
    locale: 'da',
    data: { title: 'Kun på dansk', authors: [mette!.documentId], topics: [topic!.documentId] },
  });
  await documents('api::article.article').publish({ documentId: danishOnly.documentId, locale: 'da' });

  // The auth Strapi builds for an anonymous request (users-permissions' public role).
  strapi.documents.use(async (_context, next) => {
    const auth = (strapi.requestContext.get() as { state?: { auth?: unknown } } | undefined)?.state?.auth;
    if (auth) publicAuth = auth;
    return next();
  });
  await app.http().get('/api/topics').expect(200);
  await app.quiet();
});
afterAll(async () => {
  await app?.stop();
});

async function get(path: string): Promise<JsonBody> {
  const response = await app.http().get(path);
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The same request naming the shape's populate itself: Strapi's own validation and sanitising. */
function explicitly(path: string, shape: Shape): string {
  // A shape that populates nothing is asked for with an empty populate (absent, the default shape would apply).
  const populate = Object.keys(shape.populate).length > 0 ? qs.stringify({ populate: shape.populate }, { encodeValuesOnly: true }) : 'populate=';
  return `${path}${path.includes('?') ? '&' : '?'}${populate}`;
}

/** A default-shape answer without what the controllers add beyond populate (top-level documents only). */
function withoutAdded(body: JsonBody, shape: Shape): JsonBody {
  const strip = (item: Record<string, unknown>) => {
    const copy = { ...item };
    for (const key of shape.added) delete copy[key];
    return copy;
  };
  return { ...body, data: Array.isArray(body.data) ? body.data.map(strip) : strip(body.data) };
}

/** The reads behind the added keys (controllers' decorate), as the controllers make them for one locale. */
async function addedReads(shape: Shape, data: Array<{ documentId: string }>): Promise<void> {
  const { strapi } = app;
  if (shape.collection === 'people') await attachEventsToPeople(strapi, data);
  const lists = { topics: TOPIC_LISTS, organisations: ORGANISATION_LISTS, venues: VENUE_LISTS }[shape.collection];
  if (lists) await attachBoundedLists(strapi, shape.uid, data, lists, 'published', async (items) => items);
  if (shape.collection === 'organisations') await attachPeopleToOrganisations(strapi, data);
  if (shape.collection === 'events') {
    await findCalendarEvents(strapi, { locale: 'da', filters: { documentId: { $in: data.map((item) => item.documentId) } } });
  }
}

function expectNothingPrivateOrDraft(body: unknown) {
  const text = JSON.stringify(body);
  for (const value of [...Object.values(PRIVATE_VALUES), DRAFT_ARTICLE.title, DRAFT_EVENT.title]) expect(text).not.toContain(value);
  for (const key of ['email', 'sourcePartner', 'externalId', 'createdBy', 'updatedBy', 'password']) expect(text).not.toContain(`"${key}"`);
}

describe.each(SHAPES)('$collection in the default shape', (shape) => {
  const base = `/api/${shape.collection}`;

  it.each(['da', 'en'])('lists, single reads and slug reads in %s equal Strapi’s own answer', async (locale) => {
    const paths = [`${base}?locale=${locale}&pagination[pageSize]=100`];
    if (locale === 'en') paths.push(`${base}?locale=en&fallbackLocale=da&pagination[pageSize]=100`);
    const list = await get(paths[0]!);
    expect(list.data.length).toBeGreaterThan(0);
    for (const item of list.data.slice(0, 3)) {
      paths.push(`${base}/${item.documentId}?locale=${locale}`);
      if (shape.slugs) paths.push(`${base}/slug/${item.slug}?locale=${locale}`);
    }
    if (locale === 'en') {
      // Documents served from the fallback locale, read alone.
      const served = (await get(paths[1]!)).data.filter((item: { fallback: unknown }) => item.fallback === true);
      if (shape.collection === 'articles') expect(served.length).toBeGreaterThan(0);
      for (const item of served.slice(0, 2)) {
        paths.push(`${base}/${item.documentId}?locale=en&fallbackLocale=da`);
        if (shape.slugs) paths.push(`${base}/slug/${item.slug}?locale=en&fallbackLocale=da`);
      }
    }
    for (const path of paths) {
      const fast = await get(path);
      const strapis = await get(explicitly(path, shape));
      expect(withoutAdded(fast, shape)).toStrictEqual(strapis);
      expectNothingPrivateOrDraft(fast);
      for (const item of Array.isArray(fast.data) ? fast.data : [fast.data]) {
        for (const key of shape.added) expect(item).toHaveProperty(key);
      }
    }
  });

  it('sends Strapi’s SQL statements plus one (the page by id) and the added keys’ own reads', async () => {
    const path = `${base}?locale=da&pagination[pageSize]=100`;
    await get(path); // the first request of a shape validates and sanitises its populate once
    // Counted as built, not as answered by the response cache (src/features/delivery/cache/).
    publicCache(app.strapi).clear();
    const fast = await countStatements(app.strapi, () => get(path));
    const strapis = await countStatements(app.strapi, () => get(explicitly(path, shape)));
    const { data } = await get(explicitly(path, shape));
    const added = await countStatements(app.strapi, () => addedReads(shape, data));
    // Had the first read's comparison with Strapi's path failed, the list would take that path (no +1).
    expect(fast).toBe(strapis + 1 + added);
  });

  it('the compiled projection equals Strapi’s output sanitiser on raw documents with drafts and private fields', async () => {
    const { strapi } = app;
    const contentType = strapi.contentType(shape.uid);
    const populate = { ...shape.populate, createdBy: true, updatedBy: true };
    const reads = new DefaultShapeReads(strapi);
    const permissionService = strapi.plugin('users-permissions').service('permission');
    const permissions: Array<{ action: string }> = ((await permissionService.findPublicPermissions()) as unknown[]).map(
      permissionService.toContentAPIPermission,
    );
    const noTopics = {
      ...(publicAuth as object),
      ability: await strapi.contentAPI.permissions.engine.generateAbility(
        permissions.filter((permission) => permission.action !== 'api::topic.topic.find') as Parameters<typeof strapi.contentAPI.permissions.engine.generateAbility>[0],
      ),
    };
    expect(publicAuth).toBeDefined();
    for (const status of ['draft', 'published'] as const) {
      for (const locale of ['da', 'en']) {
        const raw = await looseDocuments(strapi, shape.uid).findMany({ locale, status, populate });
        expect(raw.length).toBeGreaterThan(0);
        for (const auth of [publicAuth, noTopics, {}, undefined]) {
          const expected = await strapi.contentAPI.sanitize.output(raw, contentType, { auth } as Parameters<typeof strapi.contentAPI.sanitize.output>[2]);
          const projected = reads.project(raw, shape.uid, await reads.decisions(shape.uid, auth));
          expect(projected).toStrictEqual(expected);
          expect(JSON.stringify(projected)).toBe(JSON.stringify(expected));
        }
      }
    }
  });
});

describe('client input on default-shape routes still takes Strapi’s full validation', () => {
  it.each([
    '/api/articles?filters[authors][email][$eq]=x',
    '/api/articles?sort=createdBy',
    '/api/people?filters[email][$containsi]=example',
    '/api/events?filters[sourcePartner][$eq]=x',
    '/api/articles?filters[nope][$eq]=1',
  ])('%s is the same 400 as with an explicit populate', async (path) => {
    const fast = await app.http().get(path);
    const shape = SHAPES.find((candidate) => path.startsWith(`/api/${candidate.collection}?`))!;
    const strapis = await app.http().get(explicitly(path, shape));
    expect(fast.status).toBe(400);
    expect(fast.body).toStrictEqual(strapis.body);
  });

  it('an explicit populate or fields is Strapi’s own answer, not the default shape', async () => {
    const seedArticle = `filters[slug][$eq]=${ARTICLE.da.slug}`;
    const narrowed = await get(`/api/articles?locale=da&${seedArticle}&fields[0]=title`);
    expect(Object.keys(narrowed.data[0]).sort()).toEqual(['documentId', 'id', 'title']);
    const populated = await get(`/api/articles?locale=da&${seedArticle}&populate[topics][fields][0]=name`);
    expect(populated.data[0].topics[0]).toEqual({ id: expect.any(Number), documentId: expect.any(String), name: expect.any(String) });
    expect(populated.data[0].cover).toBeUndefined();
  });
});
