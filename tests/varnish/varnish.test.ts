/**
 * deploy/varnish/default.vcl in front of the real app: a real varnishd (Debian's varnish 7.1 with
 * the xkey vmod) started by this file, the app in-process on a loopback port, CACHE_PURGE_URLS
 * pointing at the Varnish. Shows what is cached, what passes, that the app's purges reach Varnish
 * and drop exactly the affected answers, and that PURGE is refused to strangers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { seedDemoContent } from '../../src/lib/seed/seed';
import { publicCache } from '../../src/features/delivery/cache/public-cache';
import { startApp, type TestApp } from '../helpers/app';
import { freePort } from '../helpers/app-process';
import { APP_DIR } from '../helpers/paths';
import { createPartner } from '../helpers/partners';
import { describeWithPackage, VARNISH } from '../helpers/system-packages';
import { listen } from '../response-cache/shared';

const VARNISHD = VARNISH.binary;
// Skipped, loudly, on a machine without Varnish; a failure under CI (../helpers/system-packages.ts).
const describeWithVarnish = describeWithPackage(VARNISH);
const VCL = path.join(APP_DIR, 'deploy/varnish/default.vcl');

let app: TestApp;
let varnish: ChildProcess | undefined;
let varnishOutput = '';
let workDir: string;
let varnishPort: number;
/** Requests the app's HTTP server received, by method and URL (Varnish's probes included). */
const seenByApp: string[] = [];
const appSaw = (method: string, url: string) => seenByApp.filter((seen) => seen === `${method} ${url}`).length;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request to Varnish; `from` is the local address to connect from (any of 127/8 on Linux). */
function viaVarnish(method: string, url: string, headers: Record<string, string> = {}, options: { body?: string; from?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port: varnishPort, method, path: url, headers, agent: false, localAddress: options.from },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

async function startVarnish(backendPort: number) {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'hub-varnish-'));
  // The shipped VCL with only the backend's address changed.
  const vcl = readFileSync(VCL, 'utf8').replace(/(backend default \{[^}]*?\.host = )"[^"]*";(\s*\.port = )"\d+";/, `$1"127.0.0.1";$2"${backendPort}";`);
  expect(vcl).toContain(`.port = "${backendPort}";`);
  const vclPath = path.join(workDir, 'default.vcl');
  writeFileSync(vclPath, vcl);
  varnish = spawn(
    VARNISHD,
    [
      '-F',
      // Root here: no privilege separation (the jail wants its own users and a work dir they own).
      '-j', 'none',
      '-a', `127.0.0.1:${varnishPort}`,
      '-T', 'none',
      '-f', vclPath,
      '-n', path.join(workDir, 'n'),
      '-s', 'malloc,32m',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  varnish.stdout!.on('data', (chunk: Buffer) => (varnishOutput += chunk.toString()));
  varnish.stderr!.on('data', (chunk: Buffer) => (varnishOutput += chunk.toString()));
  const deadline = Date.now() + 20000;
  for (;;) {
    if (varnish.exitCode !== null) throw new Error(`varnishd exited with ${varnish.exitCode}:\n${varnishOutput}`);
    try {
      if ((await viaVarnish('GET', '/_health')).status === 204) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`varnishd did not pass /_health through in time:\n${varnishOutput}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeWithVarnish('deploy/varnish/default.vcl in front of the app', () => {
  beforeAll(async () => {
    varnishPort = await freePort();
    process.env.CACHE_PURGE_URLS = `http://127.0.0.1:${varnishPort}/`;
    app = await startApp();
    app.strapi.server.httpServer.on('request', (request: http.IncomingMessage) => seenByApp.push(`${request.method} ${request.url}`));
    const base = await listen(app);
    await startVarnish(Number(new URL(base).port));
    // Seeded with Varnish up, so the seed's own purges reach it too (and find nothing cached).
    await seedDemoContent(app.strapi);
    await publicCache(app.strapi).purges.idle();
  }, 90000);

  afterAll(async () => {
    delete process.env.CACHE_PURGE_URLS;
    if (varnish && varnish.exitCode === null) {
      const exited = new Promise((resolve) => varnish!.once('exit', resolve));
      varnish.kill('SIGTERM');
      await exited;
    }
    if (workDir) rmSync(workDir, { recursive: true, force: true });
    await app?.stop();
  });

  const TOPICS = '/api/topics?locale=da&sort=name';
  const ARTICLES = '/api/articles?locale=da&sort=title';
  const OPENAPI = '/api/openapi.json';
  const names = (reply: Reply) => {
    if (reply.status !== 200) throw new Error(`expected 200 through Varnish, got ${reply.status} (${reply.headers['x-cache']}): ${reply.body.slice(0, 300)}`);
    return (JSON.parse(reply.body).data as Array<{ name: string }>).map((topic) => topic.name);
  };

  it('a public read is a MISS, then a HIT that never reaches the app; keys are kept from clients', async () => {
    const stats = publicCache(app.strapi).stats();
    const first = await viaVarnish('GET', TOPICS);
    expect(first.status).toBe(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(names(first).length).toBeGreaterThan(0);

    const second = await viaVarnish('GET', TOPICS);
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.headers['x-cache-hits']).toBe('1');
    expect(second.body).toBe(first.body);
    // The app's own caching headers go through; Varnish adds its Age.
    expect(second.headers['cache-control']).toBe('public, max-age=5, s-maxage=60, stale-while-revalidate=30');
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers.age).toBeDefined();
    expect(second.headers['surrogate-key']).toBeUndefined();
    expect(second.headers['cache-tag']).toBeUndefined();
    expect(second.headers.xkey).toBeUndefined();

    // A HEAD is answered from the same object.
    const head = await viaVarnish('HEAD', TOPICS);
    expect(head.headers['x-cache']).toBe('HIT');
    expect(head.headers['x-cache-hits']).toBe('2');

    const debug = await viaVarnish('GET', TOPICS, { 'x-cache-debug': '1' });
    expect(debug.headers['x-cache']).toBe('HIT');
    expect(debug.headers['surrogate-key']).toMatch(/(^| )type:topics( |$)/);
    expect(debug.headers.xkey).toBe(debug.headers['surrogate-key']);

    expect(appSaw('GET', TOPICS)).toBe(1);
    const after = publicCache(app.strapi).stats();
    expect(after.hits + after.misses).toBe(stats.hits + stats.misses + 1);
  });

  it('Accept-Encoding is normalised: two spellings of "br" share one variant, gzip and identity get their own', async () => {
    const path = '/api/articles?locale=en&sort=title';
    const spellings = ['gzip, deflate, br', 'br;q=1.0, gzip;q=0.8', 'gzip', 'br;q=0, gzip', 'deflate'];
    const replies = [];
    for (const spelling of spellings) replies.push(await viaVarnish('GET', path, { 'accept-encoding': spelling }));
    expect(replies.map((reply) => reply.headers['x-cache'])).toEqual(['MISS', 'HIT', 'MISS', 'HIT', 'MISS']);
    expect(replies.map((reply) => reply.headers['content-encoding'])).toEqual(['br', 'br', 'gzip', 'gzip', undefined]);
    expect(replies.every((reply) => reply.headers.vary === 'Accept-Encoding')).toBe(true);
    expect(appSaw('GET', path)).toBe(3);
  });

  it('authenticated reads, admin paths, POST /graphql, probes and errors reach the app every time; GET /graphql is cached', async () => {
    const token = await app.strapi.service('admin::api-token').create({ name: 'varnish', type: 'read-only', lifespan: null, description: '' });
    const auth = { authorization: `Bearer ${token.accessKey}` };
    const before = appSaw('GET', TOPICS);
    for (let i = 0; i < 2; i++) {
      const reply = await viaVarnish('GET', TOPICS, auth);
      expect(reply.status).toBe(200);
      expect(reply.headers['x-cache']).toBe('PASS');
      expect(reply.headers['cache-control']).toBe('private, no-store');
    }
    expect(appSaw('GET', TOPICS)).toBe(before + 2);

    // Public answers do not depend on cookies: a cookie on a public read still hits.
    expect((await viaVarnish('GET', TOPICS, { cookie: '_ga=GA1.1.1' })).headers['x-cache']).toBe('HIT');
    // The admin and the preview always pass.
    for (const url of ['/admin/init', '/preview/articles/x?locale=da']) {
      const reply = await viaVarnish('GET', url, { cookie: 'strapi_admin_refresh=x' });
      expect(reply.headers['x-cache']).toBe('PASS');
    }
    expect((await viaVarnish('GET', '/_health')).headers['x-cache']).toBe('PASS');
    // Errors are not cached (nothing would purge them): each one reaches the app.
    const missing = '/api/articles/no-such-document?locale=da';
    for (let i = 0; i < 2; i++) {
      const reply = await viaVarnish('GET', missing);
      expect(reply.status).toBe(404);
      expect(reply.headers['x-cache']).toBe('MISS');
    }
    expect(appSaw('GET', missing)).toBe(2);

    const query = '{ topics(locale: "da", sort: "name") { name } }';
    const body = JSON.stringify({ query });
    for (let i = 0; i < 2; i++) {
      const post = await viaVarnish('POST', '/graphql', { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }, { body });
      expect(post.status).toBe(200);
      expect(post.headers['x-cache']).toBe('PASS');
    }
    expect(appSaw('POST', '/graphql')).toBe(2);

    const url = `/graphql?query=${encodeURIComponent(query)}`;
    const headers = { 'apollo-require-preflight': 'true' };
    const first = await viaVarnish('GET', url, headers);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body).data.topics.length).toBeGreaterThan(0);
    expect(first.headers['x-cache']).toBe('MISS');
    expect((await viaVarnish('GET', url, headers)).headers['x-cache']).toBe('HIT');
    expect(appSaw('GET', url)).toBe(1);
  });

  it('GET /graphql needs no preflight header: with or without it, first or later, the same 200 through Varnish', async () => {
    const PREFLIGHT = { 'apollo-require-preflight': 'true' };
    // Filled by a GET that carries the header; one without it then gets the same 200.
    const url = `/graphql?query=${encodeURIComponent('{ topics(locale: "en", sort: "name") { name } }')}`;
    const filled = await viaVarnish('GET', url, PREFLIGHT);
    expect({ status: filled.status, cache: filled.headers['x-cache'] }).toEqual({ status: 200, cache: 'MISS' });
    expect(JSON.parse(filled.body).data.topics.length).toBeGreaterThan(0);
    const without = await viaVarnish('GET', url);
    expect({ status: without.status, cache: without.headers['x-cache'] }).toEqual({ status: 200, cache: 'HIT' });
    expect(without.body).toBe(filled.body);
    expect(without.headers.etag).toBe(filled.headers.etag);

    // The first request without the header is a 200 too, and the one with it then its HIT.
    const other = `/graphql?query=${encodeURIComponent('{ topics(locale: "en", sort: "slug") { slug } }')}`;
    const first = await viaVarnish('GET', other);
    expect({ status: first.status, cache: first.headers['x-cache'] }).toEqual({ status: 200, cache: 'MISS' });
    expect(first.headers['cache-control']).toBe('public, max-age=5, s-maxage=60, stale-while-revalidate=30');
    const withHeader = await viaVarnish('GET', other, PREFLIGHT);
    expect({ status: withHeader.status, cache: withHeader.headers['x-cache'] }).toEqual({ status: 200, cache: 'HIT' });
    expect(withHeader.body).toBe(first.body);
    expect(appSaw('GET', url)).toBe(1);
    expect(appSaw('GET', other)).toBe(1);

    // A content type other than JSON: the app's 415 every time, not the cached 200.
    for (let i = 0; i < 2; i++) {
      const typed = await viaVarnish('GET', url, { 'content-type': 'text/plain' });
      expect({ status: typed.status, cache: typed.headers['x-cache'] }).toEqual({ status: 415, cache: 'PASS' });
    }
    // A JSON one is the same read: the cached object.
    expect((await viaVarnish('GET', url, { 'content-type': 'application/json' })).headers['x-cache']).toBe('HIT');

    // A mutation over GET: Apollo's 405 each time, never cached.
    const mutation = `/graphql?query=${encodeURIComponent('mutation { createTopic(data: { name: "Via Varnish" }) { name } }')}`;
    for (let i = 0; i < 2; i++) {
      const refused = await viaVarnish('GET', mutation);
      expect(refused.status).toBe(405);
      expect(refused.headers['x-cache']).not.toBe('HIT');
    }
    expect(appSaw('GET', mutation)).toBe(2);
  });

  it('a publish purges the affected answers in Varnish (the next read is fresh) and leaves the others cached', async () => {
    const graphqlUrl = `/graphql?query=${encodeURIComponent('{ topics(locale: "da", sort: "name") { name } }')}`;
    const cached = [TOPICS, ARTICLES, OPENAPI];
    for (const url of cached) await viaVarnish('GET', url);
    for (const url of cached) {
      // Compared with its URL and status, so a failure says which answer was not cached and why.
      const reply = await viaVarnish('GET', url);
      expect({ url, status: reply.status, cache: reply.headers['x-cache'] }).toEqual({ url, status: 200, cache: 'HIT' });
    }
    const seen = Object.fromEntries([...cached, graphqlUrl].map((url) => [url, appSaw('GET', url)]));

    await app.strapi.documents('api::topic.topic').create({ locale: 'da', data: { name: 'Nyt emne', slug: 'nyt-emne' }, status: 'published' });
    await publicCache(app.strapi).purges.idle();

    // The topic list: gone from Varnish, rebuilt with the new topic.
    const topics = await viaVarnish('GET', TOPICS);
    expect(topics.headers['x-cache']).toBe('MISS');
    expect(names(topics)).toContain('Nyt emne');
    // The article list shows no topic that changed: still the cached object. GraphQL answers
    // carry `graphql` (a query need not show a documentId): purged.
    expect((await viaVarnish('GET', ARTICLES)).headers['x-cache']).toBe('HIT');
    const graphql = await viaVarnish('GET', graphqlUrl, { 'apollo-require-preflight': 'true' });
    expect(graphql.headers['x-cache']).toBe('MISS');
    expect(JSON.parse(graphql.body).data.topics.map((topic: { name: string }) => topic.name)).toContain('Nyt emne');
    // The OpenAPI document (key `openapi`) is not about content: still the cached object.
    const openapi = await viaVarnish('GET', OPENAPI);
    expect(openapi.headers['x-cache']).toBe('HIT');
    expect(Number(openapi.headers['x-cache-hits'])).toBeGreaterThanOrEqual(2);

    expect(appSaw('GET', TOPICS)).toBe(seen[TOPICS]! + 1);
    expect(appSaw('GET', ARTICLES)).toBe(seen[ARTICLES]);
    expect(appSaw('GET', graphqlUrl)).toBe(seen[graphqlUrl]! + 1);
    expect(appSaw('GET', OPENAPI)).toBe(seen[OPENAPI]);
  });

  it('a partner updates an event: the article pages that show it are fresh, the others still HITs', async () => {
    const partner = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
    const push = async (title: string) => {
      const response = await fetch(`${await listen(app)}/api/partner/events/varnish-debate`, {
        method: 'PUT',
        headers: { authorization: partner.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ startsAt: '2026-06-12T14:00', endsAt: '2026-06-12T15:00', timeZone: 'Europe/Copenhagen', kind: 'debate', da: { title } }),
      });
      expect(response.status).toBeLessThan(300);
      return ((await response.json()) as { data: { documentId: string } }).data.documentId;
    };
    const event = await push('Debat om indkøb');
    const articles = app.strapi.documents('api::article.article');
    const pages: string[] = [];
    for (const [index, title] of ['Med debatten', 'Uden debatten 1', 'Uden debatten 2'].entries()) {
      const article = await articles.create({ locale: 'da', status: 'published', data: { title, events: index === 0 ? [event] : [] } as never });
      pages.push(`/api/articles/slug/${article.slug}?locale=da`);
    }
    await publicCache(app.strapi).purges.idle();
    for (const page of pages) await viaVarnish('GET', page);
    for (const page of pages) expect({ page, cache: (await viaVarnish('GET', page)).headers['x-cache'] }).toEqual({ page, cache: 'HIT' });

    await push('Debat om offentlige indkøb');
    await publicCache(app.strapi).purges.idle();
    const [withEvent, ...without] = await Promise.all(pages.map((page) => viaVarnish('GET', page)));
    expect(withEvent!.headers['x-cache']).toBe('MISS');
    expect(JSON.parse(withEvent!.body).data.events.map((item: { title: string }) => item.title)).toEqual(['Debat om offentlige indkøb']);
    expect(without.map((reply) => reply.headers['x-cache'])).toEqual(['HIT', 'HIT']);
  });

  it('PURGE is refused from addresses outside the ACL and needs xkey-purge; an allowed one answers the count', async () => {
    expect((await viaVarnish('GET', TOPICS)).headers['x-cache']).toBe('HIT');

    const stranger = await viaVarnish('PURGE', '/', { 'xkey-purge': 'type:topics' }, { from: '127.0.0.2' });
    expect(stranger.status).toBe(403);
    const noKeys = await viaVarnish('PURGE', '/');
    expect(noKeys.status).toBe(400);
    expect((await viaVarnish('GET', TOPICS)).headers['x-cache']).toBe('HIT');

    // What the app does, by hand: one key naming one cached answer (and its variants).
    const purged = await viaVarnish('PURGE', '/', { 'xkey-purge': 'type:topics' });
    expect(purged.status).toBe(200);
    expect(Number(purged.headers['x-purged'])).toBeGreaterThanOrEqual(1);
    expect(purged.body).toMatch(/^Purged \d+ objects/);
    expect((await viaVarnish('GET', TOPICS)).headers['x-cache']).toBe('MISS');
    // Nothing is tagged with an unknown key.
    expect((await viaVarnish('PURGE', '/', { 'xkey-purge': 'doc:nothing-has-this' })).headers['x-purged']).toBe('0');
    expect((await viaVarnish('GET', TOPICS)).headers['x-cache']).toBe('HIT');
  });
});
