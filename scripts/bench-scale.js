#!/usr/bin/env node
// @ts-check
// npm run bench:scale (issue 27): do the main reads hold as the archive grows?
//
// 1. Generates two archives in the import's NDJSON shape from a fixed seed (scripts/lib/archive.js):
//    a small one (BENCH_SCALE_SMALL articles, default 1,000) and a large one (BENCH_SCALE_ARTICLES,
//    default 100,000), each with the issue's proportions (per 100k articles: 50k events in
//    festival programmes, 5k people, 1k organisations, 200 topics; Danish and English texts of
//    realistic length, one article in five Danish only).
// 2. Imports each into a fresh PostgreSQL database of its own with `npm run import` (so the import
//    is measured too), then runs VACUUM ANALYZE (what autovacuum does after a load).
// 3. Starts an app on each with `strapi start` in production with RESPONSE_CACHE=off (every
//    answer computed), both side by side, and times each read at 1 connection, alternating
//    between the two sizes request by request (3 warm-up requests first), BENCH_SCALE_REQUESTS
//    (default 40) per read and size; p50 and p99. The small archive is the "before" of the same run; the
//    goal is each read's p50 at the large size within 1.5x of the small.
// 4. Prints the table (with the app's RSS after the reads and the database's size) and writes it
//    to test-artifacts/bench-scale.md. Fails when any read does not answer 200.
//
// BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) is a role that may create
// databases; the two databases (bench_scale_<n>) are dropped and made again on each run, unless
// BENCH_SCALE_KEEP=1 and an earlier run finished importing into them (reads measured again only).
// BENCH_SCALE_ONLY=<text> measures only the reads whose name contains it (one change's reads again).
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { Client } = require('pg');
const { APP_DIR, TMP, log, seconds, request, stopChildren, startApp, benchAppEnv, runBench } = require('./lib/bench-http');
const { adminToken } = require('./lib/reads-while-writing');
const { archiveCounts, writeArchive } = require('./lib/archive');
const { compiledApp } = require('./lib/compiled-app');

const SMALL = Number(process.env.BENCH_SCALE_SMALL || 1000);
const LARGE = Number(process.env.BENCH_SCALE_ARTICLES || 100_000);
const REQUESTS = Number(process.env.BENCH_SCALE_REQUESTS || 40);
/**
 * Rounds each read's requests are split into, alternating between the two apps: one request a
 * round, so that both sizes meet the machine as it is at each moment (in 4 rounds, one read's
 * ratio was 1.28x in one run and 1.61x in the next, on the same databases; docs/scale.md).
 */
const ROUNDS = REQUESTS;
const PG_URL = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
/**
 * The planner's cost of a random page read, as compose.yaml's PostgreSQL runs (docs/operations.md):
 * set on each database, so the benchmark reads as production does whatever the server's default.
 */
const RANDOM_PAGE_COST = '1.1';
// Reuses a database a finished earlier run imported (to measure reads again without importing).
const KEEP = process.env.BENCH_SCALE_KEEP === '1';
const ONLY = process.env.BENCH_SCALE_ONLY ?? '';
// The API serves list pages up to item 10,000 (src/lib/http/list-size.ts): the deepest page is
// the last one below that, or the archive's last page when it is smaller.
const MAX_LIST_DEPTH = 10_000;
const PAGE_SIZE = 25;
const DIR = path.join(TMP, 'bench-scale');

/** @typedef {{ name: string; path: string; method?: string; headers?: Record<string, string>; body?: string }} Read */

/** @param {string} database */
const urlOf = (database) => {
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  return url.toString();
};

/**
 * Whether `database` holds a finished import (for BENCH_SCALE_KEEP).
 * @param {string} database
 */
async function importedBefore(database) {
  if ((await sql('select 1 from pg_database where datname = $1', [database])).length === 0) return false;
  const finished = await sql('select 1 from import_checkpoints where finished_at is not null', [], urlOf(database)).catch(() => []);
  return finished.length > 0;
}

