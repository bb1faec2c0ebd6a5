/**
 * GET /api/search (issue 24): Danish and English fixtures of our own, searched the way readers
 * type: inflected forms, compounds by prefix, æ/ø/å typed as ae/oe/aa, names, the word being
 * typed; ranked title above lead above body. Drafts and private fields are never found; the
 * index follows publish, edit, unpublish and delete at once; the answer goes through the response
 * cache and is dropped only by a change to a type it searched; bad parameters are 400s naming
 * them, and no query string is read as index syntax (fast-check). Runs on SQLite and, with
 * TEST_DB=postgres, on PostgreSQL: the same expectations hold on both.
 */
import fc from 'fast-check';
import { startApp, type TestApp } from '../helpers/app';
import { publicCache } from '../../src/features/delivery/cache/public-cache';
import { json, raw } from '../response-cache/shared';

let app: TestApp;
const ids: Record<string, string> = {};

type Documents = {
  create(params: Record<string, unknown>): Promise<{ documentId: string }>;
  update(params: Record<string, unknown>): Promise<unknown>;
  publish(params: Record<string, unknown>): Promise<unknown>;
  unpublish(params: Record<string, unknown>): Promise<unknown>;
  delete(params: Record<string, unknown>): Promise<unknown>;
};
const documents = (uid: string) => app.strapi.documents(uid as never) as unknown as Documents;
const paragraph = (text: string) => [{ type: 'paragraph', children: [{ type: 'text', text }] }];
const inAYear = new Date(Date.now() + 365 * 86_400_000).toISOString();
const aYearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString();

