// @ts-check
// The cases of `npm run bench:reads` that read while someone writes (issue 23): 600 article
// pages (300 articles × da/en, by slug) read by autocannon, first with no writes, then while a
// partner pushes one event every 0.5 s (an event on none of the pages), then while an editor
// edits and publishes one article every 0.5 s (its two pages are left out of the reads). Each
// app measured is the one written to, as production would be.
const { spawnSync } = require('child_process');
const path = require('path');

const APP_DIR = path.resolve(__dirname, '../..');
const WRITE_EVERY_MS = 500;
// The bench's own admin user, made on first use (the data set has none) and logged in after.
const ADMIN = { email: 'bench-reads@example.invalid', password: 'Bench-reads-1', firstname: 'Bench', lastname: 'Reads' };

/**
 * A partner that publishes, and its token, made with `npm run partner:create` on the app's database.
 * @param {NodeJS.ProcessEnv} env
 */
function createPartner(env) {
  const result = spawnSync(process.execPath, [path.join(APP_DIR, 'scripts/partner.js'), 'create', '--name', `Bench writer ${process.pid}`, '--publish-mode', 'publish'], {
    cwd: APP_DIR,
    env,
    encoding: 'utf8',
  });
  const token = result.stdout.split('\n').find((line) => line.startsWith('ptk_'));
  if (result.status !== 0 || !token) throw new Error(`partner:create failed (${result.status}): ${result.stderr.slice(-2000)}`);
  return `Bearer ${token.trim()}`;
}

/**
 * An admin JWT for the content manager: registers the bench's admin, or logs in as it.
 * @param {string} base
 */
async function adminToken(base) {
  const init = /** @type {{ data: { hasAdmin: boolean } }} */ (await (await fetch(`${base}/admin/init`)).json());
  const response = init.data.hasAdmin
    ? await fetch(`${base}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }) })
    : await fetch(`${base}/admin/register-admin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  const body = /** @type {{ data?: { token?: string } }} */ (await response.json());
  if (!response.ok || !body.data?.token) throw new Error(`admin ${init.data.hasAdmin ? 'login' : 'registration'}: HTTP ${response.status}`);
  return `Bearer ${body.data.token}`;
}

/**
 * A write every WRITE_EVERY_MS until stopped; counts what was acknowledged and what failed.
 * @param {() => Promise<Response[]>} write
 */
function writeRepeatedly(write) {
  const counts = { ok: 0, failed: 0, statuses: /** @type {Record<string, number>} */ ({}) };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const began = Date.now();
      try {
        const responses = await write();
        const bad = responses.find((response) => !response.ok);
        if (bad) {
          counts.failed++;
          counts.statuses[bad.status] = (counts.statuses[bad.status] ?? 0) + 1;
        } else counts.ok++;
      } catch {
        counts.failed++;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, WRITE_EVERY_MS - (Date.now() - began))));
    }
  })();
  return {
    counts,
    async stop() {
      stopped = true;
      await loop;
      return counts;
    },
  };
}

/**
 * @typedef {{ reqPerSec: number; p50: number; p99: number; requests: number }} Figures
 * @typedef {(label: string, base: string, c: { name: string; path: string; requests?: Array<{ method: string; path: string }> }) => Promise<Figures>} Pass
 */

/**
 * Measures one app: reads without writes, with partner pushes, with an editor's edits.
 * @param {{ base: string; label: string; slugs: Array<{ documentId: string; slug: string; locale: string }>; pass: Pass; partnerAuth: string }} options
 */
async function readsWhileWriting({ base, label, slugs, pass, partnerAuth }) {
  const pages = slugs.map(({ slug, locale }) => `/api/articles/slug/${slug}?locale=${locale}`);
  const edited = slugs[slugs.length - 1];
  if (!edited) throw new Error('no article pages to read');
  const otherPages = pages.filter((_, index) => slugs[index]?.documentId !== edited.documentId);
  const warm = async (/** @type {string[]} */ paths) => {
    for (const page of paths) {
      const response = await fetch(`${base}${page}`);
      if (response.status !== 200) throw new Error(`${page}: HTTP ${response.status}`);
      await response.arrayBuffer();
    }
  };
  const requests = (/** @type {string[]} */ paths) => paths.map((page) => ({ method: 'GET', path: page }));

  await warm(pages);
  const quiet = await pass(`${label}, no writes`, base, { name: `${pages.length} pages, no writes`, path: pages[0] ?? '/', requests: requests(pages) });

  let pushes = 0;
  const partner = writeRepeatedly(async () => [
    await fetch(`${base}/api/partner/events/bench-reads-${pushes % 5}`, {
      method: 'PUT',
      headers: { authorization: partnerAuth, 'content-type': 'application/json' },
      body: JSON.stringify({
        startsAt: '2026-06-12T14:00',
        endsAt: '2026-06-12T15:00',
        timeZone: 'Europe/Copenhagen',
        kind: 'debate',
        da: { title: `Bench-debat nummer ${++pushes}` },
      }),
    }),
  ]);
  let partnerFigures;
  try {
    partnerFigures = await pass(`${label}, partner pushes`, base, { name: `${pages.length} pages, a partner push every 0.5 s`, path: pages[0] ?? '/', requests: requests(pages) });
  } finally {
    await partner.stop();
  }

  const admin = await adminToken(base);
  const manager = `${base}/content-manager/collection-types/api::article.article/${edited.documentId}`;
  // Warmed again: with everything invalidated on every write, the pushes emptied the cache.
  await warm(otherPages);
  let edits = 0;
  const editor = writeRepeatedly(async () => {
    const headers = { authorization: admin, 'content-type': 'application/json' };
    const update = await fetch(`${manager}?locale=${edited.locale}`, { method: 'PUT', headers, body: JSON.stringify({ lead: `Opdateret indledning ${++edits}` }) });
    await update.arrayBuffer();
    const publish = await fetch(`${manager}/actions/publish?locale=${edited.locale}`, { method: 'POST', headers, body: '{}' });
    await publish.arrayBuffer();
    return [update, publish];
  });
  let editorFigures;
  try {
    editorFigures = await pass(`${label}, article edits`, base, { name: `${otherPages.length} pages, an article edited every 0.5 s`, path: otherPages[0] ?? '/', requests: requests(otherPages) });
  } finally {
    await editor.stop();
  }
  return {
    pages: pages.length,
    otherPages: otherPages.length,
    quiet,
    partner: { figures: partnerFigures, writes: partner.counts },
    editor: { figures: editorFigures, writes: editor.counts },
  };
}

module.exports = { adminToken, createPartner, readsWhileWriting };