/**
 * Rows of one statement, on a connection of its own.
 * @param {string} sqlText @param {unknown[]} [values] @param {string} [url]
 * @returns {Promise<Array<Record<string, any>>>}
 */
async function sql(sqlText, values = [], url = PG_URL) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sqlText, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Runs `npm run import -- file` against `url`; resolves to its seconds and summary line.
 * @param {string} file @param {string} url
 * @returns {Promise<{ seconds: number; summary: string }>}
 */
function runImport(file, url) {
  return new Promise((resolve, reject) => {
    const began = Date.now();
    const child = spawn(process.execPath, [path.join(APP_DIR, 'scripts/import.js'), file], {
      cwd: APP_DIR,
      env: { ...benchAppEnv(), NODE_ENV: 'development', DATABASE_CLIENT: 'postgres', DATABASE_URL: url, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => {
      err += chunk;
      const progress = String(chunk).trim().split('\n').pop();
      if (progress?.startsWith('import: line')) log(`  ${progress}`);
    });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`import exited with ${code}:\n${err.slice(-3000)}`));
      else resolve({ seconds: (Date.now() - began) / 1000, summary: out.trim().split('\n').pop() ?? '' });
    });
  });
}

/**
 * `count` timed requests of one read, after `warmUp` untimed ones, failing on any answer but 200.
 * @param {string} base @param {Read} read @param {number} count @param {number} warmUp
 * @returns {Promise<{ samples: number[]; bytes: number }>}
 */
async function timeRequests(base, read, count, warmUp) {
  const send = async () => {
    const began = process.hrtime.bigint();
    const answer = await request(base, { path: read.path, method: read.method, headers: read.headers, body: read.body });
    const ms = Number(process.hrtime.bigint() - began) / 1e6;
    if (answer.status !== 200) throw new Error(`${read.name}: ${read.method ?? 'GET'} ${read.path} answered ${answer.status}: ${answer.body.toString('utf8').slice(0, 500)}`);
    if (read.path === '/graphql' && JSON.parse(answer.body.toString('utf8')).errors) throw new Error(`${read.name}: ${answer.body.toString('utf8').slice(0, 500)}`);
    return { ms, bytes: answer.body.length };
  };
  for (let i = 0; i < warmUp; i++) await send();
  /** @type {number[]} */
  const samples = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const sample = await send();
    samples.push(sample.ms);
    bytes = sample.bytes;
  }
  return { samples, bytes };
}

/** @param {number[]} samples */
function percentiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  /** @param {number} q */
  const at = (q) => /** @type {number} */ (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
  return { p50: at(0.5), p99: at(0.99) };
}

/**
 * The reads, with targets found in the imported archive by their import keys (the same keys at both sizes).
 * @param {string} url @param {string} base @param {number} articles
 * @returns {Promise<Read[]>}
 */
