/**
 * A database outage is survived. `strapi start` (production, a child process) runs on a private
 * PostgreSQL cluster while partners push events and readers read; mid-load the cluster is
 * stopped (`pg_ctl stop -m immediate`, a crash) for ~10 s and started again. Meanwhile every
 * request must be answered (503 with Retry-After while the database is away, never a 500 or a
 * hang), `/_ready` says 503, the process stays up, and afterwards it serves again without a
 * restart. Every write acknowledged with a 2xx is in the database whole; no write is half there.
 */
import fs from 'fs';
import http from 'http';
import path from 'path';
import { Client } from 'pg';
import { startApp } from '../helpers/app';
import type { TestDatabase } from '../helpers/database';
import { createPartner, type TestPartner } from '../helpers/partners';
import { APP_DIR } from '../helpers/paths';
import { freshSecrets } from '../helpers/secrets';
import { freePort, startServer, tail, waitForStatus, type ServerProcess } from '../helpers/server-process';
import { startPrivateCluster, type PrivateCluster } from './private-postgres';

const HEALTHY_MS = 5000;
const OUTAGE_MS = 10000;
const AFTER_MS = 8000;
/** Longer than any answer may take: the pool gives up after 5 s (DATABASE_CONNECTION_TIMEOUT). */
const REQUEST_TIMEOUT_MS = 15000;
const PUSHERS = 3;
const READERS = 2;
const PAUSE_MS = 100;
const PARTNER_KEY = 'outage-partner';

type Phase = 'before' | 'outage' | 'after';
type Kind = 'write' | 'read' | 'ready';

interface Sample {
  kind: Kind;
  phase: Phase;
  /** Started after the cluster was down and ended before it was started again. */
  wholeOutage: boolean;
  startedAt: number;
  endedAt: number;
  status?: number;
  /** For a 503: Retry-After is a number of seconds and the body is the JSON error shape. */
  proper503?: boolean;
  failure?: 'timeout' | 'connection';
  externalId?: string;
}

const event = (externalId: string) => ({
  startsAt: '2027-06-13T14:00',
  timeZone: 'Europe/Copenhagen',
  venue: { id: `venue-${externalId}`, name: `Telt ${externalId}`, city: 'Allinge' },
  da: { title: `Udfald ${externalId}`, summary: 'Skrevet mens databasen gik ned.' },
  en: { title: `Outage ${externalId}` },
});

// It brings its own PostgreSQL, whatever TEST_DB says: run once, in the default run (`npm test`).
const describeOutage = process.env.TEST_DB ? describe.skip : describe;
const title = process.env.TEST_DB
  ? `a database outage (skipped under TEST_DB=${process.env.TEST_DB}: it runs once, in the default run, on its own PostgreSQL)`
  : 'strapi start on PostgreSQL, the database stopped for ~10 s under load';

