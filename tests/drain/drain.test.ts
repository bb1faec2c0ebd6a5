/**
 * SIGTERM under load drains: `strapi start` (production, a child process) is read by
 * keep-alive clients without pause (and one idle keep-alive client); mid-load it gets SIGTERM. Every request the server had
 * accepted must get a whole 2xx answer; connections refused once it stopped listening are
 * expected and counted apart; the process exits 0. Strapi's own handler failed this: it
 * destroyed the sockets of requests in flight.
 */
import http from 'http';
import path from 'path';
import { createSeededDatabase } from '../helpers/app';
import type { TestDatabase } from '../helpers/database';
import { APP_DIR } from '../helpers/paths';
import { freshSecrets } from '../helpers/secrets';
import { freePort, startServer, tail, waitForStatus, type ServerProcess } from '../helpers/server-process';

const WORKERS = 8;
/** Answers before the signal, so every worker has a warm keep-alive connection. */
const WARM_UP = 40;
const READ = '/api/articles?locale=da';

type Outcome = 'ok' | 'failed' | 'refused';

interface Tally {
  ok: number;
  okAfterSignal: number;
  failed: number;
  refused: number;
  failures: string[];
}

/** One GET; 'ok' only for a 2xx whose body arrived whole (its declared length, valid JSON). */
function get(agent: http.Agent, base: string, onClose?: () => void): Promise<{ outcome: Outcome; detail?: string }> {
  return new Promise((resolve) => {
    const request = http.get(base + READ, { agent }, (response) => {
      // The drain has begun: the server ends kept-alive connections after this answer.
      if (response.headers.connection === 'close') onClose?.();
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('aborted', () => resolve({ outcome: 'failed', detail: `${response.statusCode} body cut off` }));
      response.on('error', (error) => resolve({ outcome: 'failed', detail: `${response.statusCode} body: ${error.message}` }));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        const status = response.statusCode ?? 0;
        const declared = Number(response.headers['content-length'] ?? body.length);
        let parsed = false;
        try {
          parsed = Array.isArray(JSON.parse(body.toString('utf8')).data);
        } catch {
          parsed = false;
        }
        if (status >= 200 && status < 300 && declared === body.length && parsed) resolve({ outcome: 'ok' });
        else resolve({ outcome: 'failed', detail: `${status}, ${body.length}/${declared} bytes` });
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) =>
      // Refused: the server no longer listens. Anything else (reset, hang-up) hit a request it had.
      resolve(error.code === 'ECONNREFUSED' ? { outcome: 'refused' } : { outcome: 'failed', detail: error.code ?? error.message })
    );
  });
}

/** GET /_ready on a kept-alive connection: its status and the boot check's reason. */
function ready(agent: http.Agent, base: string): Promise<{ status: number; boot?: string } | 'refused'> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}/_ready`, { agent }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, boot: JSON.parse(body).checks?.boot?.error }));
      })
      .on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? resolve('refused') : reject(error)));
  });
}

describe('strapi start, SIGTERM under load', () => {
  let db: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    // The demo content, so the read has an article with its whole shape to send.
    db = await createSeededDatabase();

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
        // No admin build needed: the app is compiled by the test run's global setup.
        SERVE_ADMIN_PANEL: 'false',
        STRAPI_TELEMETRY_DISABLED: 'true',
        LOG_LEVEL: 'info',
        PUBLIC_DIR: db.publicDir,
        SHUTDOWN_DRAIN_TIMEOUT_MS: '10000',
        ...freshSecrets(),
        ...db.env,
      },
    });
    await waitForStatus(server, '/_health', 204);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('answers every accepted request in full, then exits 0', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
    const tally: Tally = { ok: 0, okAfterSignal: 0, failed: 0, refused: 0, failures: [] };
    let signalled = false;
    let outstanding = 0;
    let outstandingAtSignal = 0;
    let warm: () => void;
    const warmedUp = new Promise<void>((resolve) => (warm = resolve));
    let drainSeen: () => void;
    const draining = new Promise<void>((resolve) => (drainSeen = resolve));

    const worker = async () => {
      // Until the server is gone: a refusal ends this worker; a bounded count guards a hang.
      for (let i = 0; i < 10000; i++) {
        outstanding++;
        const { outcome, detail } = await get(agent, server.base, drainSeen);
        outstanding--;
        if (outcome === 'ok') {
          tally.ok++;
          if (signalled) tally.okAfterSignal++;
          if (tally.ok >= WARM_UP) warm();
        } else if (outcome === 'refused') {
          tally.refused++;
          return;
        } else {
          tally.failed++;
          tally.failures.push(detail ?? 'unknown');
        }
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, worker));

    // And one keep-alive client that is idle at the signal: its connection must not hold the
    // exit past the server's keep-alive timeout, nor be counted as cut.
    const idleAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(idleAgent, server.base)).outcome).toBe('ok');

    await warmedUp;
    // A load balancer's probe on its own kept-alive connection, idle when the signal goes (so the
    // drain leaves it open): ready now, and 503 once the drain has begun.
    const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const before = await ready(probeAgent, server.base);
    outstandingAtSignal = outstanding;
    signalled = true;
    server.child.kill('SIGTERM');
    await draining;
    const during = await ready(probeAgent, server.base);
    const [exit] = await Promise.all([server.exited, load]);
    probeAgent.destroy();
    agent.destroy();
    idleAgent.destroy();

    const drained = /\[shutdown\] drained: (\d+) requests in flight and (\d+) connections open at SIGTERM, (\d+) cut/.exec(server.output());
    console.log(
      `drain: ${tally.ok} answered in full (${tally.okAfterSignal} after SIGTERM), ${tally.failed} failed, ` +
        `${tally.refused} refused after close; ${outstandingAtSignal} requests outstanding at SIGTERM; ` +
        `server: ${drained ? `${drained[1]} in flight, ${drained[2]} connections, ${drained[3]} cut` : 'no drain report'}; exit ${exit}`
    );

    if (exit !== 0 || tally.failed > 0) console.log(tail(server.output()));
    expect(tally.failures).toEqual([]);
    expect(tally.failed).toBe(0);
    // Work really was under way: requests were waiting when the signal went, and were answered.
    expect(outstandingAtSignal).toBeGreaterThan(0);
    expect(tally.okAfterSignal).toBeGreaterThan(0);
    // Every worker ended on a refused connection: the server stopped listening.
    expect(tally.refused).toBe(WORKERS);
    expect(drained).not.toBeNull();
    expect(Number(drained![3])).toBe(0);
    expect(exit).toBe(0);
    expect(before).toEqual({ status: 200 });
    expect(during).toEqual({ status: 503, boot: 'shutting down' });
  });

});
