#!/usr/bin/env node
// @ts-check
// npm run bench:reads: public read throughput, measured over real HTTP with autocannon.
//
// 1. Builds its own data set (300 published articles in da + en with authors, topics, quotes
//    → person → affiliations → organisation and 4 body blocks; 200 events of one festival with
//    venue, organisers, participants and topics) in a throwaway SQLite file under .tmp/, or in
//    DATABASE_URL (which must be an empty database, or one this script filled before). The
//    built SQLite file is kept as .tmp/bench-reads-<key>.db and reused while DATASET_VERSION and
//    the content-type schemas are unchanged; each run works on a copy of it.
// 2. Compiles the app (TypeScript to dist/, only when a source changed since the last build:
//    scripts/lib/compiled-app.js) and starts it twice with
//    `strapi start` in production, each in a child process of its own, so the load generator
//    does not share an event loop with the app: one with the response cache as configured (on
//    by default) and one with RESPONSE_CACHE=off for the uncached figures.
// 3. For each case: a first pass and a warm pass (a cache hit once the response cache is in)
//    against the first app, an uncached pass against the second, and a pass against a bare Node
//    http server (child process) sending the very bytes the app answered, as the ceiling.
// 4. Fails when any counted response is not a 200, or when the cached and uncached apps do not
//    answer byte for byte the same. Prints a table and writes it to test-artifacts/bench-reads.md.
//
// BENCH_SECONDS (default 10) per pass, BENCH_CONNECTIONS (default 10). Figures depend on the
// machine (and on whatever else runs on it); the ratios are what to compare.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { createPartner, readsWhileWriting } = require('./lib/reads-while-writing');
const { compiledApp } = require('./lib/compiled-app');
const { APP_DIR, TMP, log, seconds, request, stopChildren, startApp, startCeiling, pass, benchAppEnv, runBench } = require('./lib/bench-http');

/** @typedef {import('@strapi/strapi').Core.Strapi} Strapi */
/** @typedef {import('@strapi/strapi').UID.ContentType} ContentTypeUid */
/**
 * The Document Service for the content type make() is given: params and answers as plain records,
 * since no one uid's input types apply (and the data set gives only the fields it is about).
 * @typedef {{
 *   create(params: Record<string, unknown>): Promise<{ documentId: string }>;
 *   update(params: Record<string, unknown>): Promise<unknown>;
 * }} LooseDocuments
 */
/** @typedef {import('./lib/bench-http').HttpRequest} HttpRequest */
/** @typedef {import('./lib/bench-http').Answer} Answer */
/** @typedef {import('./lib/bench-http').Case} Case */
/** @typedef {import('./lib/bench-http').CeilingRoute} CeilingRoute */
/** @typedef {import('./lib/bench-http').Figures} Figures */

const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 10);
// Bump when the data set below changes: a cached database of another version is not reused.
const DATASET_VERSION = 4;
const ARTICLES = 300;
const EVENTS = 200;
const PEOPLE = 120;
const ORGANISATIONS = 30;
const TOPICS = 20;
const VENUES = 20;
const QUOTES = 300;

// Before this work: measured on main on 2026-11-28 (2 cores, Node 20.20), SQLite, production,
// autocannon 10 connections, this data set's 300 articles in da + en, default shape (95 kB);
// from /work/shared/design/strapi5-field-notes.md, "Measured 2026-11-28 (on main, 2 cores)".
// Only the REST article list was measured then, and on SQLite only: the other cases, and runs
// on PostgreSQL, have no "before".
/** @typedef {{ reqPerSec: number; p50Ms: number; database: string }} Before */
/** @type {{ 'articles list': Before } & Record<string, Before | undefined>} */
const BEFORE = {
  'articles list': { reqPerSec: 13, p50Ms: 690, database: 'SQLite' },
};


// ---------------------------------------------------------------------------------------------
// The data set.

const words =
  'innovation offentlig privat samarbejde indkøb kommune region virksomhed borger velfærd sundhed ' +
  'klima energi digitalisering data kunstig intelligens partnerskab udbud marked løsning test ' +
  'skala erfaring viden forskning uddannelse medarbejder ledelse risiko gevinst effekt';
