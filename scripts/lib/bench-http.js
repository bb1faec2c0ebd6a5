// @ts-check
// What the benches (npm run bench:reads, bench:search) share: apps started with `strapi start` in
// child processes, raw HTTP requests, autocannon passes that fail unless every answer is a 200,
// and the ceiling, a bare Node http server answering each path with stored bytes (run as
// `node scripts/lib/bench-http.js --ceiling <file.json>`; it prints its port on stdout).
// BENCH_SECONDS (default 10) per pass and BENCH_CONNECTIONS (default 10) come from the environment.
const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');

/**
 * One request, as http.request sends it and as an autocannon pass repeats it.
 * @typedef {{ path: string; method?: string; headers?: Record<string, string>; body?: string }} HttpRequest
 */
/** The raw answer to an HttpRequest. @typedef {{ status: number | undefined; headers: import('http').IncomingHttpHeaders; body: Buffer }} Answer */
/**
 * A measured case: its request, and the ceiling server's path for it when not the same. `first`
 * A measured case: its request (or several, in turn: `requests`), and the ceiling server's path for it when not the same. `first`
 * run gets there.
 * @typedef {HttpRequest & { name: string; ceilingKey?: string; first?: Answer; answer?: Answer; requests?: Array<{ method: string; path: string }> }} Case
 */
/** What the ceiling server answers for a path: content headers, and the body in base64. @typedef {{ headers: Record<string, string | string[]>; body: string }} CeilingRoute */
/** One pass's figures (latencies in ms). @typedef {{ reqPerSec: number; p50: number; p99: number; requests: number }} Figures */
/**
 * The part of autocannon's API that pass() uses: the package ships no types.
 * @typedef {{
 *   statusCodeStats?: Record<string, { count: number }>;
 *   non2xx: number;
 *   errors: number;
 *   timeouts: number;
 *   '2xx': number;
 *   requests: { average: number; total: number };
 *   latency: { p50: number; p99: number };
 * }} AutocannonResult
 * @typedef {(options: {
 *   url: string;
 *   method: string;
 *   headers?: Record<string, string>;
 *   body?: string;
 *   requests?: Array<{ method: string; path: string }>;
 *   connections: number;
 *   duration: number;
 *   timeout: number;
 * }) => Promise<AutocannonResult>} Autocannon
 */

const APP_DIR = path.resolve(__dirname, '../..');
const TMP = path.join(APP_DIR, '.tmp');

/** @param {string} line */
const log = (line) => console.log(line);
/** @param {number} ms */
const seconds = (ms) => (ms / 1000).toFixed(1);

/** @param {string} routesFile */
function serveCeiling(routesFile) {
  /** @type {Record<string, CeilingRoute>} */
  const routes = JSON.parse(fs.readFileSync(routesFile, 'utf8'));
  const answers = new Map(
    Object.entries(routes).map(([key, { headers, body }]) => [key, { headers, body: Buffer.from(body, 'base64') }])
  );
  const server = http.createServer((req, res) => {
    req.resume();
    // A request a server received always has its url.
    const answer = answers.get(/** @type {string} */ (req.url));
    if (!answer) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { ...answer.headers, 'content-length': answer.body.length });
    res.end(answer.body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log(String(/** @type {import('net').AddressInfo} */ (server.address()).port)));
  process.on('SIGTERM', () => process.exit(0));
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * One request with the raw bytes (no decompression, unlike fetch).
 * @param {string} base
 * @param {HttpRequest} req
 * @returns {Promise<Answer>}
 */
function request(base, { path: urlPath, method = 'GET', headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${urlPath}`, { method, headers }, (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** @type {Set<import('child_process').ChildProcess>} */
const children = new Set();
/** @template {import('child_process').ChildProcess} T @param {T} child @returns {T} */
function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}
function stopChildren() {
  for (const child of children) child.kill('SIGTERM');
}

/**
 * `strapi start` in production in a child process; resolves once /_health answers.
 * @param {string} label
 * @param {NodeJS.ProcessEnv} env
 * @param {string} logFile
 */
async function startApp(label, env, logFile) {
  const port = await freePort();
  const out = fs.openSync(logFile, 'w');
  const child = track(
    spawn(process.execPath, [path.join(APP_DIR, 'node_modules/@strapi/strapi/bin/strapi.js'), 'start'], {
      cwd: APP_DIR,
      env: { ...env, HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
      stdio: ['ignore', out, out],
    })
  );
  const base = `http://127.0.0.1:${port}`;
  const began = Date.now();
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`${label} app exited with ${child.exitCode}:\n${fs.readFileSync(logFile, 'utf8').slice(-4000)}`);
    }
    const healthy = await request(base, { path: '/_health' }).then((r) => r.status === 204, () => false);
    if (healthy) break;
    if (Date.now() - began > 120_000) throw new Error(`${label} app did not answer /_health in 120 s (log: ${logFile})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  log(`${label} app: strapi start, pid ${child.pid}, ${base}, healthy after ${seconds(Date.now() - began)} s (log ${path.relative(APP_DIR, logFile)})`);
  return { base, child };
}

/** @param {Record<string, CeilingRoute>} routes */
async function startCeiling(routes) {
  const file = path.join(TMP, `bench-ceiling-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(routes));
  const child = track(spawn(process.execPath, [__filename, '--ceiling', file], { stdio: ['ignore', 'pipe', 'inherit'] }));
  /** @type {number} */
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (/** @type {Buffer} */ chunk) => resolve(Number(String(chunk).trim())));
    child.once('exit', (code) => reject(new Error(`ceiling server exited with ${code}`)));
  });
  fs.rmSync(file, { force: true });
  return { base: `http://127.0.0.1:${port}`, child };
}

