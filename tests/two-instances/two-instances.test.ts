/**
 * Two `strapi start` instances (production, child processes) on one PostgreSQL database and one
 * Redis, the webhook worker on in both: the layout of compose.yaml. Shown here:
 *  1. change-log positions stay gap-free and in commit order while partners push to both;
 *  2. each webhook delivery is made once although both workers poll the one outbox;
 *  3. a rolling restart of one instance under load (SIGTERM: it drains; then a new instance)
 *     loses no accepted request and no acknowledged write. A refused connection (the instance
 *     no longer listens: the request was never accepted) goes to the other instance, as a load
 *     balancer does.
 * The database and its schema come from an in-process boot, stopped before the two start.
 * (SQLite serves one instance only, so this runs with TEST_DB=postgres.)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startApp } from '../helpers/app';
import { TEST_DB_KIND, type TestDatabase } from '../helpers/database';
import { startAppProcess, type AppProcess } from '../helpers/app-process';
import { createPartner, type TestPartner } from '../helpers/partners';
import { tail, waitForStatus } from '../helpers/server-process';
import { inPool } from '../helpers/pool';

const onPostgres = TEST_DB_KIND === 'postgres';
const postgresOnly = onPostgres ? it : it.skip;
const name = (title: string) => (onPostgres ? title : `${title} (PostgreSQL only: SQLite serves one instance)`);

/** Concurrent partner PUTs of distinct events (item 1), and pushes after subscribing (item 2). */
const ORDER_PUSHES = 60;
const ORDER_CONCURRENCY = 10;
const WEBHOOK_PUSHES = 20;
/** Client loops during the rolling restart, and what each must see before the next step. */
const LOAD_WORKERS = 4;
const WARM_UP_OPS = 20;
const OPS_ON_NEW_INSTANCE = 12;
/** Every request has a deadline: a hang is a failure, never a stuck test. */
const REQUEST_TIMEOUT_MS = 30_000;

const run = randomBytes(3).toString('hex');

let db: TestDatabase | undefined;
let sql: Client | undefined;
let partner: TestPartner;
let instanceEnv: Record<string, string>;
/** Every process started, so afterAll stops them whatever failed. */
const processes: AppProcess[] = [];
let a: AppProcess;
let b: AppProcess;
let subscriptionId: number | undefined;
let headAtSubscribe = 0;

/** The webhook receiver: counts each webhook-id, answers 200 at once. */
const received = new Map<string, number>();
let receiver: http.Server | undefined;
let receiverUrl = '';

beforeAll(async () => {
  if (!onPostgres) return;
  // Schema and a partner through an in-process boot, which then lets the database go.
  const app = await startApp();
  db = app.db;
  try {
    partner = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
  } finally {
    await app.stop({ keepDatabase: true });
  }
  sql = new Client({ connectionString: db.env.DATABASE_URL });
  await sql.connect();

  instanceEnv = {
    ...db.env,
    PUBLIC_DIR: db.publicDir,
    REDIS_URL: 'redis://127.0.0.1:6379/0',
    RATE_LIMIT_REDIS_PREFIX: `hub:test:two-instances:${process.pid}:${run}`,
    // The load below is one client: per-IP limits would refuse it, which is not what is tested.
    RATE_LIMIT: 'off',
    WEBHOOKS_WORKER: 'on',
    WEBHOOK_POLL_MS: '200',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    SHUTDOWN_DRAIN_TIMEOUT_MS: '10000',
    // The drain report is logged at info.
    LOG_LEVEL: 'info',
  };
  // Both boot at once on the one database, as compose.yaml starts them.
  const started = await Promise.allSettled([startAppProcess(instanceEnv), startAppProcess(instanceEnv)]);
  for (const result of started) if (result.status === 'fulfilled') processes.push(result.value);
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  [a, b] = processes as [AppProcess, AppProcess];

  receiver = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const id = String(request.headers['webhook-id'] ?? 'none');
      received.set(id, (received.get(id) ?? 0) + 1);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/two-instances`;
}, 240_000);

afterAll(async () => {
  await Promise.all(processes.map((instance) => instance.stop(15_000)));
  if (receiver) {
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver!.close(() => resolve()));
  }
  await sql?.end().catch(() => undefined);
  await db?.drop();
}, 60_000);

// --- HTTP ----------------------------------------------------------------------------------------

type Answer = { kind: 'answered'; status: number; body: string } | { kind: 'refused' } | { kind: 'failed'; detail: string };

/** One request with a deadline. ECONNREFUSED is 'refused' (never accepted); any other error is 'failed'. */
function send(
  base: string,
  method: string,
  path: string,
  options: { agent?: http.Agent; headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<Answer> {
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  return new Promise((resolve) => {
    let settled = false;
    const done = (answer: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const request = http.request(
      base + path,
      {
        method,
        agent: options.agent ?? false,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('aborted', () => done({ kind: 'failed', detail: `${response.statusCode} body cut off` }));
        response.on('error', (error) => done({ kind: 'failed', detail: `${response.statusCode} body: ${error.message}` }));
        response.on('end', () => done({ kind: 'answered', status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    const timer = setTimeout(() => {
      done({ kind: 'failed', detail: `no answer within ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'failed', detail: error.code ?? error.message }),
    );
    request.end(payload);
  });
}

