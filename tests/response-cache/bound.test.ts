/**
 * The cache never holds more bytes than its bound (RESPONSE_CACHE_MAX_MB), whatever the order
 * of requests and encodings asked for: fast-check drives random request sequences against the
 * real app with a small bound, and after every request the stored bytes are within it.
 */
import fc from 'fast-check';
import { startApp, type TestApp } from '../helpers/app';
import { publicCache } from '../../src/features/delivery/cache/public-cache';
import { raw } from './shared';

const MAX_MB = 0.25;
let app: TestApp;
beforeAll(async () => {
  process.env.RESPONSE_CACHE_MAX_MB = String(MAX_MB);
  app = await startApp({ seed: true });
  delete process.env.RESPONSE_CACHE_MAX_MB;
  const documents = app.strapi.documents('api::article.article');
  for (let i = 0; i < 30; i++) {
    await documents.create({
      locale: 'da',
      data: { title: `Artikel ${i}`, lead: 'En ret lang indledning. '.repeat(20), body: [{ __component: 'blocks.rich-text', body: [{ type: 'paragraph', children: [{ type: 'text', text: 'Tekst. '.repeat(200) }] }] }] } as never,
      status: 'published',
    });
  }
});
afterAll(async () => {
  await app?.stop();
});

const URLS = [
  ...[1, 2, 3, 5, 8, 13, 21, 30].map((size) => `/api/articles?locale=da&pagination[pageSize]=${size}`),
  ...[1, 2, 3].map((page) => `/api/articles?locale=da&pagination[pageSize]=10&pagination[page]=${page}`),
  '/api/articles?locale=da&sort=title:desc',
  '/api/topics?locale=da',
  '/api/people?locale=en',
  '/api/events.ics?locale=da',
  '/api/sync?limit=50',
  // Many small answers, so that together they outgrow the bound (the big ones above are refused
  // as entries larger than an eighth of it).
  ...Array.from({ length: 30 }, (_, index) => `/api/articles?locale=da&pagination[pageSize]=1&pagination[page]=${index + 1}`),
];
const ENCODINGS = ['', 'gzip', 'br', 'gzip, br'];

it('stays within its byte bound after every request of any sequence', async () => {
  const cache = publicCache(app.strapi);
  const maxBytes = Math.floor(MAX_MB * 1024 * 1024);
  expect(cache.stats().maxBytes).toBe(maxBytes);
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ url: fc.constantFrom(...URLS), encoding: fc.constantFrom(...ENCODINGS) }), { minLength: 5, maxLength: 30 }),
      async (requests) => {
        for (const { url, encoding } of requests) {
          const response = await raw(app, url, { headers: encoding ? { 'accept-encoding': encoding } : {} });
          expect(response.status).toBe(200);
          expect(cache.stats().bytes).toBeLessThanOrEqual(maxBytes);
        }
      },
    ),
    { numRuns: 12 },
  );
  // Then every answer in every encoding, twice, so that the bound is reached whatever sequences
  // fast-check drew (a short draw of small answers stays under it).
  for (let pass = 0; pass < 2; pass++) {
    for (const url of URLS) {
      for (const encoding of ENCODINGS) {
        expect((await raw(app, url, { headers: encoding ? { 'accept-encoding': encoding } : {} })).status).toBe(200);
        expect(cache.stats().bytes).toBeLessThanOrEqual(maxBytes);
      }
    }
  }
  // The bound was really reached: entries were stored and pushed out again.
  const { evicted, hits } = cache.stats();
  expect(evicted).toBeGreaterThan(0);
  expect(hits).toBeGreaterThan(0);
});