beforeAll(async () => {
  app = await startApp();
  const organisation = await documents('api::organisation.organisation').create({ locale: 'da', status: 'published', data: { name: 'Region Syddanmark', shortName: 'RSD', kind: 'region' } });
  ids.region = organisation.documentId;
  const person = await documents('api::person.person').create({
    locale: 'da',
    status: 'published',
    data: { name: 'Mette Harbo', email: 'mette.harbo@example.invalid', affiliations: [{ title: 'Innovationschef', organisation: organisation.documentId, kind: 'employment', current: true }] },
  });
  ids.harbo = person.documentId;
  const quote = await documents('api::quote.quote').create({ locale: 'da', status: 'published', data: { text: 'Vi skal turde købe det, der ikke findes endnu.', person: person.documentId } });
  const trolley = await documents('api::article.article').create({
    locale: 'da',
    status: 'published',
    data: {
      title: 'Spænd innovation for den offentlige indkøbsvogn',
      lead: 'Kommuner og regioner vil købe mere innovativt.',
      body: [
        { __component: 'blocks.rich-text', body: paragraph('De offentlige indkøbere efterlyser dialog med virksomhederne før udbuddet. <script>alert(1)</script>') },
        { __component: 'blocks.quote', quote: quote.documentId },
      ],
    },
  });
  ids.trolley = trolley.documentId;
  await documents('api::article.article').update({
    documentId: trolley.documentId,
    locale: 'en',
    status: 'published',
    data: { title: 'Fill the public shopping trolley with innovation', lead: 'Municipalities and regions want to procure more innovative solutions.' },
  });
  ids.care = (await documents('api::article.article').create({
    locale: 'da',
    status: 'published',
    data: { title: 'Ældreplejen får nye robotter', lead: 'Robotter hjælper i ældreplejen på Fyn.', body: [{ __component: 'blocks.rich-text', body: paragraph('Plejehjem tester ny teknologi.') }] },
  })).documentId;
  ids.draft = (await documents('api::article.article').create({ locale: 'da', data: { title: 'Hemmelig indkøbsplan', lead: 'Kun et udkast om indkøb.' } })).documentId;
  ids.debate = (await documents('api::event.event').create({
    locale: 'da',
    status: 'published',
    data: { title: 'Debat om grønne indkøb', summary: 'Hvordan kan kommunerne købe klimavenligt?', startsAt: inAYear, timeZone: 'Europe/Copenhagen', kind: 'debate' },
  })).documentId;
  ids.conference = (await documents('api::event.event').create({
    locale: 'da',
    status: 'published',
    data: { title: 'Konference om velfærdsteknologi', summary: 'Robotter og sensorer i plejen.', startsAt: aYearAgo, timeZone: 'Europe/Copenhagen', kind: 'conference' },
  })).documentId;
  ids.topic = (await documents('api::topic.topic').create({ locale: 'da', status: 'published', data: { name: 'Offentlige indkøb' } })).documentId;
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

interface Hit {
  type: string;
  documentId: string;
  title: string;
  snippet: string;
  score: number;
  startsAt: string | null;
}
const search = async (query: string) => {
  const response = await raw(app, `/api/search?${query}`);
  return { status: response.status, body: json(response) as { data: Hit[]; meta: { pagination: { total: number; page: number; pageSize: number; totalIsLowerBound: boolean } } } };
};
const found = async (q: string, extra = '') => {
  const { status, body } = await search(`q=${encodeURIComponent(q)}${extra}`);
  expect([q, status]).toEqual([q, 200]);
  return body.data.map((hit) => hit.documentId);
};
const name = (documentId: string) => Object.entries(ids).find(([, id]) => id === documentId)?.[0] ?? documentId;

const CASES: Array<[string, string, string[]]> = [
  // [query, extra parameters, expected documents in order]
  ['indkøb', '', ['topic', 'debate', 'trolley']],
  ['indkøbere', '', ['topic', 'debate', 'trolley']],
  ['indkøbsvogn', '', ['trolley']],
  ['indkob', '', []],
  ['indkoeb', '', ['topic', 'debate', 'trolley']],
  ['offentlige indkøb', '', ['topic', 'trolley']],
  ['Harbo', '', ['harbo', 'trolley']],
  ['harbo', '&types=articles', ['trolley']],
  ['Mette', '', ['harbo', 'trolley']],
  ['ældrepleje', '', ['care']],
  ['aeldrepleje', '', ['care']],
  ['Ældreplejen', '', ['care']],
  ['robot', '', ['care', 'conference']],
  ['robotterne', '', ['care', 'conference']],
  ['Region Syddanmark', '', ['region', 'harbo']],
  ['RSD', '', ['region']],
  ['innovationschef', '', ['harbo']],
  ['hemmelig', '', []],
  ['udkast', '', []],
  ['example', '', []],
  ['mette.harbo@example.invalid', '', []],
  ['indkøb', '&types=events', ['debate']],
  ['indkøb', '&types=events,topics', ['topic', 'debate']],
  ['konference', '&when=past', ['conference']],
  ['konference', '&when=upcoming', []],
  ['debat', '&when=upcoming', ['debate']],
  ['udbud', '', ['trolley']],
  ['virksomhed', '', ['trolley']],
  ['klimavenlig', '', ['debate']],
  ['finde', '', ['trolley']],
  ['procure', '&locale=en', ['trolley']],
  ['procurement innovation', '&locale=en', ['trolley']],
  ['procurement robots', '&locale=en', []],
  ['trolley', '&locale=en', ['trolley']],
  ['shop', '&locale=en', ['trolley']],
  ['indkøbsvogn', '&locale=en', []],
  // English with the Danish fallback: documents with no English version, stemmed in Danish.
  ['robotterne', '&locale=en&fallbackLocale=da', ['care', 'conference']],
  ['indkøbsvogn', '&locale=en&fallbackLocale=da', []],
  ['shop', '&locale=en&fallbackLocale=da', ['trolley']],
  ['indkøb', '&locale=en&fallbackLocale=da', ['topic', 'debate']],
];

it.each(CASES)('q=%s%s finds %j, in that order', async (q, extra, expected) => {
  expect((await found(q, extra)).map(name)).toEqual(expected);
});

it('a hit says what it is, with a marked, escaped snippet and a score; events their start', async () => {
  const { body } = await search('q=indk%C3%B8bere&types=articles');
  const [hit] = body.data;
  expect(hit).toMatchObject({ type: 'articles', documentId: ids.trolley, title: 'Spænd innovation for den offentlige indkøbsvogn', startsAt: null });
  expect(hit!.snippet).toContain('<mark>indkøbere</mark>');
  expect(typeof hit!.score).toBe('number');
  const script = await search('q=dialog&types=articles');
  expect(script.body.data[0]!.snippet).toContain('&#60;script&#62;');
  expect(script.body.data[0]!.snippet).not.toContain('<script>');
  const [event] = (await search('q=debat&types=events')).body.data;
  expect(event!.startsAt).toBe(inAYear);
});

it('pages: pageSize and page, with the total', async () => {
  const first = await search('q=indk%C3%B8b&pageSize=2');
  expect(first.body.meta.pagination).toEqual({ page: 1, pageSize: 2, total: 3, pageCount: 2, totalIsLowerBound: false });
  expect(first.body.data.map((hit) => name(hit.documentId))).toEqual(['topic', 'debate']);
  const second = await search('q=indk%C3%B8b&pageSize=2&page=2');
  expect(second.body.data.map((hit) => name(hit.documentId))).toEqual(['trolley']);
});

it.each([
  ['', 'q'],
  ['q=', 'q'],
  [`q=${'a'.repeat(201)}`, 'q'],
  ['q=en+to+tre+fire+fem+seks+syv+otte+ni', 'q'],
  ['q=x&locale=de', 'locale'],
  ['q=x&types=admins', 'types'],
  ['q=x&types=', 'types'],
  ['q=x&when=tomorrow', 'when'],
  ['q=x&page=0', 'page'],
  ['q=x&pageSize=51', 'pageSize'],
  ['q=x&pageSize=ten', 'pageSize'],
  ['q=x&sort=title', 'sort'],
  ['q=x&q=y', 'q'],
  ['q=x&locale=en&fallbackLocale=de', 'fallbackLocale'],
])('?%s is a 400 naming %s', async (query, param) => {
  const { status, body } = await search(query);
  expect(status).toBe(400);
  expect((body as unknown as { error: { details: { param: string }; message: string } }).error.details.param).toBe(param);
});

it('follows publish, edit, unpublish and delete at once', async () => {
  const articles = documents('api::article.article');
  expect(await found('kvantecomputer')).toEqual([]);
  const created = await articles.create({ locale: 'da', status: 'published', data: { title: 'Kvantecomputere i kommunen', lead: 'Et forsøg.' } });
  expect(await found('kvantecomputer')).toEqual([created.documentId]);
  await articles.update({ documentId: created.documentId, locale: 'da', status: 'published', data: { title: 'Supercomputere i kommunen' } });
  expect(await found('kvantecomputer')).toEqual([]);
  expect(await found('supercomputer')).toEqual([created.documentId]);
  await articles.unpublish({ documentId: created.documentId, locale: 'da' });
  expect(await found('supercomputer')).toEqual([]);
  await articles.publish({ documentId: created.documentId, locale: 'da' });
  expect(await found('supercomputer')).toEqual([created.documentId]);
  await articles.delete({ documentId: created.documentId, locale: '*' });
  expect(await found('supercomputer')).toEqual([]);
  // A draft edit of a published document changes nothing public.
  await articles.update({ documentId: ids.care, locale: 'da', data: { title: 'Udkast: droner i ældreplejen' } });
  expect(await found('droner')).toEqual([]);
});

it('is cached like any public read, and dropped only by a change to a type whose text it searched', async () => {
  const cache = publicCache(app.strapi);
  const topics = '/api/search?q=indk%C3%B8b&types=topics';
  const events = '/api/search?q=indk%C3%B8b&types=events';
  await raw(app, topics);
  await raw(app, events);
  const hits = cache.stats().hits;
  await raw(app, topics);
  await raw(app, events);
  expect(cache.stats().hits).toBe(hits + 2);
  await documents('api::topic.topic').create({ locale: 'da', status: 'published', data: { name: 'Indkøbsregler' } });
  const after = cache.stats().hits;
  const topicsAgain = await raw(app, topics);
  expect(json(topicsAgain).data.map((hit: Hit) => hit.title)).toContain('Indkøbsregler');
  await raw(app, events);
  // The topics search was a miss (dropped), the events search a hit (kept).
  expect(cache.stats().hits).toBe(after + 1);

  // Articles show quotes by people: a person's change drops an articles search, not a topics one.
  const articles = '/api/search?q=turde&types=articles';
  expect(json(await raw(app, articles)).data.map((hit: Hit) => hit.snippet).join()).toContain('Harbo');
  await raw(app, topics);
  const beforeRename = cache.stats().hits;
  await documents('api::person.person').update({ documentId: ids.harbo!, locale: 'da', status: 'published', data: { name: 'Mette Harbo Storm' } });
  const renamed = await raw(app, articles);
  expect(json(renamed).data.map((hit: Hit) => hit.snippet).join()).toContain('Storm');
  await raw(app, topics);
  expect(cache.stats().hits).toBe(beforeRename + 1);
  await documents('api::person.person').update({ documentId: ids.harbo!, locale: 'da', status: 'published', data: { name: 'Mette Harbo' } });
});

it('no query string is read as index syntax or finds a draft: never a 5xx (fast-check)', async () => {
  const syntax = fc.constantFrom('"', '*', ':', '&', '|', '!', '(', ')', '-', '^', 'NEAR', 'OR', 'AND', 'NOT', "'", '\\', '<->', ':*', '{', '}', '%', 'æ', 'ø', 'å', ' ', 'indkøb', 'hemmelig');
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.string({ maxLength: 40 }), fc.array(syntax, { maxLength: 10 }).map((parts) => parts.join(''))), async (q) => {
      const response = await raw(app, `/api/search?q=${encodeURIComponent(q)}`);
      expect([q, response.status < 500]).toEqual([q, true]);
      if (response.status === 200) expect(response.body.toString()).not.toContain(ids.draft!);
    }),
    { numRuns: 150 },
  );
});