/**
 * One autocannon pass; throws unless every response was a 200.
 * @param {string} label
 * @param {string} base
 * @param {Case} c
 * @param {number} [connections] BENCH_CONNECTIONS (default 10) unless given
 * @returns {Promise<Figures>}
 */
async function pass(label, base, c, connections = Number(process.env.BENCH_CONNECTIONS || 10)) {
  // @ts-expect-error TS7016: autocannon ships no types; the Autocannon typedef above types what this uses.
  const autocannon = /** @type {Autocannon} */ (require('autocannon'));
  const result = await autocannon({
    url: `${base}${c.path}`,
    method: c.method || 'GET',
    headers: c.headers,
    body: c.body,
    // Several paths: each connection goes through them in turn.
    ...(c.requests ? { requests: c.requests } : {}),
    connections,
    duration: Number(process.env.BENCH_SECONDS || 10),
    // A slow answer on a busy machine is a slow answer, not an error (autocannon's default is 10 s).
    timeout: 60,
  });
  const codes = Object.fromEntries(Object.entries(result.statusCodeStats || {}).map(([code, { count }]) => [code, count]));
  const bad = Object.entries(codes).filter(([code]) => code !== '200');
  if (result.non2xx > 0 || bad.length > 0 || result.errors > 0 || result.timeouts > 0 || result['2xx'] === 0) {
    throw new Error(
      `${c.name}, ${label}: not all 200 — status codes ${JSON.stringify(codes)}, non2xx ${result.non2xx}, ` +
        `errors ${result.errors}, timeouts ${result.timeouts}`
    );
  }
  const figures = {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
  };
  log(
    `  ${label.padEnd(11)} ${figures.reqPerSec.toFixed(1).padStart(9)} req/s  p50 ${figures.p50.toFixed(1).padStart(7)} ms  ` +
      `p99 ${figures.p99.toFixed(1).padStart(7)} ms  (${figures.requests} responses, all 200)`
  );
  return figures;
}


if (require.main === module && process.argv[2] === '--ceiling') {
  // The argument is given by startCeiling() above.
  serveCeiling(/** @type {string} */ (process.argv[3]));
}

/**
 * The environment every bench app runs with: production, no admin panel, no webhook worker, no
 * rate limit (one client sending thousands of requests a second is what a bench is, and what
 * the per-IP limit exists to stop), fresh throwaway secrets; `extra` on top.
 * @param {NodeJS.ProcessEnv} [extra]
 * @returns {NodeJS.ProcessEnv}
 */
function benchAppEnv(extra = {}) {
  const { throwawaySecrets } = require('./throwaway-secrets');
  return {
    ...process.env,
    NODE_ENV: 'production',
    SERVE_ADMIN_PANEL: 'false',
    WEBHOOKS_WORKER: 'off',
    LOG_LEVEL: 'warn',
    STRAPI_TELEMETRY_DISABLED: 'true',
    RATE_LIMIT: 'off',
    ...extra,
    ...throwawaySecrets(APP_DIR),
  };
}

/**
 * Runs a bench as a command (`--help` and the rest from scripts/lib/cli.js), stopping the apps
 * and servers it started when it fails.
 * @param {import('./cli').CliSpec} cli
 * @param {() => Promise<void>} main
 */
function runBench(cli, main) {
  const { parseCommandLine, runCommand } = require('./cli');
  runCommand(cli, async () => {
    parseCommandLine(cli, process.argv.slice(2));
    try {
      await main();
    } catch (error) {
      stopChildren();
      throw error;
    }
  });
}

module.exports = { APP_DIR, TMP, log, seconds, freePort, request, track, stopChildren, startApp, startCeiling, pass, benchAppEnv, runBench };