async function readsFor(url, base, articles) {
  /** @param {string} type @param {string} key @returns {Promise<string>} */
  const documentIdOf = async (type, key) => {
    const rows = await sql('select document_id from import_documents where content_type = $1 and import_key = $2', [type, key], url);
    if (!rows[0]) throw new Error(`no ${key} in ${url}`);
    return rows[0].document_id;
  };
  const middle = await documentIdOf('api::article.article', `article/${Math.ceil(articles / 2)}`);
  const [{ slug }] = /** @type {[{ slug: string }]} */ (await sql("select slug from articles where document_id = $1 and locale = 'da' and published_at is not null", [middle], url));
  const topic = await documentIdOf('api::topic.topic', 'topic/1');
  const [{ slug: topicSlug }] = /** @type {[{ slug: string }]} */ (await sql("select slug from topics where document_id = $1 and locale = 'da' and published_at is not null", [topic], url));
  const person = await documentIdOf('api::person.person', 'person/1');
  const festival = await documentIdOf('api::event.event', 'event/1');
  const deepest = Math.min(Math.floor(MAX_LIST_DEPTH / PAGE_SIZE), Math.ceil(articles / PAGE_SIZE));
  // A delta of the feed: the cursor at the end of the topics' first pass, then the log after it.
  let cursor;
  for (let page = 0, next; page < 100; page++) {
    const answer = await request(base, { path: `/api/sync?type=topics&limit=100${next ? `&cursor=${encodeURIComponent(next)}` : ''}` });
    const body = JSON.parse(answer.body.toString('utf8'));
    if (answer.status !== 200) throw new Error(`feed: ${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`);
    next = body.nextCursor ?? body.meta?.nextCursor;
    cursor = next;
    if (!(body.hasMore ?? body.meta?.hasMore)) break;
  }
  const admin = await adminToken(base);
  const graphql = JSON.stringify({
    query: 'query { articles(locale: "da", pagination: { pageSize: 25 }) { documentId title authors { name } topics { name } events { title startsAt } } }',
  });
  return [
    { name: 'articles list, first page (default shape)', path: '/api/articles?locale=da' },
    { name: `articles list, deepest page served (item ≤ ${MAX_LIST_DEPTH})`, path: `/api/articles?locale=da&pagination[page]=${deepest}&pagination[pageSize]=${PAGE_SIZE}` },
    { name: 'article by slug', path: `/api/articles/slug/${slug}?locale=da` },
    { name: 'events, when=upcoming', path: '/api/events?locale=da&when=upcoming' },
    { name: "a topic's articles", path: `/api/articles?locale=da&filters[topics][documentId][$eq]=${topic}` },
    // Its default shape carries the topic's newest articles and events (bounded: docs/scale.md).
    { name: 'a topic by slug (default shape)', path: `/api/topics/slug/${topicSlug}?locale=da` },
    // Pages of 10: the small archive has 10 topics and 10 organisations in all.
    { name: 'topics list, first page of 10 (default shape)', path: '/api/topics?locale=da&pagination[pageSize]=10' },
    { name: 'organisations list, first page of 10 (default shape)', path: '/api/organisations?locale=da&pagination[pageSize]=10' },
    { name: "a person's events", path: `/api/events?locale=da&filters[participants][person][documentId][$eq]=${person}` },
    { name: 'articles list en, fallback da', path: '/api/articles?locale=en&fallbackLocale=da' },
    { name: 'GraphQL nested list (25 articles, authors, topics, events)', path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json' }, body: graphql },
    { name: "the feed's first pass, first page (100)", path: '/api/sync?limit=100' },
    { name: 'the feed, a delta (topics, after the head)', path: `/api/sync?type=topics&cursor=${encodeURIComponent(String(cursor))}` },
    { name: "the feed's first pass of topics, first page (10)", path: '/api/sync?type=topics&limit=10' },
    { name: ".ics of a festival's programme", path: `/api/events.ics?festival=${festival}` },
    { name: 'search "energi"', path: '/api/search?q=energi&locale=da' },
    {
      name: 'admin list view, search "energi"',
      path: '/content-manager/collection-types/api::article.article?page=1&pageSize=10&sort=title:ASC&_q=energi&locale=da',
      headers: { authorization: admin },
    },
    // A word no article has: nothing to stop a scan early (docs/scale.md, the admin's search).
    {
      name: 'admin list view, search a word in no article',
      path: '/content-manager/collection-types/api::article.article?page=1&pageSize=10&sort=title:ASC&_q=kv%C3%A6lstofregnskab&locale=da',
      headers: { authorization: admin },
    },
    {
      name: 'admin list view of events, search a word in no event',
      path: '/content-manager/collection-types/api::event.event?page=1&pageSize=10&sort=startsAt:DESC&_q=kv%C3%A6lstofregnskab&locale=da',
      headers: { authorization: admin },
    },
  ];
}

/**
 * Imports an archive of `articles` articles into a fresh database (or keeps an imported one).
 * @param {number} articles
 */
async function prepare(articles) {
  const counts = archiveCounts(articles);
  fs.mkdirSync(DIR, { recursive: true });
  const file = path.join(DIR, `archive-${articles}.ndjson`);
  if (!fs.existsSync(file)) {
    const began = Date.now();
    writeArchive(`${file}.part`, { articles });
    fs.renameSync(`${file}.part`, file);
    log(`generated ${path.relative(APP_DIR, file)} (${(fs.statSync(file).size / 1e6).toFixed(0)} MB) in ${seconds(Date.now() - began)} s`);
  }
  const database = `bench_scale_${articles}`;
  const url = urlOf(database);
  /** @type {{ seconds: number; summary: string }} */
  let imported;
  if (KEEP && (await importedBefore(database))) {
    imported = { seconds: NaN, summary: `kept from an earlier run (BENCH_SCALE_KEEP=1)` };
    log(`${database}: kept, with its import finished (BENCH_SCALE_KEEP=1)`);
  } else {
    await sql(`drop database if exists ${database} with (force)`);
    await sql(`create database ${database}`);
    await sql(`alter database ${database} set random_page_cost = ${RANDOM_PAGE_COST}`);
    log(`importing ${Object.entries(counts).map(([type, n]) => `${n} ${type}`).join(', ')} into ${database}`);
    imported = await runImport(file, url);
    log(`  ${imported.summary}`);
  }
  // A database imported before the setting was kept here gets it too (new connections read it).
  if (KEEP) await sql(`alter database ${database} set random_page_cost = ${RANDOM_PAGE_COST}`);
  // The state autovacuum leaves a loaded database in: statistics, and the visibility map that
  // lets a count read an index alone.
  await sql('vacuum analyze', [], url);
  const [{ size }] = /** @type {[{ size: string }]} */ (await sql('select pg_database_size(current_database()) as size', [], url));
  return { articles, counts, url, importSeconds: imported.seconds, importSummary: imported.summary, bytes: Number(size) };
}

/** @param {{ pid?: number }} child */
const rssMbOf = (child) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function main() {
  // The app the import and `strapi start` run, compiled if a source changed since the last build.
  await compiledApp(APP_DIR);
  log(`bench:scale: ${SMALL} and ${LARGE} articles on PostgreSQL (${PG_URL.replace(/\/\/[^@]*@/, '//')}), ${REQUESTS} requests per read, Node ${process.version}`);
  // Both apps run side by side, and each read alternates between them request by request (small
  // first in one round, large first in the next): a slower moment of the machine falls on both
  // sizes, not on one of them (two runs a size after the other differed by up to 1.4x in a ratio).
  /** @type {Array<Awaited<ReturnType<typeof prepare>> & { base: string; child: import('child_process').ChildProcess; reads: Read[]; figures: Map<string, { p50: number; p99: number; bytes: number }>; rssMb: number }>} */
  const sides = [];
  // Both imports first, then the apps: an app idle through the other's import (half an hour at
  // 100,000 articles) would hold an admin session token past its lifetime (30 minutes).
  const runs = [];
  for (const articles of [SMALL, LARGE]) runs.push(await prepare(articles));
  for (const run of runs) {
    const { articles } = run;
    const { base, child } = await startApp(`${articles}-article`, benchAppEnv({ DATABASE_CLIENT: 'postgres', DATABASE_URL: run.url, RESPONSE_CACHE: 'off' }), path.join(DIR, `app-${articles}.log`));
    const reads = (await readsFor(run.url, base, articles)).filter((read) => read.name.includes(ONLY));
    if (reads.length === 0) throw new Error(`bench:scale: no read's name contains BENCH_SCALE_ONLY=${ONLY}`);
    sides.push({ ...run, base, child, reads, figures: new Map(), rssMb: 0 });
  }
  const [small, large] = sides;
  if (!small || !large) throw new Error('bench:scale: two archives expected');
  for (let index = 0; index < small.reads.length; index++) {
    const samples = new Map(sides.map((side) => [side, /** @type {number[]} */ ([])]));
    const bytes = new Map(sides.map((side) => [side, 0]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 === 0 ? [small, large] : [large, small]) {
        const read = side.reads[index];
        if (!read) throw new Error(`bench:scale: read ${index} missing for ${side.articles} articles`);
        const timed = await timeRequests(side.base, read, Math.ceil(REQUESTS / ROUNDS), round === 0 ? 3 : 0);
        samples.get(side)?.push(...timed.samples);
        bytes.set(side, timed.bytes);
      }
    }
    for (const side of sides) {
      const name = side.reads[index]?.name ?? '';
      const figure = { ...percentiles(samples.get(side) ?? []), bytes: bytes.get(side) ?? 0 };
      side.figures.set(name, figure);
      log(`  ${side.articles}: ${name}: p50 ${figure.p50.toFixed(1)} ms, p99 ${figure.p99.toFixed(1)} ms (${figure.bytes} bytes)`);
    }
  }
  for (const side of sides) {
    side.rssMb = rssMbOf(side.child);
    side.child.kill('SIGTERM');
    await new Promise((resolve) => side.child.once('exit', resolve));
  }
  /** @param {number} value */
  const ms = (value) => value.toFixed(1);
  const lines = [
    `# bench:scale — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Uncached (RESPONSE_CACHE=off), PostgreSQL (random_page_cost ${RANDOM_PAGE_COST}, as compose.yaml), production, Node ${process.version}, 1 connection, ${REQUESTS} requests per read and size after 3 warm-up, ` +
      `both apps side by side, the sizes alternating request by request. ` +
      `Small archive: ${SMALL} articles; large: ${LARGE} (each with ${Object.keys(small.counts).slice(0, -1).join(', ')} in proportion). ` +
      'Goal: large p50 within 1.5x of small p50.',
    '',
    `| read | ${SMALL} p50 ms | ${SMALL} p99 ms | ${LARGE} p50 ms | ${LARGE} p99 ms | p50 ratio | within 1.5x |`,
    '|---|---|---|---|---|---|---|',
  ];
  for (const [name, before] of small.figures) {
    const after = large.figures.get(name);
    if (!after) throw new Error(`bench:scale: no figure for "${name}" at ${LARGE} articles`);
    const ratio = after.p50 / before.p50;
    lines.push(`| ${name} | ${ms(before.p50)} | ${ms(before.p99)} | ${ms(after.p50)} | ${ms(after.p99)} | ${ratio.toFixed(2)} | ${ratio <= 1.5 ? 'yes' : '**no**'} |`);
  }
  lines.push('', '| archive | import | database size | app RSS after the reads |', '|---|---|---|---|');
  for (const run of [small, large]) {
    lines.push(`| ${run.articles} articles | ${Number.isNaN(run.importSeconds) ? '' : `${run.importSeconds.toFixed(0)} s `}(${run.importSummary.replace(/^import: [^:]+: /, '')}) | ${(run.bytes / 1e6).toFixed(0)} MB | ${run.rssMb.toFixed(0)} MB |`);
  }
  const table = lines.join('\n');
  log(`\n${table}`);
  fs.mkdirSync(path.join(APP_DIR, 'test-artifacts'), { recursive: true });
  fs.writeFileSync(path.join(APP_DIR, 'test-artifacts/bench-scale.md'), `${table}\n`);
  log('written to test-artifacts/bench-scale.md');
  stopChildren();
}

/** @type {import('./lib/cli').CliSpec} */
const CLI = {
  name: 'bench:scale',
  npm: 'bench:scale',
  summary:
    'Imports a generated archive at two sizes into fresh PostgreSQL databases and times the main uncached reads on each (issue 27). ' +
    'Settings from the environment: BENCH_SCALE_SMALL (default 1000), BENCH_SCALE_ARTICLES (default 100000), BENCH_SCALE_REQUESTS (default 40), ' +
    'BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_SCALE_KEEP=1 (measure again on the databases an earlier run imported), BENCH_SCALE_ONLY=<text> (only the reads whose name contains it).',
};
runBench(CLI, main);