it('suggests up to 8 titles and names for what is being typed; bad parameters are 400s naming them', async () => {
  const response = await raw(app, `/api/search/suggest?q=${encodeURIComponent('indk')}`);
  expect(response.status).toBe(200);
  const suggestions = json(response).data as Array<{ type: string; documentId: string; title: string }>;
  const titles = suggestions.map((suggestion) => suggestion.title);
  // (Earlier tests here may have published more "indkøb" titles: all are titles that match.)
  expect(titles).toEqual(expect.arrayContaining(['Offentlige indkøb', 'Debat om grønne indkøb', 'Spænd innovation for den offentlige indkøbsvogn']));
  expect(titles.every((title) => /indkøb/i.test(title))).toBe(true);
  expect(titles).not.toContain('Hemmelig indkøbsplan');
  expect(suggestions.length).toBeLessThanOrEqual(8);
  expect(json(await raw(app, '/api/search/suggest?q=aeldrep')).data.map((suggestion: { title: string }) => suggestion.title)).toEqual(['Ældreplejen får nye robotter']);
  for (const [query, param] of [['', 'q'], ['q=x&types=articles', 'types'], ['q=x&locale=sv', 'locale'], [`q=${'b'.repeat(101)}`, 'q']]) {
    const bad = await raw(app, `/api/search/suggest?${query}`);
    expect([query, bad.status, json(bad).error.details.param]).toEqual([query, 400, param]);
  }
});