const describeAnswer = (answer: Answer) =>
  answer.kind === 'answered' ? `${answer.status} ${answer.body.slice(0, 300)}` : answer.kind === 'refused' ? 'ECONNREFUSED' : answer.detail;

const ok = (answer: Answer): answer is Extract<Answer, { kind: 'answered' }> =>
  answer.kind === 'answered' && answer.status >= 200 && answer.status < 300;

const eventBody = (title: string) => ({
  startsAt: '2025-06-12T10:00',
  endsAt: '2025-06-12T11:00',
  timeZone: 'Europe/Copenhagen',
  kind: 'debate',
  da: { title },
  en: { title: `${title} (en)` },
});

const putEvent = (base: string, externalId: string, agent?: http.Agent) =>
  send(base, 'PUT', `/api/partner/events/${externalId}`, { agent, headers: { authorization: partner.auth }, body: eventBody(`Debat ${externalId}`) });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `promise`'s value, or `late` after `ms` (the timer is cleared either way, so it holds nothing open). */
async function within<T>(promise: Promise<T>, ms: number, late: string): Promise<T | string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<string>((resolve) => (timer = setTimeout(() => resolve(late), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls until `check` holds, at most `timeoutMs`; fails naming `what`. */
async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(100);
  }
}

// --- Database ------------------------------------------------------------------------------------

interface ChangeRow {
  position: number;
  contentType: string;
  documentId: string;
  locale: string;
  action: string;
}

async function headPosition(): Promise<number> {
  const { rows } = await sql!.query('SELECT coalesce(max(id), 0) AS head FROM sync_changes');
  return Number(rows[0].head);
}

async function changesAfter(position: number): Promise<ChangeRow[]> {
  const { rows } = await sql!.query(
    'SELECT id, content_type, document_id, locale, action FROM sync_changes WHERE id > $1 ORDER BY id',
    [position],
  );
  return rows.map((row) => ({
    position: Number(row.id),
    contentType: row.content_type,
    documentId: row.document_id,
    locale: row.locale,
    action: row.action,
  }));
}

/** Webhook ids expected for the changes after `position`, and how many are not yet delivered. */
async function outbox(subscription: number, position: number) {
  const changes = await changesAfter(position);
  const { rows } = await sql!.query('SELECT status, count(*) AS n FROM webhook_deliveries WHERE subscription_id = $1 GROUP BY status', [
    subscription,
  ]);
  const byStatus = Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  return { expected: changes.map((change) => `msg_${change.position}_${subscription}`), byStatus };
}

// --- The feed ------------------------------------------------------------------------------------

interface FeedItem {
  position: number | null;
  action: string;
  type: string;
  documentId: string;
  locale: string;
}

/** Follows the feed from `cursor` (or the start) until it has no more; bounded. */
async function followFeed(base: string, cursor: string | null): Promise<{ items: FeedItem[]; cursor: string }> {
  const items: FeedItem[] = [];
  let at = cursor;
  for (let page = 0; page < 50; page++) {
    const answer = await send(base, 'GET', `/api/sync?limit=500${at ? `&cursor=${encodeURIComponent(at)}` : ''}`);
    if (!ok(answer)) throw new Error(`GET /api/sync: ${describeAnswer(answer)}`);
    const body = JSON.parse(answer.body) as { data: FeedItem[]; meta: { nextCursor: string; hasMore: boolean } };
    items.push(...body.data);
    at = body.meta.nextCursor;
    if (!body.meta.hasMore) return { items, cursor: at };
  }
  throw new Error('the feed still had more after 50 pages');
}

// --- 1. Change-log positions ---------------------------------------------------------------------

postgresOnly(
  name(`${ORDER_PUSHES} concurrent partner PUTs on both instances: change-log positions gap-free, in commit order, each change once`),
  async () => {
    const bases = [a.baseUrl, b.baseUrl];
    const head = await headPosition();
    // A reader that started before the pushes: the feed from the start, up to now.
    const before = await followFeed(b.baseUrl, null);

    const ids = Array.from({ length: ORDER_PUSHES }, (_, i) => `order-${run}-${i}`);
    const answers = await inPool(ids, ORDER_CONCURRENCY, (id, i) => putEvent(bases[i % 2]!, id));
    const bad = answers.map((answer, i) => [ids[i], answer] as const).filter(([, answer]) => !(ok(answer) && answer.status === 201));
    expect(bad.map(([id, answer]) => `${id}: ${describeAnswer(answer)}`)).toEqual([]);
    const documentIds = new Set(answers.map((answer) => (JSON.parse((answer as { body: string }).body) as { data: { documentId: string } }).data.documentId));
    expect(documentIds.size).toBe(ORDER_PUSHES);

    // The table: exactly the changes pushed, each once, at consecutive positions.
    const changes = await changesAfter(head);
    const positions = changes.map((change) => change.position);
    const gaps = positions.slice(1).filter((position, i) => position !== positions[i]! + 1);
    console.log(
      `change log: ${changes.length} changes at positions ${positions[0]}..${positions[positions.length - 1]} ` +
        `(head before ${head}), ${gaps.length} gaps`,
    );
    expect(gaps).toEqual([]);
    expect(changes).toHaveLength(2 * ORDER_PUSHES);
    const keys = changes.map((change) => `${change.contentType} ${change.documentId} ${change.locale} ${change.action}`);
    const expected = [...documentIds].flatMap((id) => ['da', 'en'].map((locale) => `api::event.event ${id} ${locale} published`));
    expect([...keys].sort()).toEqual(expected.sort());
    // Commit order: one transaction's two changes (da and en of one event) are never split by another's.
    for (let i = 0; i < changes.length; i += 2) expect(changes[i + 1]!.documentId).toBe(changes[i]!.documentId);

    // The feed, from where that reader stopped, read on the other instance: the same changes in
    // the same order, positions strictly increasing.
    const after = await followFeed(a.baseUrl, before.cursor);
    const feedPositions = after.items.map((item) => item.position);
    expect(feedPositions).toEqual(positions);
    expect(after.items.map((item) => `${item.documentId} ${item.locale} ${item.action}`)).toEqual(
      changes.map((change) => `${change.documentId} ${change.locale} ${change.action}`),
    );
    // And the reader that started before the pushes saw none of them as "current".
    expect(before.items.filter((item) => documentIds.has(item.documentId))).toEqual([]);
  },
  180_000,
);

// --- 2. Webhooks once ----------------------------------------------------------------------------

postgresOnly(
  name(`${WEBHOOK_PUSHES} partner pushes with both webhook workers polling: every delivery made exactly once`),
  async () => {
    const subscribed = await send(a.baseUrl, 'POST', '/api/partner/webhooks', { headers: { authorization: partner.auth }, body: { url: receiverUrl } });
    expect(subscribed.kind === 'answered' && subscribed.status).toBe(201);
    subscriptionId = (JSON.parse((subscribed as { body: string }).body) as { data: { id: number } }).data.id;
    headAtSubscribe = await headPosition();

    const bases = [b.baseUrl, a.baseUrl];
    const ids = Array.from({ length: WEBHOOK_PUSHES }, (_, i) => `hook-${run}-${i}`);
    const answers = await inPool(ids, 4, (id, i) => putEvent(bases[i % 2]!, id));
    expect(answers.filter((answer) => !ok(answer)).map(describeAnswer)).toEqual([]);

    const { expected } = await outbox(subscriptionId, headAtSubscribe);
    expect(expected).toHaveLength(2 * WEBHOOK_PUSHES);
    await waitUntil(`the receiver to see all ${expected.length} webhook-ids`, () => expected.every((id) => received.has(id)), 60_000);
    // Until the outbox holds nothing unsent, then a few more polls' time for any late duplicate.
    await waitUntil(
      'every delivery to be marked delivered',
      async () => {
        const { byStatus } = await outbox(subscriptionId!, headAtSubscribe);
        return Object.keys(byStatus).length === 1 && byStatus.delivered === expected.length;
      },
      30_000,
    );
    await sleep(1000);

    const duplicates = [...received].filter(([, count]) => count !== 1);
    const unexpected = [...received.keys()].filter((id) => !expected.includes(id));
    console.log(`webhooks: ${expected.length} expected, ${received.size} distinct webhook-ids received, ${duplicates.length} more than once`);
    expect(duplicates).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(received.size).toBe(expected.length);
  },
  120_000,
);

// --- 3. Rolling restart --------------------------------------------------------------------------

postgresOnly(
  name('a rolling restart of one instance under load: no accepted request fails, no acknowledged write is lost, exit 0'),
  async () => {
    interface Backend {
      name: string;
      base: string;
      agent: http.Agent;
    }
    const backend = (label: string, instance: AppProcess): Backend => ({
      name: label,
      base: instance.baseUrl,
      // Keep-alive, as a load balancer; fifo so no pooled connection sits idle into the server's keep-alive timeout.
      agent: new http.Agent({ keepAlive: true, scheduling: 'fifo', maxSockets: LOAD_WORKERS }),
    });
    const backends: [Backend, Backend] = [backend('A', a), backend('B', b)];
    const allBackends = [...backends];
    const served: Record<string, number> = { A: 0, B: 0, "A'": 0 };
    const tally = { ops: 0, refusedThenRetried: 0, failed: 0, writesAcknowledged: 0 };
    const failures: string[] = [];
    const acknowledged: string[] = [];
    let stopLoad = false;
    let turn = 0;

    /** One operation on the backend whose turn it is; a refused connection goes to the other. */
    const operation = async (worker: number, n: number) => {
      const write = n % 2 === 1;
      const externalId = `roll-${run}-${worker}-${n}`;
      const first = turn++ % 2;
      const attempt = (target: Backend) =>
        write ? putEvent(target.base, externalId, target.agent) : send(target.base, 'GET', '/api/events?locale=da', { agent: target.agent });
      let target = backends[first]!;
      let answer = await attempt(target);
      if (answer.kind === 'refused') {
        tally.refusedThenRetried++;
        target = backends[1 - first]!;
        answer = await attempt(target);
      }
      tally.ops++;
      let whole = ok(answer);
      if (whole && !write) {
        try {
          whole = Array.isArray(JSON.parse((answer as { body: string }).body).data);
        } catch {
          whole = false;
        }
      }
      if (whole) {
        served[target.name] = (served[target.name] ?? 0) + 1;
        if (write) {
          tally.writesAcknowledged++;
          acknowledged.push(externalId);
        }
      } else {
        tally.failed++;
        failures.push(`${target.name} ${write ? `PUT ${externalId}` : 'GET'}: ${describeAnswer(answer)}`);
      }
    };
    const workers = Array.from({ length: LOAD_WORKERS }, async (_, worker) => {
      // Bounded: the steps below end the load long before this.
      for (let n = 0; n < 5000 && !stopLoad; n++) await operation(worker, n);
    });
    const load = Promise.all(workers);

    let exit: number | string | undefined;
    let restarted: AppProcess | undefined;
    try {
      await waitUntil('the warm-up load', () => tally.ops >= WARM_UP_OPS, 60_000);
      const beforeSignal = { ...served };
      a.child.kill('SIGTERM');
      exit = await within(a.exited, 60_000, 'still running 60 s after SIGTERM');
      const afterExit = { ...served };
      // The new instance, then into rotation once it is ready (a load balancer's readiness probe).
      restarted = await startAppProcess(instanceEnv);
      processes.push(restarted);
      await waitForStatus(restarted, '/_ready', 200, 60_000);
      backends[0] = backend("A'", restarted);
      allBackends.push(backends[0]);
      await waitUntil(`${OPS_ON_NEW_INSTANCE} answers from the new instance`, () => served["A'"]! >= OPS_ON_NEW_INSTANCE, 60_000);
      console.log(
        `rolling restart: A answered ${beforeSignal.A} before SIGTERM and ${afterExit.A! - beforeSignal.A!} after it; ` +
          `B ${afterExit.B! - beforeSignal.B!} between SIGTERM and A's exit`,
      );
    } finally {
      stopLoad = true;
      await load;
      for (const { agent } of allBackends) agent.destroy();
    }

    // Every acknowledged write is there, read back on both remaining instances in turn.
    const readBack = await inPool(acknowledged, 4, (externalId, i) =>
      send([b.baseUrl, restarted!.baseUrl][i % 2]!, 'GET', `/api/partner/events/${externalId}`, { headers: { authorization: partner.auth } }),
    );
    const missing = acknowledged.filter((_, i) => {
      const answer = readBack[i]!;
      if (!ok(answer)) return true;
      const state = (JSON.parse(answer.body) as { data: { published: boolean; locales: string[] } }).data;
      return !(state.published && state.locales.join() === 'da,en');
    });
    const { rows } = await sql!.query('SELECT count(*) AS n FROM partner_events WHERE external_id = ANY($1)', [acknowledged]);
    const inDatabase = Number(rows[0].n);

    const drained = /\[shutdown\] drained: (\d+) requests in flight and (\d+) connections open at SIGTERM, (\d+) cut/.exec(a.output());
    console.log(
      `rolling restart counts: ${tally.ops} operations; answered by A ${served.A}, B ${served.B}, A' ${served["A'"]}; ` +
        `${tally.refusedThenRetried} refused then retried on the other; ${tally.failed} failed; ` +
        `writes acknowledged ${tally.writesAcknowledged}, found ${acknowledged.length - missing.length} via the API and ${inDatabase} in partner_events; ` +
        `A exited ${exit}; drain: ${drained ? `${drained[1]} in flight, ${drained[2]} connections, ${drained[3]} cut` : 'no report'}`,
    );
    if (exit !== 0 || tally.failed > 0) console.log(`A's output:\n${tail(a.output())}`);

    expect(failures).toEqual([]);
    expect(exit).toBe(0);
    expect(missing).toEqual([]);
    expect(inDatabase).toBe(acknowledged.length);
    expect(tally.writesAcknowledged).toBeGreaterThan(0);
    // The restart really was under load: requests met the stopped instance and went elsewhere.
    expect(tally.refusedThenRetried).toBeGreaterThan(0);
    expect(served["A'"]).toBeGreaterThanOrEqual(OPS_ON_NEW_INSTANCE);

    // The webhooks kept flowing through the restart: every change since subscribing, once.
    if (subscriptionId !== undefined) {
      const { expected } = await outbox(subscriptionId, headAtSubscribe);
      await waitUntil('every change since subscribing to reach the receiver', () => expected.every((id) => received.has(id)), 60_000);
      await sleep(1000);
      const duplicates = [...received].filter(([, count]) => count !== 1);
      console.log(`webhooks after the restart: ${expected.length} expected, ${received.size} received, ${duplicates.length} more than once`);
      expect(duplicates).toEqual([]);
      expect(received.size).toBe(expected.length);
    }
  },
  240_000,
);