const wordList = words.split(' ');
/** @param {number} seed @param {number} count */
const sentence = (seed, count) =>
  Array.from({ length: count }, (_, i) => wordList[(seed * 7 + i * 13) % wordList.length]).join(' ');
/** @param {number} seed @param {string} locale @param {number} [count] */
const prose = (seed, locale, count = 40) => `${locale === 'en' ? '(en) ' : ''}${sentence(seed, count)}.`;
/** @param {number} n */
const pad = (n) => String(n).padStart(3, '0');
/** @param {number} seed @param {string} locale */
const richText = (seed, locale) => [
  { type: 'heading', level: 2, children: [{ type: 'text', text: `${locale === 'da' ? 'Afsnit' : 'Section'} ${seed}` }] },
  {
    type: 'paragraph',
    children: [
      { type: 'text', text: prose(seed, locale, 15) },
      { type: 'text', text: ' ' + sentence(seed + 2, 4), bold: true },
    ],
  },
];

/** @param {Strapi} strapi */
async function buildDataSet(strapi) {
  // Throwaway database: no need to wait for the disk after each commit.
  if (strapi.db.dialect.client === 'sqlite') await strapi.db.connection.raw('PRAGMA synchronous = OFF');

  /** @type {Record<string, number>} */
  const counts = {};
  /**
   * Creates and publishes one document in da, then adds and publishes its en version.
   * @param {ContentTypeUid} uid
   * @param {(locale: string) => Record<string, unknown>} dataFor
   */
  async function make(uid, dataFor) {
    const documents = /** @type {LooseDocuments} */ (/** @type {unknown} */ (strapi.documents(uid)));
    const publish = strapi.contentType(uid).options?.draftAndPublish ? { status: 'published' } : {};
    const { documentId } = await documents.create({ locale: 'da', data: dataFor('da'), ...publish });
    await documents.update({ documentId, locale: 'en', data: dataFor('en'), ...publish });
    counts[uid] = (counts[uid] || 0) + 1;
    return documentId;
  }
  /**
   * @param {number} n
   * @param {ContentTypeUid} uid
   * @param {(i: number, locale: string) => Record<string, unknown>} dataFor
   */
  const many = async (n, uid, dataFor) => {
    /** @type {string[]} */
    const ids = [];
    for (let i = 0; i < n; i++) ids.push(await make(uid, (locale) => dataFor(i, locale)));
    return ids;
  };
  /** @param {string[]} ids @param {number} i @param {number} k @param {number} [step] */
  const pick = (ids, i, k, step = 1) => Array.from({ length: k }, (_, j) => ids[(i + j * step) % ids.length]);

  // Targets first: publishing a document that links to an unpublished one drops the link.
  const topics = await many(TOPICS, 'api::topic.topic', (i, locale) => ({
    name: locale === 'da' ? `Emne ${i}` : `Topic ${i}`,
    slug: locale === 'da' ? `emne-${i}` : `topic-${i}`,
    description: prose(i, locale, 20),
  }));
  const venues = await many(VENUES, 'api::venue.venue', (i, locale) => ({
    name: locale === 'da' ? `Telt ${i}` : `Tent ${i}`,
    code: `T${i}`,
    area: 'Allinge havn',
    address: `Havnegade ${i + 1}`,
    city: 'Allinge',
    latitude: 55.27 + i / 1000,
    longitude: 14.8 + i / 1000,
  }));
  const organisations = await many(ORGANISATIONS, 'api::organisation.organisation', (i, locale) => ({
    name: locale === 'da' ? `Organisation ${i} A/S` : `Organisation ${i} Ltd`,
    slug: locale === 'da' ? `organisation-${i}-as` : `organisation-${i}-ltd`,
    shortName: `ORG${i}`,
    kind: ['ministry', 'region', 'municipality', 'company', 'association', 'research'][i % 6],
    website: `https://org${i}.example.dk`,
  }));
  const people = await many(PEOPLE, 'api::person.person', (i, locale) => ({
    name: `Person ${pad(i)} Jensen`,
    slug: `person-${pad(i)}-jensen`,
    bio: prose(i, locale, 25),
    // One affiliation for most, two for every fourth person.
    affiliations: [
      { title: locale === 'da' ? 'Direktør' : 'Director', organisation: organisations[i % ORGANISATIONS], kind: 'employment', current: true },
      ...(i % 4 === 0
        ? [{ title: locale === 'da' ? 'Bestyrelsesmedlem' : 'Board member', organisation: organisations[(i + 7) % ORGANISATIONS], kind: 'board', current: false }]
        : []),
    ],
  }));
  const festival = await make('api::event.event', (locale) => ({
    title: locale === 'da' ? 'Folkemødet 2027' : 'Folkemødet 2027 (en)',
    slug: locale === 'da' ? 'folkemoedet-2027' : 'folkemoedet-2027-en',
    summary: prose(1, locale, 20),
    startsAt: '2027-06-10T08:00:00.000Z',
    endsAt: '2027-06-12T20:00:00.000Z',
    kind: 'festival',
    programmeUrl: 'https://folkemoedet.example.dk/program',
    venue: venues[0],
    organisers: [organisations[0]],
    topics: [topics[0]],
  }));
  const events = await many(EVENTS, 'api::event.event', (i, locale) => {
    const day = 10 + (i % 3);
    const hour = 8 + (i % 10);
    return {
      title: locale === 'da' ? `Debat ${pad(i)}: ${sentence(i, 4)}` : `Debate ${pad(i)}: ${sentence(i, 4)}`,
      slug: locale === 'da' ? `debat-${pad(i)}` : `debate-${pad(i)}`,
      summary: prose(i, locale, 12),
      description: richText(i, locale).slice(1, 2),
      startsAt: `2027-06-${day}T${String(hour).padStart(2, '0')}:00:00.000Z`,
      endsAt: `2027-06-${day}T${String(hour + 1).padStart(2, '0')}:00:00.000Z`,
      kind: 'debate',
      venue: venues[i % VENUES],
      parent: festival,
      organisers: pick(organisations, i, 2, 5),
      participants: pick(people, i, 3, 11).map((person, j) => ({ person, part: j === 0 ? 'moderator' : 'panelist' })),
      topics: pick(topics, i, 2, 3),
    };
  });
  const quotes = await many(QUOTES, 'api::quote.quote', (i, locale) => ({
    text: prose(i, locale, 12),
    person: people[(i * 7) % PEOPLE],
    event: events[i % EVENTS],
    saidOn: '2027-06-11',
  }));
  // Four body blocks (text, quote, fact box, text): with these the da list page of 25 weighs
  // about what the "before" figure was measured on (95 kB); an event teaser would add ~1 kB each.
  const articles = await many(ARTICLES, 'api::article.article', (i, locale) => ({
    title: locale === 'da' ? `Artikel ${pad(i)}: ${sentence(i, 5)}` : `Article ${pad(i)}: ${sentence(i, 5)}`,
    slug: locale === 'da' ? `artikel-${pad(i)}` : `article-${pad(i)}`,
    lead: prose(i, locale, 10),
    coverCaption: sentence(i, 4),
    coverCredit: 'Foto: Bench',
    authors: pick(people, i, 2, 17),
    topics: pick(topics, i, 2, 7),
    quotes: pick(quotes, i, 3, 101),
    body: [
      { __component: 'blocks.rich-text', body: richText(i, locale) },
      { __component: 'blocks.quote', quote: quotes[i % QUOTES] },
      {
        __component: 'blocks.fact-box',
        title: locale === 'da' ? 'Fakta' : 'Facts',
        facts: [
          { label: locale === 'da' ? 'Hvor' : 'Where', value: 'Allinge' },
          { label: locale === 'da' ? 'Hvornår' : 'When', value: '11. juni 2027' },
          { label: locale === 'da' ? 'Hvem' : 'Who', value: sentence(i, 4) },
        ],
      },
      { __component: 'blocks.rich-text', body: richText(i + 3, locale) },
    ],
    seo: { metaTitle: sentence(i, 4), metaDescription: prose(i, locale, 6) },
    externalLinks: [{ label: 'Mere', url: `https://example.dk/${i}` }],
  }));
  return { counts, articles: articles.length };
}