it('GraphQL search and searchSuggestions answer what REST does; a bad argument is a ValidationError naming it', async () => {
  const rest = (await search('q=indk%C3%B8b&types=articles,events,topics')).body;
  const graphql = await app.graphql<{ search: { total: number; totalIsLowerBound: boolean; page: number; hits: Hit[] } }>(
    '{ search(q: "indkøb", types: ["articles", "events", "topics"]) { total totalIsLowerBound page hits { type documentId title snippet score startsAt } } }',
  );
  expect(graphql.body.errors).toBeUndefined();
  expect(graphql.body.data!.search.total).toBe(rest.meta.pagination.total);
  expect(graphql.body.data!.search.totalIsLowerBound).toBe(false);
  expect(graphql.body.data!.search.hits).toEqual(rest.data.map(({ type, documentId, title, snippet, score, startsAt }) => ({ type, documentId, title, snippet, score, startsAt })));
  const suggestions = await app.graphql<{ searchSuggestions: Array<{ title: string }> }>('{ searchSuggestions(q: "robot") { title } }');
  expect(suggestions.body.data!.searchSuggestions.map((suggestion) => suggestion.title)).toEqual(['Ældreplejen får nye robotter', 'Konference om velfærdsteknologi']);
  const bad = await app.graphql('{ search(q: "x", types: ["admins"]) { total } }');
  expect(bad.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  expect(bad.body.errors?.[0]?.message).toContain('types must list some of');
});

it('with fallbackLocale each hit says whether it is the fallback; pages run over both lists as one (REST and GraphQL)', async () => {
  const { body } = await search('q=shop&locale=en&fallbackLocale=da');
  expect(body.data.map((hit) => [name(hit.documentId), (hit as Hit & { locale: string; fallback: boolean }).locale, (hit as Hit & { fallback: boolean }).fallback])).toEqual([['trolley', 'en', false]]);
  const mixed = await search('q=robot&locale=en&fallbackLocale=da&pageSize=1&page=2');
  expect(mixed.body.meta.pagination.total).toBe(2);
  expect(mixed.body.data.map((hit) => [name(hit.documentId), (hit as Hit & { fallback: boolean }).fallback])).toEqual([['conference', true]]);
  const graphql = await app.graphql<{ search: { hits: Array<{ documentId: string; locale: string; fallback: boolean }> } }>(
    '{ search(q: "robot", locale: "en", fallbackLocale: "da") { hits { documentId locale fallback } } }',
  );
  expect(graphql.body.errors).toBeUndefined();
  expect(graphql.body.data!.search.hits.map((hit) => [name(hit.documentId), hit.locale, hit.fallback])).toEqual([
    ['care', 'da', true],
    ['conference', 'da', true],
  ]);
  const bad = await app.graphql('{ search(q: "x", locale: "en", fallbackLocale: "fr") { total } }');
  expect(bad.body.errors?.[0]?.message).toContain('fallbackLocale');
});

it('a renamed person or organisation is found under the new name in every row holding it (articles quoting her, her own hit)', async () => {
  const people = documents('api::person.person');
  await people.update({ documentId: ids.harbo!, locale: 'da', status: 'published', data: { name: 'Mette Harbo Kjærgaard' } });
  expect((await found('Kjærgaard')).map(name)).toEqual(['harbo', 'trolley']);
  expect((await found('kjaergaard', '&types=articles')).map(name)).toEqual(['trolley']);
  await documents('api::organisation.organisation').update({ documentId: ids.region!, locale: 'da', status: 'published', data: { name: 'Region Sønderjylland' } });
  expect((await found('Sønderjylland')).map(name)).toEqual(['region', 'harbo']);
  expect((await found('Syddanmark')).map(name)).toEqual([]);
  // The person unpublished: her name leaves the article's row too, the quote text stays.
  await people.unpublish({ documentId: ids.harbo!, locale: 'da' });
  expect((await found('Kjærgaard')).map(name)).toEqual([]);
  expect((await found('turde')).map(name)).toEqual(['trolley']);
});
