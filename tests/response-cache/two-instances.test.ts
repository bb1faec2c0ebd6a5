/**
 * Two app instances on one PostgreSQL database, each with its own response cache: a write
 * acknowledged by one is never followed by a stale read from the other. 200 publish-then-read
 * pairs alternate the writer and the reader; every read must show the write just acknowledged.
 * (SQLite serves one instance only, so this runs with TEST_DB=postgres.)
 */
import { startApp, type TestApp } from '../helpers/app';
import { TEST_DB_KIND } from '../helpers/database';
import { startAppProcess, type AppProcess } from '../helpers/app-process';
import { createPartner, type TestPartner } from '../helpers/partners';
import { listen } from './shared';

// TWO_INSTANCE_PAIRS: fewer pairs for a quick local run; the suite runs the full 200.
const PAIRS = Number(process.env.TWO_INSTANCE_PAIRS ?? 200);
const onPostgres = TEST_DB_KIND === 'postgres';

let app: TestApp;
let other: AppProcess;
let partner: TestPartner;
beforeAll(async () => {
  if (!onPostgres) return;
  app = await startApp();
  partner = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
  other = await startAppProcess(app.db.env);
});
afterAll(async () => {
  await other?.stop();
  await app?.stop();
});

const event = (title: string) => ({
  startsAt: '2024-06-13T14:00',
  endsAt: '2024-06-13T15:00',
  timeZone: 'Europe/Copenhagen',
  kind: 'debate',
  venue: { id: 'tent-1', name: 'Telt 1' },
  da: { title },
  en: { title: `${title} (en)` },
});

(onPostgres ? it : it.skip)(
  `${PAIRS} publish-then-read pairs alternating the two instances: 0 stale reads${onPostgres ? '' : ' (PostgreSQL only: SQLite serves one instance)'}`,
  async () => {
    const bases = [await listen(app), other.baseUrl];
    const list = '/api/events?locale=da&sort=id:desc&pagination[pageSize]=5';
    const graphql = JSON.stringify({ query: '{ events(locale: "da", sort: "id:desc", pagination: { limit: 5 }) { title } }' });
    // Warm both caches.
    for (const base of bases) {
      await fetch(`${base}${list}`);
      await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: graphql });
    }

    let stale = 0;
    let hitsBefore = 0;
    for (let pair = 0; pair < PAIRS; pair++) {
      const writer = bases[pair % 2]!;
      const reader = bases[(pair + 1) % 2]!;
      const title = `Debat nummer ${pair}`;
      // One event, published again with a new title each time: an edit of public content.
      const write = await fetch(`${writer}/api/partner/events/two-instances`, {
        method: 'PUT',
        headers: { authorization: partner.auth, 'content-type': 'application/json' },
        body: JSON.stringify(event(title)),
      });
      expect(write.status).toBeLessThan(300);
      await write.arrayBuffer();

      const rest = await fetch(`${reader}${list}`);
      const restTitles = ((await rest.json()) as { data: Array<{ title: string }> }).data.map((item) => item.title);
      const gql = await fetch(`${reader}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: graphql });
      const gqlTitles = ((await gql.json()) as { data: { events: Array<{ title: string }> } }).data.events.map((item) => item.title);
      if (restTitles[0] !== title) stale++;
      if (gqlTitles[0] !== title) stale++;
      // Between pairs the same reads repeat: they must come from the cache, or it proves nothing.
      const again = await fetch(`${reader}${list}`);
      if (again.headers.get('etag') === rest.headers.get('etag')) hitsBefore++;
      await again.arrayBuffer();
    }
    expect(stale).toBe(0);
    expect(hitsBefore).toBe(PAIRS);
    // The in-process instance answered its repeated reads from its cache.
    const { publicCache } = await import('../../src/features/delivery/cache/public-cache');
    expect(publicCache(app.strapi).stats().hits).toBeGreaterThanOrEqual(PAIRS / 2);
  },
  // Each pair is a partner write and four reads on two instances; two shared cores take a while.
  600_000,
);
