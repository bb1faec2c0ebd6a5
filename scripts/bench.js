#!/usr/bin/env node
// @ts-check
// npm run bench: partner sync throughput on a throwaway SQLite database (or PostgreSQL with
// DATABASE_URL set). Pushes 1,000 events in batches of 250 over real HTTP, re-pushes them
// unchanged, and prints times, SQL statements per event, and ratios against a baseline of
// authenticated no-op requests (GET /api/partner/me) measured in the same process.
// Figures, not assertions: they depend on the machine.
const fs = require('fs');
const path = require('path');
const { throwawaySecrets } = require('./lib/throwaway-secrets');
const { parseCommandLine, runCommand } = require('./lib/cli');
const { compiledApp } = require('./lib/compiled-app');

const APP_DIR = path.resolve(__dirname, '..');
const EVENTS = Number(process.env.BENCH_EVENTS || 1000);
const BATCH = 250;
const BASELINE_REQUESTS = 200;

const dbFile = path.join(APP_DIR, '.tmp', `bench-${process.pid}.db`);
// Every secret the app reads, fresh for this run.
Object.assign(process.env, { NODE_ENV: 'development', LOG_LEVEL: 'warn', WEBHOOKS_WORKER: 'off' }, throwawaySecrets(APP_DIR));
if (!process.env.DATABASE_URL) Object.assign(process.env, { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: dbFile });

/** A pushed event as a festival programme writes it. @param {number} n @param {string} title */
const event = (n, title) => ({
  externalId: `bench-${n}`,
  startsAt: `2024-06-${String(13 + (n % 3)).padStart(2, '0')}T${String(10 + (n % 9)).padStart(2, '0')}:00`,
  endsAt: `2024-06-${String(13 + (n % 3)).padStart(2, '0')}T${String(11 + (n % 9)).padStart(2, '0')}:00`,
  venue: { id: `tent-${n % 20}`, name: `Telt ${n % 20}` },
  organisers: [{ id: `org-${n % 40}`, name: `Arrangør ${n % 40}` }],
  participants: [
    { id: `p-${n % 300}`, name: `Person ${n % 300}`, organisation: `Arrangør ${n % 40}`, title: 'Direktør', part: 'panelist' },
    { id: 'mod-1', name: 'Lene Holm', organisation: 'Folkemødet', title: 'Vært', part: 'moderator' },
  ],
  da: { title: `${title} ${n}`, summary: 'En debat om offentlig-privat innovation.' },
  en: { title: `${title} ${n} (en)`, summary: 'A debate on public-private innovation.' },
});

/** @param {number} ms */
const seconds = (ms) => (ms / 1000).toFixed(2);
const REFERENCE_EVENTS = Number(process.env.BENCH_REFERENCE_EVENTS || 100);

/**
 * What a new event's documents cost the way pushes wrote them before event-writer.ts: Document
 * Service create (da), update (en) and publish, with the same relations as a pushed event. Run in
 * the same process after the pushes, so the two figures share the machine's state.
 */
/**
 * @typedef {{ ms: number; statements: number; counts?: Record<string, number> }} Run
 * @param {import('@strapi/strapi').Core.Strapi} strapi
 * @param {() => number} statementCount
 * @param {number} count
 * @returns {Promise<Run>}
 */
async function throughDocumentService(strapi, statementCount, count) {
  const EVENT = 'api::event.event';
  // Loosely typed on purpose: the bench reads back what it pushed, not a declared shape.
  /** @type {any} */
  const documents = strapi.documents(EVENT);
  const [model] = await documents.findMany({
    locale: 'da',
    status: 'draft',
    limit: 1,
    populate: { venue: true, organisers: true, participants: { populate: ['person'] } },
  });
  const shared = {
    startsAt: model.startsAt,
    endsAt: model.endsAt,
    timeZone: model.timeZone,
    kind: model.kind,
    sourcePartner: model.sourcePartner,
    venue: model.venue.documentId,
    organisers: model.organisers.map((/** @type {{ documentId: string }} */ organiser) => organiser.documentId),
  };
  const participants = model.participants.map((/** @type {{ part: string; person: { documentId: string } }} */ participant) => ({ part: participant.part, person: participant.person.documentId }));
  const before = statementCount();
  const began = performance.now();
  for (let n = 0; n < count; n++) {
    /** @type {any} */
    const events = strapi.documents(EVENT);
    // One transaction per event, as a push has.
    await strapi.db.transaction(async () => {
      const { documentId } = await events.create({
        locale: 'da',
        data: { ...shared, externalId: `reference-${n}`, title: `Reference ${n}`, summary: 'En debat.', participants },
      });
      await events.update({ documentId, locale: 'en', data: { ...shared, title: `Reference ${n} (en)`, summary: 'A debate.', participants } });
      await events.publish({ documentId, locale: '*' });
    });
  }
  return { ms: performance.now() - began, statements: statementCount() - before };
}

