#!/usr/bin/env node
// @ts-check
// npm run bench:search: uncached search and suggestion latency as the archive grows (issue 24:
// search on 10,000 articles answers uncached in ≤ 50 ms p50 on PostgreSQL; suggestions ≤ 20 ms
// p50 on the 300-article set).
//
// 1. Boots the app once in this process (migrations: the index tables) in a throwaway SQLite file
//    under .tmp/, or in DATABASE_URL (an empty database), and fills the search index with
//    bilingual articles of realistic length (a 6-10 word title, a 25-word lead, a 400-word body
//    of Danish or English prose), written by the app's own index code (src/api/search/:
//    indexTerms, writeIndexed). A search reads only the index, so these rows are what a search
//    of that many published articles reads; building them through the Document Service would
//    take ~0.2 s an article.
// 2. Starts the app with `strapi start` in production with RESPONSE_CACHE=off (every answer
//    computed), and measures ten different searches in turn and five suggestions in turn, at 1
//    connection (the latency a reader waits) and at BENCH_CONNECTIONS (default 10: throughput).
//    First at 300 articles, then, in the same run, at 10,000 (BENCH_SEARCH_ARTICLES): the smaller
//    archive is the "before".
// 3. The ceiling: a bare Node server sending the same bytes (scripts/lib/bench-http.js).
// Prints a table and writes it to test-artifacts/bench-search.md.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { APP_DIR, TMP, log, seconds, request, stopChildren, startApp, startCeiling, pass, benchAppEnv, runBench } = require('./lib/bench-http');
const { compiledApp } = require('./lib/compiled-app');

/** @typedef {import('./lib/bench-http').Case} Case */
/** @typedef {import('./lib/bench-http').Figures} Figures */

const SIZES = [300, Number(process.env.BENCH_SEARCH_ARTICLES || 10_000)];
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 10);

// Words of Danish public-sector news, the first ones most frequent (a Zipf-like draw below).
const DANISH = (
  'kommune region offentlig innovation indkøb borger virksomhed samarbejde løsning digital velfærd ' +
  'sundhed ældrepleje klima udbud partnerskab teknologi data projekt strategi udvikling erfaring ' +
  'medarbejder hospital skole uddannelse forskning marked dialog behov politik minister direktør ' +
  'robot sensor plejehjem patient behandling energi vand affald transport bæredygtig grøn omstilling ' +
  'økonomi investering budget effekt kvalitet tryghed trivsel fællesskab netværk viden metode ' +
  'afprøvning pilotprojekt resultat rapport konference debat folkemøde festival program scene ' +
  'telt havn by land ø Bornholm København Aarhus Odense Aalborg Esbjerg Vejle Kolding Herning ' +
  'indkøbsvogn indkøbere fremtid mulighed udfordring ansvar beslutning lovgivning regel standard ' +
  'kunstig intelligens cybersikkerhed platform system service app selvbetjening automatisering'
).split(' ');
const ENGLISH = (
  'municipality region public innovation procurement citizen company collaboration solution digital ' +
  'welfare health elderly care climate tender partnership technology data project strategy ' +
  'development experience staff hospital school education research market dialogue need policy ' +
  'minister director robot sensor nursing home patient treatment energy water waste transport ' +
  'sustainable green transition economy investment budget effect quality safety community network ' +
  'knowledge method trial pilot result report conference debate festival programme stage harbour'
).split(' ');