describeOutage(title, () => {
  let cluster: PrivateCluster;
  let server: ServerProcess;
  let partner: TestPartner;
  let receiver: http.Server;
  const webhooks: Array<{ at: number; id: string }> = [];
  let publicDir: string | undefined;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    await cluster.createDatabase('hub');
    const database: TestDatabase = {
      kind: 'postgres',
      env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: cluster.url('hub'), DATABASE_FILENAME: '' },
      location: 'hub',
      start: 'empty',
      publicDir: path.join(APP_DIR, '.tmp', `outage-${process.pid}-public`),
      drop: async () => undefined,
    };
    fs.mkdirSync(path.join(database.publicDir, 'uploads'), { recursive: true });
    publicDir = database.publicDir;
    // Schema, migrations and the partner come from the app in-process; then the child serves.
    const setup = await startApp({ database });
    partner = await createPartner(setup, { name: 'Outage partner', key: PARTNER_KEY, publishMode: 'publish' });
    await setup.stop({ keepDatabase: true });

    // A webhook receiver: proves the worker delivers again after the outage.
    receiver = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        webhooks.push({ at: Date.now(), id: String(request.headers['webhook-id']) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

    const port = await freePort();
    server = startServer({
      command: process.execPath,
      args: [path.join(APP_DIR, 'node_modules/@strapi/strapi/bin/strapi.js'), 'start'],
      cwd: APP_DIR,
      port,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        SERVE_ADMIN_PANEL: 'false',
        STRAPI_TELEMETRY_DISABLED: 'true',
        LOG_LEVEL: 'http', // every request with its time and status in the app log
        PUBLIC_DIR: database.publicDir,
        // DATABASE_CONNECTION_TIMEOUT is left at its default: the default is what is tested.
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        ...freshSecrets(),
        ...database.env,
      },
    });
    await waitForStatus(server, '/_ready', 200);
    const { port: receiverPort } = receiver.address() as { port: number };
    const subscribed = await fetch(`${server.base}/api/partner/webhooks`, {
      method: 'POST',
      headers: { authorization: partner.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://127.0.0.1:${receiverPort}/hook`, contentTypes: ['events'], locales: ['da'] }),
    });
    expect(subscribed.status).toBe(201);
  }, 300000);

  afterAll(async () => {
    await server?.stop();
    // The app's and the database's own logs, for a failure (not committed; as tests/e2e does).
    const artifacts = path.join(APP_DIR, 'test-artifacts', 'outage');
    fs.mkdirSync(artifacts, { recursive: true });
    if (server) fs.writeFileSync(path.join(artifacts, 'app.log'), server.output());
    if (cluster) fs.writeFileSync(path.join(artifacts, 'postgres.log'), cluster.log());
    await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
    await cluster?.destroy();
    if (publicDir) fs.rmSync(publicDir, { recursive: true, force: true });
  }, 120000);

  it('answers 503 with Retry-After while the database is away, keeps every acknowledged write whole, and recovers', async () => {
    const samples: Sample[] = [];
    let phase: Phase = 'before';
    let downAt = Infinity;
    let restartingAt = Infinity;
    let upAt = Infinity;
    let loading = true;

    async function request(kind: Kind, method: string, url: string, body?: unknown, externalId?: string): Promise<Sample> {
      const sample: Sample = { kind, phase, wholeOutage: false, startedAt: Date.now(), endedAt: 0, externalId };
      try {
        const response = await fetch(server.base + url, {
          method,
          headers: body ? { authorization: partner.auth, 'content-type': 'application/json' } : {},
          body: body ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        sample.status = response.status;
        const text = await response.text();
        if (response.status === 503) {
          const retryAfter = response.headers.get('retry-after') ?? '';
          let shaped = kind === 'ready';
          if (kind !== 'ready') {
            try {
              const json = JSON.parse(text);
              shaped = json.data === null && json.error?.status === 503 && json.error?.name === 'ServiceUnavailableError';
            } catch {
              shaped = false;
            }
          }
          sample.proper503 = /^\d+$/.test(retryAfter) && shaped;
        }
      } catch (error) {
        const name = (error as Error).name;
        sample.failure = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'connection';
      }
      sample.endedAt = Date.now();
      sample.wholeOutage = sample.startedAt >= downAt && sample.endedAt < restartingAt;
      samples.push(sample);
      return sample;
    }

    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const pusher = async (worker: number) => {
      for (let n = 0; loading && n < 10000; n++) {
        const externalId = `out-${worker}-${n}`;
        await request('write', 'PUT', `/api/partner/events/${externalId}`, event(externalId), externalId);
        await pause(PAUSE_MS);
      }
    };
    const reader = async () => {
      for (let n = 0; loading && n < 10000; n++) {
        await request('read', 'GET', '/api/events?locale=da');
        await pause(PAUSE_MS);
      }
    };
    const prober = async () => {
      for (let n = 0; loading && n < 10000; n++) {
        await request('ready', 'GET', '/_ready');
        await pause(250);
      }
    };
    const load = Promise.all([
      ...Array.from({ length: PUSHERS }, (_, worker) => pusher(worker)),
      ...Array.from({ length: READERS }, reader),
      prober(),
    ]);

    await pause(HEALTHY_MS);
    phase = 'outage';
    await cluster.stop('immediate');
    downAt = Date.now();
    await pause(OUTAGE_MS);
    restartingAt = Date.now();
    await cluster.start();
    upAt = Date.now();
    phase = 'after';
    await pause(AFTER_MS);
    loading = false;
    await load;

    // --- What the clients saw --------------------------------------------------------------
    const table: Record<string, Record<string, number | string>> = {};
    for (const kind of ['write', 'read', 'ready'] as Kind[]) {
      for (const p of ['before', 'outage', 'after'] as Phase[]) {
        const rows = samples.filter((s) => s.kind === kind && s.phase === p);
        table[`${kind} ${p}`] = {
          requests: rows.length,
          '2xx': rows.filter((s) => s.status !== undefined && s.status < 300).length,
          '503 proper': rows.filter((s) => s.status === 503 && s.proper503).length,
          '503 improper': rows.filter((s) => s.status === 503 && !s.proper503).length,
          other: rows.filter((s) => s.status !== undefined && s.status >= 300 && s.status !== 503).length,
          timeouts: rows.filter((s) => s.failure === 'timeout').length,
          'conn errors': rows.filter((s) => s.failure === 'connection').length,
          'longest ms': Math.max(0, ...rows.map((s) => s.endedAt - s.startedAt)),
        };
      }
    }
    const otherStatuses = samples.filter((s) => s.status !== undefined && s.status >= 300 && s.status !== 503).map((s) => `${s.kind} ${s.phase} ${s.status}`);
    const firstWriteAfter = samples
      .filter((s) => s.kind === 'write' && s.startedAt >= upAt && s.status !== undefined && s.status < 300)
      .sort((a, b) => a.endedAt - b.endedAt)[0];
    const firstReadyAfter = samples
      .filter((s) => s.kind === 'ready' && s.startedAt >= upAt && s.status === 200)
      .sort((a, b) => a.endedAt - b.endedAt)[0];
    const outageReady = samples.filter((s) => s.kind === 'ready' && s.wholeOutage);

    // --- After the load ------------------------------------------------------------------------
    const alive = server.child.exitCode === null && server.child.signalCode === null;
    const readyAfter = await request('ready', 'GET', '/_ready');
    const fresh = await request('write', 'PUT', '/api/partner/events/out-after-1', event('out-after-1'), 'out-after-1');
    // The worker polls again: a delivery arrives for a change made after the restart (bounded wait).
    for (let i = 0; i < 120 && !webhooks.some((hook) => hook.at >= upAt); i++) await pause(250);
    const webhooksAfter = webhooks.filter((hook) => hook.at >= upAt).length;

    // --- What the database holds ---------------------------------------------------------------
    const acked = new Set(samples.filter((s) => s.kind === 'write' && s.status !== undefined && s.status < 300).map((s) => s.externalId!));
    const attempted = new Set(samples.filter((s) => s.kind === 'write').map((s) => s.externalId!));
    const failed = new Set([...attempted].filter((id) => !acked.has(id)));
    const client = new Client({ connectionString: cluster.url('hub') });
    await client.connect();
    let mappings: Array<{ external_id: string; document_id: string }>;
    let events: Array<{ document_id: string; locale: string; published: boolean; external_id: string | null }>;
    let changes: Array<{ document_id: string; locale: string; action: string }>;
    let venueKeys: Array<{ external_id: string }>;
    try {
      mappings = (await client.query('SELECT external_id, document_id FROM partner_events WHERE partner_key = $1', [PARTNER_KEY])).rows;
      events = (await client.query('SELECT document_id, locale, published_at IS NOT NULL AS published, external_id FROM events')).rows;
      changes = (await client.query("SELECT document_id, locale, action FROM sync_changes WHERE content_type = 'api::event.event'")).rows;
      venueKeys = (await client.query("SELECT external_id FROM partner_identities WHERE partner_key = $1 AND kind = 'venue'", [PARTNER_KEY])).rows;
    } finally {
      await client.end();
    }
    const mappingOf = new Map(mappings.map((row) => [row.external_id, row.document_id]));
    const rowsOf = (externalId: string) => events.filter((row) => row.external_id === externalId);
    const documentIds = new Set(events.map((row) => row.document_id));
    const venueIds = new Set(venueKeys.map((row) => row.external_id));

    /** whole: mapping, draft + published rows in da and en under the mapped document, change log for both locales, venue key. */
    const stateOf = (externalId: string): 'whole' | 'absent' | 'half' => {
      const documentId = mappingOf.get(externalId);
      const rows = rowsOf(externalId);
      if (!documentId && rows.length === 0 && !venueIds.has(`venue-${externalId}`)) return 'absent';
      const has = (locale: string, published: boolean) => rows.some((row) => row.locale === locale && row.published === published && row.document_id === documentId);
      const logged = (locale: string) => changes.some((change) => change.document_id === documentId && change.locale === locale && change.action === 'published');
      const whole =
        documentId !== undefined &&
        rows.length === 4 &&
        has('da', false) && has('da', true) && has('en', false) && has('en', true) &&
        logged('da') && logged('en') &&
        venueIds.has(`venue-${externalId}`);
      return whole ? 'whole' : 'half';
    };
    const ackedMissing = [...acked].filter((id) => stateOf(id) !== 'whole');
    const halfWritten = [...attempted].filter((id) => stateOf(id) === 'half');
    const failedButCommitted = [...failed].filter((id) => stateOf(id) === 'whole');
    const failedAbsent = [...failed].filter((id) => stateOf(id) === 'absent');
    // Change-log rows for event documents that do not exist: a failed write that left its log.
    const orphanChanges = changes.filter((change) => !documentIds.has(change.document_id)).length;
    // Event rows of ours without a mapping, or under another document than the mapping says.
    const orphanEvents = events.filter((row) => row.external_id?.startsWith('out-') && mappingOf.get(row.external_id) !== row.document_id).length;

    const output = server.output();
    const summary = {
      'acknowledged writes': acked.size,
      'acknowledged missing or partial': ackedMissing.length,
      'failed writes': failed.size,
      'failed, absent': failedAbsent.length,
      'failed, committed whole (answer lost)': failedButCommitted.length,
      'half-written': halfWritten.length,
      'orphan change-log rows': orphanChanges,
      'orphan event rows': orphanEvents,
      'ready probes in the whole outage (all 503?)': `${outageReady.filter((s) => s.status === 503).length}/${outageReady.length}`,
      'process alive at the end': String(alive),
      '/_ready after': readyAfter.status ?? readyAfter.failure ?? '?',
      'new write after': fresh.status ?? fresh.failure ?? '?',
      'ms from restart to first 2xx write': firstWriteAfter ? firstWriteAfter.endedAt - upAt : 'none',
      'ms from restart to first /_ready 200': firstReadyAfter ? firstReadyAfter.endedAt - upAt : 'none',
      'webhooks delivered after restart': webhooksAfter,
      'webhook worker failed polls logged': (output.match(/\[webhooks\] worker poll failed/g) ?? []).length,
      'unhandled rejections survived (logged)': (output.match(/work nobody awaited/g) ?? []).length,
    };
    console.log(`database outage (${OUTAGE_MS / 1000} s, pg_ctl stop -m immediate):`);
    console.table(table);
    console.table(summary);
    for (const id of [...ackedMissing, ...halfWritten]) {
      const documentId = mappingOf.get(id);
      const sample = samples.find((s) => s.externalId === id && s.status !== undefined && s.status < 300);
      console.log(`${id}: ${stateOf(id)}, acknowledged ${sample?.status ?? 'no'} in phase ${sample?.phase ?? '-'}, mapping ${documentId ?? 'none'}, ` +
        `${rowsOf(id).length} event rows, ${changes.filter((c) => c.document_id === documentId).length} change-log rows, venue key ${venueIds.has(`venue-${id}`)}`);
    }
    if (otherStatuses.length || !alive) {
      // What the server said about the odd answers: its error lines, without the expected outage noise.
      const errors = output.split('\n').filter((line) => /error|Error/.test(line) && !/worker poll failed|check failed/.test(line));
      console.log(otherStatuses.slice(0, 20), errors.slice(0, 40).join('\n'), tail(output, 2000));
    }

    // The process never crashed and never hung a request.
    expect(alive).toBe(true);
    expect(samples.filter((s) => s.failure)).toEqual([]);
    // Nothing but 2xx and proper 503s: no 500s, no 503 without Retry-After and the error shape.
    expect(otherStatuses).toEqual([]);
    expect(samples.filter((s) => s.status === 503 && !s.proper503)).toEqual([]);
    // Work went on before, was refused during, and went on again after.
    for (const kind of ['write', 'read'] as Kind[]) {
      expect(table[`${kind} before`]!['2xx']).toBeGreaterThan(0);
      expect(table[`${kind} outage`]!['503 proper']).toBeGreaterThan(0);
      expect(table[`${kind} after`]!['2xx']).toBeGreaterThan(0);
    }
    expect(outageReady.length).toBeGreaterThan(0);
    expect(outageReady.filter((s) => s.status !== 503)).toEqual([]);
    expect(samples.filter((s) => s.kind !== 'ready' && s.wholeOutage && s.status !== 503)).toEqual([]);
    // Recovered without a restart.
    expect(readyAfter.status).toBe(200);
    expect(fresh.status).toBe(201);
    // The webhook worker failed its polls during the outage, lived on and delivered again.
    expect(summary['webhook worker failed polls logged']).toBeGreaterThan(0);
    expect(webhooksAfter).toBeGreaterThan(0);
    // Every acknowledged write is whole; nothing is half there.
    expect(acked.size).toBeGreaterThan(0);
    expect(failed.size).toBeGreaterThan(0);
    expect(ackedMissing).toEqual([]);
    expect(halfWritten).toEqual([]);
    expect(orphanChanges).toBe(0);
    expect(orphanEvents).toBe(0);
    expect(failedAbsent.length + failedButCommitted.length).toBe(failed.size);
  }, 300000);
});