async function main() {
  const { createStrapi } = require('@strapi/strapi');
  // Compiled only when a source changed since the last build (scripts/lib/compiled-app.js).
  const appContext = await compiledApp(APP_DIR);
  const strapi = await createStrapi({ ...appContext, autoReload: false, serveAdminPanel: false }).load();
  strapi.server.mount();
  await new Promise((resolve) => strapi.server.httpServer.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('net').AddressInfo} */ (strapi.server.httpServer.address());
  const base = `http://127.0.0.1:${address.port}`;

  let statements = 0;
  strapi.db.connection.on('query', () => statements++);

  try {
    const partner = await strapi.db.query('api::partner.partner').create({ data: { name: 'Bench', key: 'bench', publishMode: 'publish' } });
    const { token } = await strapi.service('api::partner.partner-token').issue(partner.id, 'bench');
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };

    let started = performance.now();
    for (let i = 0; i < BASELINE_REQUESTS; i++) {
      const response = await fetch(`${base}/api/partner/me`, { headers });
      if (response.status !== 200) throw new Error(`baseline: HTTP ${response.status}`);
      await response.arrayBuffer();
    }
    const baselineMs = (performance.now() - started) / BASELINE_REQUESTS;

    /** @param {string} title @returns {Promise<Run>} */
    const push = async (title) => {
      /** @type {Record<string, number>} */
      const counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
      statements = 0;
      const began = performance.now();
      for (let from = 0; from < EVENTS; from += BATCH) {
        const events = Array.from({ length: Math.min(BATCH, EVENTS - from) }, (_, i) => event(from + i, title));
        const response = await fetch(`${base}/api/partner/events/batch`, { method: 'POST', headers, body: JSON.stringify({ events }) });
        if (response.status !== 200) throw new Error(`batch: HTTP ${response.status} ${await response.text()}`);
        const { meta } = /** @type {{ meta: Record<string, number> }} */ (await response.json());
        for (const key of Object.keys(counts)) counts[key] = (counts[key] ?? 0) + (meta[key] ?? 0);
      }
      return { ms: performance.now() - began, statements, counts };
    };

    const created = await push('Debat');
    const unchanged = await push('Debat');
    const changed = await push('Debat, ændret');
    const reference = await throughDocumentService(strapi, () => statements, REFERENCE_EVENTS);

    /** @param {Run} run */
    const perEvent = (run) => run.ms / EVENTS;
    /** @param {string} label @param {Run} run */
    const report = (label, run) =>
      console.log(
        `${label.padEnd(22)} ${seconds(run.ms).padStart(7)} s  ${perEvent(run).toFixed(2).padStart(7)} ms/event  ` +
          `${(run.statements / EVENTS).toFixed(1).padStart(6)} SQL/event  ${(perEvent(run) / baselineMs).toFixed(1).padStart(6)}x baseline  ${JSON.stringify(run.counts)}`,
      );
    console.log(`partner sync, ${EVENTS} events in batches of ${BATCH}, ${strapi.db.dialect.client} (${process.version})`);
    console.log(`baseline: GET /api/partner/me ${baselineMs.toFixed(2)} ms/request (${BASELINE_REQUESTS} requests)`);
    report('push (all new)', created);
    report('re-push unchanged', unchanged);
    report('push (all changed)', changed);
    console.log(
      `${'before: Document Service'.padEnd(22)} ${(reference.ms / REFERENCE_EVENTS).toFixed(2).padStart(17)} ms/event  ${(reference.statements / REFERENCE_EVENTS).toFixed(1).padStart(6)} SQL/event  ` +
        `(create + update en + publish of ${REFERENCE_EVENTS} new events, the way pushes wrote them before; without the push's own work)`,
    );
    console.log(`unchanged / new: ${(unchanged.ms / created.ms).toFixed(3)}`);
  } finally {
    // Waits for Strapi's unawaited after-commit queries, then destroys (src/lib/lifecycle/stop.ts).
    /** @type {typeof import('../src/lib/lifecycle/stop')} */
    const { stopStrapi } = require(path.join(appContext.distDir ?? path.join(APP_DIR, 'dist'), 'src/lib/lifecycle/stop.js'));
    await stopStrapi(strapi);
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(dbFile + suffix, { force: true });
  }
}

/** @type {import('./lib/cli').CliSpec} */
const CLI = {
  name: 'bench',
  npm: 'bench',
  summary:
    'Partner push throughput on a throwaway SQLite database (PostgreSQL with DATABASE_URL set to an empty database). ' +
    'Sizes from the environment: BENCH_EVENTS (default 1000), BENCH_REFERENCE_EVENTS (default 100).',
};
runCommand(CLI, async () => {
  parseCommandLine(CLI, process.argv.slice(2));
  await main();
});