/** A deterministic pseudo-random source, so every run indexes the same text. @param {number} seed */
function random(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** @param {() => number} next @param {string[]} words @param {number} count */
function prose(next, words, count) {
  const out = [];
  // Zipf-like: low indexes far more often, as in real text.
  for (let i = 0; i < count; i++) out.push(words[Math.floor(words.length * next() ** 2.5)]);
  const text = out.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

const SEARCHES = [
  'indkøb',
  'offentlig innovation',
  'ældrepleje',
  'aeldrepleje robot',
  'kommune klima',
  'digital velfærd',
  'sundhed data',
  'partnerskab',
  'Bornholm festival',
  'kunstig intelligens',
];
const SUGGESTIONS = ['ind', 'innov', 'ældre', 'kom', 'dig'];

/**
 * Fills the index up to `articles` articles in da and en (those already there are kept).
 * @param {import('@strapi/strapi').Core.Strapi} strapi
 * @param {string} distDir
 * @param {number} from
 * @param {number} to
 */
async function fillIndex(strapi, distDir, from, to) {
  /** @type {typeof import('../src/api/search/index-store')} */
  const store = require(path.join(distDir, 'src/api/search/index-store.js'));
  /** @type {typeof import('../src/api/search/text')} */
  const text = require(path.join(distDir, 'src/api/search/text.js'));
  /** @type {typeof import('../src/lib/sync/change-store')} */
  const changes = require(path.join(distDir, 'src/lib/sync/change-store.js'));
  const knex = strapi.db.connection;
  const began = Date.now();
  const year = 365 * 86_400_000;
  for (let start = from; start < to; start += 500) {
    await knex.transaction(async (trx) => {
      for (let i = start; i < Math.min(to, start + 500); i++) {
        const documentId = crypto.createHash('sha1').update(`bench-search-${i}`).digest('hex').slice(0, 24);
        // Fifteen years of news, newest last.
        const publishedAt = new Date(Date.now() - 15 * year + (15 * year * i) / to);
        for (const [locale, words] of /** @type {Array<['da' | 'en', string[]]>} */ ([['da', DANISH], ['en', ENGLISH]])) {
          const next = random(i * 2 + (locale === 'da' ? 1 : 2));
          const title = prose(next, words, 6 + Math.floor(next() * 5)).slice(0, -1);
          const lead = prose(next, words, 25);
          const body = Array.from({ length: 8 }, () => prose(next, words, 50)).join('\n');
          await store.writeIndexed(trx, {
            contentType: 'api::article.article',
            documentId,
            locale,
            slug: `artikel-${i}-${locale}`,
            title,
            lead,
            body,
            startsAt: null,
            publishedAt,
            terms: { title: text.indexTerms(title, locale), lead: text.indexTerms(lead, locale), body: text.indexTerms(body, locale) },
            dependsOn: [],
          });
        }
      }
    });
    process.stdout.write(`\rindex: ${Math.min(to, start + 500)}/${to} articles`);
  }
  // The index is where the change log is: the app's boot has nothing to catch up (and rebuilds nothing).
  await store.setIndexedPosition(knex, await changes.headPosition(knex));
  // As PostgreSQL's autovacuum would soon after a bulk load (and reindexAll does): fresh statistics.
  if (process.env.DATABASE_URL) await knex.raw('analyze search_documents');
  process.stdout.write('\n');
  log(`index: ${to - from} articles (da + en) written in ${seconds(Date.now() - began)} s`);
}

/** @param {Figures} f */
const cell = (f) => `${f.p50.toFixed(1)} ms / ${f.p99.toFixed(1)} ms / ${Math.round(f.reqPerSec)}`;

async function main() {
  const started = Date.now();
  fs.mkdirSync(TMP, { recursive: true });
  const appEnv = benchAppEnv({
    // Every answer computed: this bench is about the search, not the cache.
    RESPONSE_CACHE: 'off',
  });
  const postgres = Boolean(process.env.DATABASE_URL);
  const dbFile = path.join(TMP, `bench-search-${process.pid}.db`);
  if (!postgres) Object.assign(appEnv, { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: dbFile });
  Object.assign(process.env, appEnv);

  const { createStrapi } = require('@strapi/strapi');
  // Compiled only when a source changed since the last build (scripts/lib/compiled-app.js).
  const appContext = await compiledApp(APP_DIR);
  const distDir = appContext.distDir ?? path.join(APP_DIR, 'dist');
  /** @type {typeof import('../src/lib/lifecycle/stop')} */
  const { stopStrapi } = require(path.join(distDir, 'src/lib/lifecycle/stop.js'));
  const logDir = path.join(APP_DIR, 'test-artifacts');
  fs.mkdirSync(logDir, { recursive: true });

  /** @type {Array<{ size: number; search1: Figures; searchN: Figures; suggest1: Figures; suggestN: Figures; bytes: Map<string, Buffer> }>} */
  const results = [];
  let filled = 0;
  try {
    for (const size of SIZES) {
      const strapi = await createStrapi({ ...appContext, autoReload: false, serveAdminPanel: false }).load();
      try {
        if (filled === 0 && (await strapi.db.connection('search_documents').count({ n: '*' }).first())?.n != 0) {
          throw new Error('DATABASE_URL already holds a search index: give an empty database');
        }
        await fillIndex(strapi, distDir, filled, size);
        filled = size;
      } finally {
        await stopStrapi(strapi);
      }
      const app = await startApp(`${size} articles`, appEnv, path.join(logDir, 'bench-search-app.log'));
      /** @type {Map<string, Buffer>} */
      const bytes = new Map();
      const searchPaths = SEARCHES.map((q) => `/api/search?q=${encodeURIComponent(q)}&locale=da`);
      const suggestPaths = SUGGESTIONS.map((q) => `/api/search/suggest?q=${encodeURIComponent(q)}&locale=da`);
      for (const p of [...searchPaths, ...suggestPaths]) {
        const answer = await request(app.base, { path: p });
        if (answer.status !== 200) throw new Error(`${p}: ${answer.status} ${answer.body.toString().slice(0, 300)}`);
        bytes.set(p, answer.body);
      }
      /** @type {{ total: number; totalIsLowerBound: boolean }} */
      const found = JSON.parse(/** @type {Buffer} */ (bytes.get(searchPaths[0] ?? '')).toString()).meta.pagination;
      log(`${size} articles: "${SEARCHES[0]}" finds ${found.total}${found.totalIsLowerBound ? ' or more (the count stops there)' : ''}`);
      /** @param {string} name @param {string[]} paths @returns {Case} */
      const inTurn = (name, paths) => ({ name, path: paths[0] ?? '/', requests: paths.map((p) => ({ method: 'GET', path: p })) });
      const search1 = await pass(`search, 1 connection`, app.base, inTurn('search', searchPaths), 1);
      const searchN = await pass(`search, ${CONNECTIONS} connections`, app.base, inTurn('search', searchPaths), CONNECTIONS);
      const suggest1 = await pass(`suggest, 1 connection`, app.base, inTurn('suggest', suggestPaths), 1);
      const suggestN = await pass(`suggest, ${CONNECTIONS} connections`, app.base, inTurn('suggest', suggestPaths), CONNECTIONS);
      results.push({ size, search1, searchN, suggest1, suggestN, bytes });
      stopChildren();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    // The ceiling: the same bytes (of the largest archive) from a bare Node server.
    const last = /** @type {(typeof results)[number]} */ (results[results.length - 1]);
    /** @type {Record<string, import('./lib/bench-http').CeilingRoute>} */
    const routes = {};
    for (const [p, body] of last.bytes) routes[p] = { headers: { 'content-type': 'application/json; charset=utf-8' }, body: body.toString('base64') };
    const ceiling = await startCeiling(routes);
    const paths = [...last.bytes.keys()];
    const ceiling1 = await pass('ceiling, 1 connection', ceiling.base, { name: 'ceiling', path: paths[0] ?? '/', requests: paths.map((p) => ({ method: 'GET', path: p })) }, 1);
    const ceilingN = await pass(`ceiling, ${CONNECTIONS} connections`, ceiling.base, { name: 'ceiling', path: paths[0] ?? '/', requests: paths.map((p) => ({ method: 'GET', path: p })) }, CONNECTIONS);
    stopChildren();

    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const header = ['articles (da + en)', 'search, 1 conn.', `search, ${CONNECTIONS} conn.`, 'suggest, 1 conn.', `suggest, ${CONNECTIONS} conn.`];
    const rows = results.map((r) => [String(r.size), cell(r.search1), cell(r.searchN), cell(r.suggest1), cell(r.suggestN)]);
    rows.push(['ceiling (same bytes)', cell(ceiling1), cell(ceilingN), '', '']);
    const table = [
      `| ${header.join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...rows.map((row) => `| ${row.join(' | ')} |`),
    ].join('\n');
    const note =
      `Uncached (RESPONSE_CACHE=off), ${postgres ? 'PostgreSQL' : 'SQLite'}, production, Node ${process.version}, ${when} UTC. ` +
      `Each cell: p50 / p99 latency / req/s, ten searches (or five suggestions) in turn, ${Number(process.env.BENCH_SECONDS || 10)} s a pass. ` +
      `The smaller archive is the "before" of the larger, in the same run; the ceiling is a bare Node server sending the largest archive's bytes.`;
    log(`\n${table}\n\n${note}\nin ${seconds(Date.now() - started)} s`);
    fs.writeFileSync(path.join(logDir, 'bench-search.md'), `${table}\n\n${note}\n`);
  } finally {
    stopChildren();
    if (!postgres) for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(dbFile + suffix, { force: true });
  }
}

/** @type {import('./lib/cli').CliSpec} */
const CLI = {
  name: 'bench:search',
  npm: 'bench:search',
  summary:
    'Uncached search and suggestion latency at 300 and 10,000 bilingual articles (SQLite; PostgreSQL with DATABASE_URL, an empty database). ' +
    'Settings from the environment: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 10), BENCH_SEARCH_ARTICLES (default 10000).',
};
runBench(CLI, main);