// ---------------------------------------------------------------------------------------------
// Processes and HTTP.

// ---------------------------------------------------------------------------------------------

function schemaHash() {
  const hash = crypto.createHash('sha256').update(`dataset ${DATASET_VERSION}`);
  /** @param {string} dir */
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json')) hash.update(entry.name).update(fs.readFileSync(full));
    }
  };
  walk(path.join(APP_DIR, 'src/api'));
  walk(path.join(APP_DIR, 'src/components'));
  return hash.digest('hex').slice(0, 12);
}

const SQLITE_SUFFIXES = ['', '-wal', '-shm', '-journal'];
/** @param {string} file */
const removeDb = (file) => SQLITE_SUFFIXES.forEach((suffix) => fs.rmSync(file + suffix, { force: true }));

async function main() {
  const started = Date.now();
  fs.mkdirSync(TMP, { recursive: true });
  const appEnv = benchAppEnv();

  const postgres = Boolean(process.env.DATABASE_URL);
  const cachedDb = path.join(TMP, `bench-reads-${schemaHash()}.db`);
  const runDb = path.join(TMP, `bench-reads-run-${process.pid}.db`);
  if (!postgres) Object.assign(appEnv, { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: runDb });

  // Compile (TypeScript to dist/, which `strapi start` runs) and, when needed, build the data set
  // in this process with the Document Service.
  Object.assign(process.env, appEnv, postgres ? {} : { DATABASE_FILENAME: cachedDb + '.building' });
  const { createStrapi } = require('@strapi/strapi');
  let t = Date.now();
  // Compiled only when a source changed since the last build (scripts/lib/compiled-app.js).
  const appContext = await compiledApp(APP_DIR);
  log(`the app compiled to dist/ (when out of date) in ${seconds(Date.now() - t)} s`);

  if (!postgres && fs.existsSync(cachedDb)) {
    log(`data set: reusing ${path.relative(APP_DIR, cachedDb)} (version ${DATASET_VERSION}; delete it to rebuild)`);
  } else {
    t = Date.now();
    if (!postgres) removeDb(cachedDb + '.building');
    const strapi = await createStrapi({ ...appContext, autoReload: false, serveAdminPanel: false }).load();
    let statements = 0;
    strapi.db.connection.on('query', () => statements++);
    try {
      const existing = await strapi.db.query('api::article.article').count({ where: { slug: { $startsWith: 'artikel-' } } });
      if (postgres && existing === ARTICLES * 2) {
        log(`data set: reusing the one already in DATABASE_URL (${existing / 2} articles)`);
      } else if (postgres && existing > 0) {
        throw new Error(`DATABASE_URL holds ${existing} bench article rows but not a complete data set: give an empty database`);
      } else {
        log('data set: building (da + en, each published) …');
        const built = await buildDataSet(strapi);
        const summary = Object.entries(built.counts).map(([uid, n]) => `${n} ${uid.split('.').pop()}`).join(', ');
        log(`data set: built in ${seconds(Date.now() - t)} s (${summary}; ${statements} SQL statements)`);
      }
    } finally {
      // Waits for Strapi's unawaited after-commit queries, then destroys (src/lib/lifecycle/stop.ts).
      /** @type {typeof import('../src/lib/lifecycle/stop')} */
      const { stopStrapi } = require(path.join(appContext.distDir ?? path.join(APP_DIR, 'dist'), 'src/lib/lifecycle/stop.js'));
      await stopStrapi(strapi);
    }
    if (!postgres) {
      for (const suffix of SQLITE_SUFFIXES) {
        if (fs.existsSync(cachedDb + '.building' + suffix)) fs.renameSync(cachedDb + '.building' + suffix, cachedDb + suffix);
      }
      // Data sets of other versions or schemas are of no further use.
      for (const name of fs.readdirSync(TMP)) {
        if (/^bench-reads-[0-9a-f]{12}\.db(-wal|-shm|-journal)?$/.test(name) && !name.startsWith(path.basename(cachedDb))) {
          fs.rmSync(path.join(TMP, name), { force: true });
        }
      }
    }
  }
  if (!postgres) {
    for (const suffix of SQLITE_SUFFIXES) {
      if (fs.existsSync(cachedDb + suffix)) fs.copyFileSync(cachedDb + suffix, runDb + suffix);
    }
  }

  const logDir = path.join(APP_DIR, 'test-artifacts');
  fs.mkdirSync(logDir, { recursive: true });
  try {
    // The partner that writes during the reads-while-writing cases, before any app runs.
    const partnerAuth = createPartner(postgres ? appEnv : { ...appEnv, DATABASE_FILENAME: runDb });
    // One after the other: both write to the database while booting (permissions, locales).
    const cached = await startApp('cached', appEnv, path.join(logDir, 'bench-reads-app.log'));
    const uncached = await startApp('uncached', { ...appEnv, RESPONSE_CACHE: 'off' }, path.join(logDir, 'bench-reads-app-uncached.log'));

    const list = await request(uncached.base, { path: '/api/articles?locale=da&pagination[pageSize]=1&fields[0]=slug&sort=slug:asc' });
    /** @typedef {{ data?: { slug?: string }[]; meta?: { pagination?: { total?: number } } }} ArticleList */
    const slug = /** @type {ArticleList} */ (JSON.parse(list.body.toString())).data?.[0]?.slug;
    if (!slug) throw new Error(`no article to read by slug: ${list.status} ${list.body}`);
    const total = /** @type {ArticleList} */ (JSON.parse(list.body.toString())).meta?.pagination?.total;
    if (total !== ARTICLES) throw new Error(`expected ${ARTICLES} published da articles, the API lists ${total}`);

    /** @param {string} query */
    const graphql = (query) => ({
      path: '/graphql',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    /** @type {Case[]} */
    const cases = [
      { name: 'articles list', path: '/api/articles?locale=da&pagination[pageSize]=25' },
      {
        name: 'articles list, gzip/br',
        path: '/api/articles?locale=da&pagination[pageSize]=25',
        headers: { 'accept-encoding': 'gzip, br' },
        ceilingKey: '/gzip/api/articles?locale=da&pagination[pageSize]=25',
      },
      { name: 'article by slug', path: `/api/articles/slug/${slug}?locale=da` },
      {
        name: 'GraphQL nested list',
        ...graphql(
          '{ articles(locale: "da", pagination: { limit: 25 }) { title slug authors { name } topics { name } ' +
            'quotes { text person { name affiliations { title organisation { name } } } } } }'
        ),
        ceilingKey: '/graphql/nested',
      },
      {
        name: 'GraphQL titles',
        ...graphql('{ articles(locale: "da", pagination: { limit: 25 }) { title } }'),
        ceilingKey: '/graphql/titles',
      },
      { name: 'events .ics', path: '/api/events.ics?locale=da' },
      // Search (issue 24): a word in most articles' text, and a search box's suggestions.
      { name: 'search', path: `/api/search?q=${encodeURIComponent('offentlig indkøb')}&locale=da` },
      { name: 'search suggestions', path: '/api/search/suggest?q=innov&locale=da' },
    ];

    // Every case answers 200 (GraphQL: without errors) before any time is spent on it. Asked of
    // the uncached app, so that the first pass against the cached one starts with an empty cache.
    for (const c of cases) {
      const answer = await request(uncached.base, c);
      if (answer.status !== 200) throw new Error(`${c.name}: HTTP ${answer.status} ${answer.body.toString().slice(0, 500)}`);
      if (c.path === '/graphql' && /** @type {{ errors?: unknown }} */ (JSON.parse(answer.body.toString())).errors) throw new Error(`${c.name}: ${answer.body}`);
      c.first = answer;
    }

    /** @type {{ c: Case & { answer: Answer }; first: Figures; hit: Figures; uncached: Figures; ceiling?: Figures }[]} */
    const rows = [];
    for (const c of cases) {
      log(`${c.name}: ${c.method || 'GET'} ${c.path}${c.headers?.['accept-encoding'] ? ` (Accept-Encoding: ${c.headers['accept-encoding']})` : ''}`);
      const first = await pass('first pass', cached.base, c);
      const hit = await pass('warm pass', cached.base, c);
      const hitAnswer = await request(cached.base, c);
      const uncachedAnswer = await request(uncached.base, c);
      for (const [label, answer] of /** @type {[string, Answer][]} */ ([['warm pass', hitAnswer], ['uncached app', uncachedAnswer]])) {
        if (answer.status !== 200) throw new Error(`${c.name}, ${label}: HTTP ${answer.status}`);
      }
      // The cache hit and the uncached answer (before and now) are the same bytes.
      const firstAnswer = /** @type {Answer} */ (c.first); // set for every case above
      if (!hitAnswer.body.equals(uncachedAnswer.body) || !uncachedAnswer.body.equals(firstAnswer.body)) {
        throw new Error(
          `${c.name}: bodies differ (hit ${hitAnswer.body.length} B, uncached ${uncachedAnswer.body.length} B, ` +
            `uncached before the passes ${firstAnswer.body.length} B)`
        );
      }
      const uncachedFigures = await pass('uncached', uncached.base, c);
      c.answer = hitAnswer;
      rows.push({ c: /** @type {Case & { answer: Answer }} */ (c), first, hit, uncached: uncachedFigures });
      log(
        `  ${hitAnswer.body.length} bytes, ${hitAnswer.headers['content-type']}` +
          `${hitAnswer.headers['content-encoding'] ? `, ${hitAnswer.headers['content-encoding']}` : ', not compressed'}; ` +
          `hit and uncached bodies byte-identical`
      );
    }

    // Reads while writing (issue 23): this app, then the same with every answer dropped on
    // every write (RESPONSE_CACHE_INVALIDATION=everything, what main did before) as "before".
    /** @type {Array<{ documentId: string; slug: string; locale: string }>} */
    const slugs = [];
    for (const locale of ['da', 'en']) {
      // In pages of 100, the most a list gives.
      for (let page = 1; page <= Math.ceil(ARTICLES / 100); page++) {
        const list = await request(uncached.base, { path: `/api/articles?locale=${locale}&fields[0]=slug&sort=slug:asc&pagination[pageSize]=100&pagination[page]=${page}` });
        if (list.status !== 200) throw new Error(`article slugs: HTTP ${list.status} ${list.body.toString().slice(0, 300)}`);
        for (const item of /** @type {{ data: Array<{ documentId: string; slug: string }> }} */ (JSON.parse(list.body.toString())).data) slugs.push({ ...item, locale });
      }
    }
    if (slugs.length !== ARTICLES * 2) throw new Error(`expected ${ARTICLES * 2} article pages, found ${slugs.length}`);
    log(`reads while writing: ${slugs.length} article pages, this app (selective invalidation)`);
    const selective = await readsWhileWriting({ base: cached.base, label: 'selective', slugs, pass, partnerAuth });
    const everythingApp = await startApp('before', { ...appEnv, RESPONSE_CACHE_INVALIDATION: 'everything' }, path.join(logDir, 'bench-reads-app-before.log'));
    log('reads while writing: the same with RESPONSE_CACHE_INVALIDATION=everything (before)');
    const everything = await readsWhileWriting({ base: everythingApp.base, label: 'before', slugs, pass, partnerAuth });
    /** @type {Record<string, CeilingRoute>} */
    const pageRoutes = {};
    for (const { slug, locale } of slugs) {
      const pagePath = `/api/articles/slug/${slug}?locale=${locale}`;
      const answer = await request(cached.base, { path: pagePath });
      if (answer.status !== 200) throw new Error(`${pagePath}: HTTP ${answer.status}`);
      pageRoutes[pagePath] = { headers: { 'content-type': String(answer.headers['content-type']) }, body: answer.body.toString('base64') };
    }

    // The ceiling: the same bytes and content headers from a bare Node server.
    /** @type {Record<string, CeilingRoute>} */
    const routes = { ...pageRoutes };
    for (const { c } of rows) {
      /** @type {Record<string, string | string[]>} */
      const headers = {};
      for (const name of ['content-type', 'content-encoding', 'vary', 'content-disposition']) {
        if (c.answer.headers[name]) headers[name] = c.answer.headers[name];
      }
      routes[c.ceilingKey || c.path] = { headers, body: c.answer.body.toString('base64') };
    }
    stopChildren();
    const ceiling = await startCeiling(routes);
    log(`ceiling: bare node http server, pid ${ceiling.child.pid}, ${ceiling.base}`);
    for (const row of rows) {
      const c = row.c;
      const check = await request(ceiling.base, { ...c, path: c.ceilingKey || c.path });
      if (!check.body.equals(c.answer.body)) throw new Error(`${c.name}: the ceiling server's bytes differ`);
      log(`${c.name}:`);
      row.ceiling = await pass('ceiling', ceiling.base, { ...c, path: c.ceilingKey || c.path });
    }
    const pagesCeiling = await pass('ceiling', ceiling.base, {
      name: `${slugs.length} pages`,
      path: '/',
      requests: Object.keys(pageRoutes).map((pagePath) => ({ method: 'GET', path: pagePath })),
    });
    stopChildren();

    // The table.
    /** @param {number} n */
    const rps = (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
    // autocannon's latencies are whole milliseconds: 0 means under one.
    /** @param {number} n */
    const ms = (n) => (n < 1 ? '<1 ms' : n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(n >= 100 ? 0 : 1)} ms`);
    /** @param {number} a @param {number} b */
    const ratio = (a, b) => `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}×`;
    /** @param {number} a @param {number} b */
    const share = (a, b) => {
      const percent = (100 * a) / b;
      return `${percent >= 10 ? percent.toFixed(0) : percent.toPrecision(2)}%`;
    };
    const database = postgres ? 'PostgreSQL' : 'SQLite';
    const header = ['case', 'hit req/s', 'hit p50', 'hit p99', 'uncached req/s', 'uncached p50', 'ceiling req/s', 'hit/ceiling', 'uncached/before'];
    const body = rows.map(({ c, hit, uncached: u, ceiling }) => {
      const ce = /** @type {Figures} */ (ceiling); // every row had its ceiling pass above
      const caseBefore = BEFORE[c.name];
      return [
        c.name,
        rps(hit.reqPerSec),
        ms(hit.p50),
        ms(hit.p99),
        rps(u.reqPerSec),
        ms(u.p50),
        rps(ce.reqPerSec),
        share(hit.reqPerSec, ce.reqPerSec),
        caseBefore?.database === database ? ratio(u.reqPerSec, caseBefore.reqPerSec) : '—',
      ];
    });
    // Every row has a cell for each column of the header.
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => /** @type {string} */ (r[i]).length)));
    /** @param {string[]} cells */
    const line = (cells) =>
      cells
        .map((cell, i) => {
          const width = /** @type {number} */ (widths[i]);
          return i === 0 ? cell.padEnd(width) : cell.padStart(width);
        })
        .join(' | ');
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const about =
      `${ARTICLES} articles × da/en, ${EVENTS + 1} events; ${database}, NODE_ENV=production, \`strapi start\` in a child ` +
      `process; autocannon ${CONNECTIONS} connections × ${SECONDS} s per pass; Node ${process.version}; ${when} UTC`;
    log('');
    log(about);
    log(line(header));
    log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    for (const r of body) log(line(r));
    const firstPasses = rows.map(({ c, first }) => `${c.name} ${rps(first.reqPerSec)} req/s (p50 ${ms(first.p50)})`).join('; ');
    log(`first passes (cache filling): ${firstPasses}`);
    const sizes = rows
      .map(({ c }) => `${c.name} ${(c.answer.body.length / 1000).toFixed(1)} kB${c.answer.headers['content-encoding'] ? ` ${c.answer.headers['content-encoding']}` : ''}`)
      .join('; ');
    log(`response bodies: ${sizes}`);

    const before = BEFORE['articles list'];
    const markdown = [
      `<!-- npm run bench:reads, ${when} UTC -->`,
      '',
      `| ${header.join(' | ')} |`,
      `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
      ...body.map((r) => `| ${r.join(' | ')} |`),
      '',
      `${about}. "hit" is the warm (second) pass of the same request against the app with its ` +
        `response cache as configured; "uncached" is the app started with \`RESPONSE_CACHE=off\`; ` +
        `"ceiling" is a bare Node \`http.createServer\` sending the same bytes and content headers. ` +
        `"before": the articles list measured on main before this work, ${before.reqPerSec} req/s, p50 ` +
        `${before.p50Ms / 1000} s (SQLite, production, 10 connections, 300 articles, a 95 kB page). First passes: ${firstPasses}. ` +
        `Response bodies: ${sizes}.`,
      '',
    ];
    // Reads while writing.
    const writesHeader = ['reads', 'writes', 'req/s', 'p50', 'of no writes', 'writes ok/failed', 'before: req/s', 'before: of no writes'];
    /** @param {string} reads @param {string} writes @param {Figures} now @param {Figures} quiet @param {{ ok: number; failed: number }} counts @param {Figures} then @param {Figures} thenQuiet */
    const writesRow = (reads, writes, now, quiet, counts, then, thenQuiet) => [
      reads,
      writes,
      rps(now.reqPerSec),
      ms(now.p50),
      share(now.reqPerSec, quiet.reqPerSec),
      `${counts.ok}/${counts.failed}`,
      rps(then.reqPerSec),
      share(then.reqPerSec, thenQuiet.reqPerSec),
    ];
    const writesBody = [
      [`${selective.pages} pages`, 'none', rps(selective.quiet.reqPerSec), ms(selective.quiet.p50), '100%', '—', rps(everything.quiet.reqPerSec), '100%'],
      writesRow(`${selective.pages} pages`, 'a partner event every 0.5 s', selective.partner.figures, selective.quiet, selective.partner.writes, everything.partner.figures, everything.quiet),
      writesRow(`${selective.otherPages} pages`, 'an article edited every 0.5 s', selective.editor.figures, selective.quiet, selective.editor.writes, everything.editor.figures, everything.quiet),
    ];
    const writesTable = [`| ${writesHeader.join(' | ')} |`, `| ${writesHeader.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`, ...writesBody.map((r) => `| ${r.join(' | ')} |`)];
    log('');
    log(`reads while writing (${database}; ceiling, a bare server sending the ${slugs.length} pages: ${rps(pagesCeiling.reqPerSec)} req/s):`);
    for (const r of writesTable) log(r);
    markdown.push(
      '',
      `Reads while writing: ${selective.pages} article pages by slug (${ARTICLES} articles × da/en) read in turn by ` +
        `${CONNECTIONS} connections, ${SECONDS} s a pass, while the same app takes writes. "before" is the same app started ` +
        `with \`RESPONSE_CACHE_INVALIDATION=everything\` (any write drops every answer, as before issue 23), measured in this run. ` +
        `Ceiling: a bare Node server sending the same ${slugs.length} pages, ${rps(pagesCeiling.reqPerSec)} req/s.`,
      '',
      ...writesTable,
      ''
    );
    fs.writeFileSync(path.join(logDir, 'bench-reads.md'), markdown.join('\n'));
    log(`table written to ${path.relative(APP_DIR, path.join(logDir, 'bench-reads.md'))}; whole run ${seconds(Date.now() - started)} s`);
  } finally {
    stopChildren();
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (!postgres) removeDb(runDb);
  }
}

/** @type {import('./lib/cli').CliSpec} */
const CLI = {
  name: 'bench:reads',
  npm: 'bench:reads',
  summary:
    'Public read throughput: this app against a plain Strapi and a bare Node server sending the same bytes (production, SQLite; ' +
    'PostgreSQL with DATABASE_URL). Settings from the environment: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 10).',
};
runBench(CLI, main);
