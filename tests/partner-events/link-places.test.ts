/**
 * A new event's place in its venue's and topic's lists of events (the link's inverse order) when
 * two writers commit side by side. The bulk writer computes a link's place inside its insert, as
 * the target's highest place plus one, and an insert cannot see another transaction's links
 * before that one commits: two partner pushes linking one venue would get one place. Every
 * transaction moves its links after those of writers that committed before it, at its COMMIT
 * (src/lib/db/commit.ts, placeLinksBeforeCommit). Here two transactions are interleaved by hand,
 * so the race happens every time: one waits after writing its event while the other writes and
 * commits. PostgreSQL only: SQLite has one writer at a time, and the second would wait for the
 * first for ever.
 */
import type { Knex } from 'knex';
import { appModule, startApp, type TestApp } from '../helpers/app';
import { TEST_DB_KIND } from '../helpers/database';
import type * as EventWriter from '../../src/api/partner/sync/event-writer';

const onPostgres = TEST_DB_KIND === 'postgres';
const describePostgres = onPostgres ? describe : describe.skip;

// The app's own copy of the writer: its links must be recorded where the app's COMMIT looks.
const { createEventDocument } = appModule<typeof EventWriter>('src/api/partner/sync/event-writer.js');

let app: TestApp;
let venue: string;
let topic: string;

beforeAll(async () => {
  if (!onPostgres) return;
  app = await startApp();
  venue = (await app.strapi.documents('api::venue.venue').create({ data: { name: 'Telt 9, Kæmpestranden' }, locale: 'da' })).documentId;
  topic = (await app.strapi.documents('api::topic.topic').create({ data: { name: 'Grøn omstilling', slug: 'groen-omstilling' }, locale: 'da' })).documentId;
  await app.strapi.documents('api::topic.topic').publish({ documentId: topic, locale: 'da' });
});
afterAll(async () => {
  await app?.stop();
});

const newEvent = (title: string): EventWriter.NewEventData => ({
  shared: {
    startsAt: '2025-06-12T08:00:00.000Z',
    endsAt: null,
    timeZone: 'Europe/Copenhagen',
    eventStatus: 'scheduled',
    attendanceMode: 'offline',
    kind: 'debate',
    programmeUrl: null,
    sourcePartner: 'folkemoedet',
    externalId: title,
    venue,
    parent: null,
    organisers: [],
    topics: [topic],
  },
  locales: [{ locale: 'da', title, summary: null, description: null, participants: [] }],
});

const write = (title: string, publish: boolean) =>
  app.strapi.db.transaction(async ({ trx, onCommit }) => {
    await createEventDocument(app.strapi, trx as Knex.Transaction, onCommit, newEvent(title), { publish });
  });

/**
 * `first` writes its event and waits, uncommitted, while `second` writes its own and commits;
 * then `first` commits. Says whether `second` had to wait for `first` (PostgreSQL's own account:
 * the pids blocking its connection), which it must not: the lock that orders the links is taken
 * at COMMIT only, and a published write holds the change log's lock to its commit.
 */
async function sideBySide(first: { title: string; publish: boolean }, second: { title: string; publish: boolean }) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let written!: () => void;
  const firstWrote = new Promise<void>((resolve) => (written = resolve));
  const firstDone = app.strapi.db.transaction(async ({ trx, onCommit }) => {
    await createEventDocument(app.strapi, trx as Knex.Transaction, onCommit, newEvent(first.title), { publish: first.publish });
    written();
    await held;
  });
  await firstWrote;
  let secondPid: number | undefined;
  let secondSettled = false;
  const secondDone = app.strapi.db
    .transaction(async ({ trx, onCommit }) => {
      secondPid = Number((await (trx as Knex.Transaction).raw('select pg_backend_pid() as pid')).rows[0].pid);
      await createEventDocument(app.strapi, trx as Knex.Transaction, onCommit, newEvent(second.title), { publish: second.publish });
    })
    .finally(() => (secondSettled = true));
  const knex = app.strapi.db.connection as Knex;
  let secondWaited = false;
  while (!secondSettled && !secondWaited) {
    if (secondPid !== undefined) {
      const { rows } = await knex.raw('select cardinality(pg_blocking_pids(?)) as blockers', [secondPid]);
      secondWaited = Number(rows[0].blockers) > 0;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  release();
  await Promise.all([firstDone, secondDone]);
  return { secondWaited };
}

/**
 * A target row's links in order: each event title with its places (an event's draft and
 * published rows linking one target row share a place). The topic's draft or published row.
 */
async function placesAt(table: string, targetColumn: string, targetTable: string, targetDocumentId: string, targetRow: 'draft' | 'published') {
  const knex = app.strapi.db.connection as Knex;
  const rows = (await knex(`${table} as l`)
    .join('events as e', 'e.id', 'l.event_id')
    .join(`${targetTable} as t`, 't.id', `l.${targetColumn}`)
    .where('t.document_id', targetDocumentId)
    .where('t.published_at', targetRow === 'draft' ? 'is' : 'is not', null)
    .select('e.title', 'l.event_ord as place')
    .orderBy([{ column: 'l.event_ord' }, { column: 'e.title' }])) as Array<{ title: string; place: number }>;
  const byTitle = new Map<string, Set<number>>();
  for (const row of rows) byTitle.set(row.title, (byTitle.get(row.title) ?? new Set()).add(Number(row.place)));
  return [...byTitle].map(([title, places]) => `${title}: ${[...places].join(',')}`);
}

describePostgres(
  onPostgres ? 'two writers side by side linking one venue and topic' : 'two writers side by side (skipped: PostgreSQL only, run by TEST_DB=postgres)',
  () => {
    it('two draft events: the one that commits second goes after the first, in the venue and the topic', async () => {
      await write('Før', false);
      const { secondWaited } = await sideBySide({ title: 'Venter', publish: false }, { title: 'Smutter forbi', publish: false });
      expect(secondWaited).toBe(false);
      // A venue has no drafts (its one row is published); the topic's draft row lists draft events.
      expect(await placesAt('events_venue_lnk', 'venue_id', 'venues', venue, 'published')).toEqual(['Før: 1', 'Smutter forbi: 2', 'Venter: 3']);
      expect(await placesAt('events_topics_lnk', 'topic_id', 'topics', topic, 'draft')).toEqual(['Før: 1', 'Smutter forbi: 2', 'Venter: 3']);
    });

    it('a published event (holding the change log to its commit) does not hold up a draft beside it, and goes after it', async () => {
      const { secondWaited } = await sideBySide({ title: 'Offentlig', publish: true }, { title: 'Kladde', publish: false });
      expect(secondWaited).toBe(false);
      // The published event's draft and published rows share their place in the venue's list.
      const all = ['Før: 1', 'Smutter forbi: 2', 'Venter: 3', 'Kladde: 4', 'Offentlig: 5'];
      expect(await placesAt('events_venue_lnk', 'venue_id', 'venues', venue, 'published')).toEqual(all);
      // The topic's draft row lists every event's draft row; its published row the published event.
      expect(await placesAt('events_topics_lnk', 'topic_id', 'topics', topic, 'draft')).toEqual(all);
      expect(await placesAt('events_topics_lnk', 'topic_id', 'topics', topic, 'published')).toEqual(['Offentlig: 1']);
    });
  },
);
