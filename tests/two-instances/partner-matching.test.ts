/**
 * Matching under concurrency (issue 13, item 4): two `strapi start` instances on one PostgreSQL,
 * two partners pushing six events at a time, alternating instances, where the six in flight name
 * the same new people, organisations and venue. Every push must be acknowledged (2xx) and each
 * real person, organisation and venue must exist exactly once, whichever push made it.
 * Also: the same event pushed six times at once (both instances) is one event, all answered 2xx.
 * (SQLite serves one instance only, so this runs with TEST_DB=postgres; the in-process variant
 * is tests/partner-events/concurrency.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startApp } from '../helpers/app';
import { TEST_DB_KIND, type TestDatabase } from '../helpers/database';
import { startAppProcess, type AppProcess } from '../helpers/app-process';
import { createPartner, type TestPartner } from '../helpers/partners';
import { tail } from '../helpers/server-process';
import { inPool } from '../helpers/pool';

const onPostgres = TEST_DB_KIND === 'postgres';
const postgresOnly = onPostgres ? it : it.skip;
const name = (title: string) => (onPostgres ? title : `${title} (PostgreSQL only: SQLite serves one instance)`);

const PUSHES = 60;
const CONCURRENCY = 6;
const REQUEST_TIMEOUT_MS = 60_000;
const run = randomBytes(3).toString('hex');

let db: TestDatabase | undefined;
let sql: Client | undefined;
let partners: TestPartner[] = [];
const processes: AppProcess[] = [];

beforeAll(async () => {
  if (!onPostgres) return;
  const app = await startApp();
  db = app.db;
  try {
    partners = [
      await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' }),
      await createPartner(app, { name: 'Dansk Erhverv', key: 'dansk-erhverv', publishMode: 'publish' }),
    ];
  } finally {
    await app.stop({ keepDatabase: true });
  }
  sql = new Client({ connectionString: db.env.DATABASE_URL });
  await sql.connect();
  const env = {
    ...db.env,
    PUBLIC_DIR: db.publicDir,
    REDIS_URL: 'redis://127.0.0.1:6379/0',
    RATE_LIMIT_REDIS_PREFIX: `hub:test:partner-matching:${process.pid}:${run}`,
    RATE_LIMIT: 'off',
  };
  const started = await Promise.allSettled([startAppProcess(env), startAppProcess(env)]);
  for (const result of started) if (result.status === 'fulfilled') processes.push(result.value);
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}, 240_000);

afterAll(async () => {
  await Promise.all(processes.map((instance) => instance.stop(15_000)));
  await sql?.end().catch(() => undefined);
  await db?.drop();
}, 60_000);

interface Answer {
  status: number;
  body: string;
}

async function put(base: string, partner: TestPartner, externalId: string, body: unknown): Promise<Answer> {
  try {
    const response = await fetch(`${base}/api/partner/events/${externalId}`, {
      method: 'PUT',
      headers: { authorization: partner.auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: String(error) };
  }
}

/**
 * Push `index` belongs to wave `index / 6`: the six of a wave name the wave's new venue, its two
 * new organisations and its two new people, spelled as partners do (case, spacing), one partner
 * with its own ids for them and one without.
 */
function eventOf(index: number) {
  const wave = Math.floor(index / CONCURRENCY);
  const byFirst = index % 2 === 0;
  const spell = (text: string) => (index % 3 === 0 ? text.toUpperCase() : index % 3 === 1 ? text.replace(' ', '  ') : text);
  const own = (id: string) => (byFirst ? { id: `${id}-${wave}` } : {});
  return {
    partner: partners[byFirst ? 0 : 1]!,
    externalId: `c-${run}-${index}`,
    body: {
      startsAt: `2025-06-1${wave % 4}T1${index % 6}:00`,
      timeZone: 'Europe/Copenhagen',
      kind: 'debate',
      venue: { ...own('venue'), name: spell(`Telt ${wave} Kæmpestranden`), nameEn: `Tent ${wave}`, city: 'Allinge' },
      organisers: [{ ...own('org'), name: spell(`Samling ${wave} Øst`) }],
      participants: [
        { ...own('p1'), name: spell(`Mette Harbo ${wave}`), organisation: spell(`Samling ${wave} Øst`), title: 'Direktør', part: 'moderator' },
        { ...own('p2'), name: spell(`Søren Lund ${wave}`), organisation: spell(`Kommune ${wave} Vest`), title: 'Chef', part: 'panelist' },
      ],
      da: { title: `Debat ${index}` },
      en: { title: `Debate ${index}` },
    },
  };
}

const WAVES = PUSHES / CONCURRENCY;

/** documentIds per normalised name (draft rows, Danish locale) among the names the test made. */
async function documentsByName(table: string, pattern: string): Promise<Map<string, Set<string>>> {
  // Venues have no drafts: their one row per locale is the published one.
  const drafts = table === 'venues' ? '' : 'AND published_at IS NULL';
  const { rows } = await sql!.query(
    `SELECT name, document_id FROM ${table} WHERE locale = 'da' ${drafts} AND name ILIKE $1`,
    [pattern],
  );
  const byName = new Map<string, Set<string>>();
  for (const row of rows) {
    const key = String(row.name).toLowerCase().replace(/\s+/g, ' ').trim();
    byName.set(key, (byName.get(key) ?? new Set()).add(row.document_id));
  }
  return byName;
}

describe('concurrent partner pushes on two instances naming the same new people, organisations and venues', () => {
  postgresOnly(
    name(`${PUSHES} pushes, ${CONCURRENCY} at a time, alternating instances and partners: every one acknowledged, each real one once`),
    async () => {
      const answers = await inPool(
        Array.from({ length: PUSHES }, (_, index) => index),
        CONCURRENCY,
        async (index) => {
          const { partner, externalId, body } = eventOf(index);
          const answer = await put(processes[index % 2]!.baseUrl, partner, externalId, body);
          return { index, ...answer };
        },
      );
      // Locks should leave nothing to retry; a retry is allowed (an editor may write beside), but reported.
      const retries = processes.map((instance) => (instance.output().match(/running it again/g) ?? []).length);
      console.log(`${PUSHES} pushes: pushes run again after a conflict, per instance: ${retries.join(', ')}`);
      const refused = answers.filter((answer) => answer.status < 200 || answer.status >= 300);
      if (refused.length > 0) {
        console.log(`${refused.length} of ${PUSHES} pushes refused:\n${refused.map((a) => `#${a.index} ${a.status} ${a.body.slice(0, 300)}`).join('\n')}`);
      }
      expect(refused.map((answer) => `#${answer.index} ${answer.status} ${answer.body.slice(0, 200)}`)).toEqual([]);

      const people = await documentsByName('people', '% Harbo %');
      const otherPeople = await documentsByName('people', 'S_ren%Lund %');
      const organisations = await documentsByName('organisations', 'Samling % Øst');
      const councils = await documentsByName('organisations', 'Kommune % Vest');
      const venues = await documentsByName('venues', 'Telt % Kæmpestranden');
      for (const [what, byName] of Object.entries({ people, otherPeople, organisations, councils, venues })) {
        const duplicated = [...byName].filter(([, ids]) => ids.size !== 1).map(([key, ids]) => `${key}: ${ids.size}`);
        expect({ what, names: byName.size, duplicated }).toEqual({ what, names: WAVES, duplicated: [] });
      }

      const { rows } = await sql!.query(`SELECT count(DISTINCT document_id) AS n FROM events WHERE external_id LIKE $1`, [`c-${run}-%`]);
      expect(Number(rows[0].n)).toBe(PUSHES);
      // Each published event names both of its wave's people (relations kept on publish).
      const { rows: linked } = await sql!.query(
        `SELECT e.external_id, count(DISTINCT p.document_id) AS people
           FROM events e
           JOIN events_cmps ec ON ec.entity_id = e.id AND ec.field = 'participants'
           JOIN components_events_participants_person_lnk pl ON pl.participant_id = ec.cmp_id
           JOIN people p ON p.id = pl.person_id
          WHERE e.external_id LIKE $1 AND e.locale = 'da' AND e.published_at IS NOT NULL
          GROUP BY e.external_id`,
        [`c-${run}-%`],
      );
      expect(linked).toHaveLength(PUSHES);
      expect(linked.filter((row) => Number(row.people) !== 2)).toEqual([]);
    },
    300_000,
  );

  postgresOnly(name('the same new event pushed six times at once on both instances is one event, every push 2xx'), async () => {
    const { partner, body } = eventOf(PUSHES);
    const externalId = `same-${run}`;
    const answers = await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, index) => put(processes[index % 2]!.baseUrl, partner, externalId, body)),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    const documentIds = new Set(answers.map((answer) => JSON.parse(answer.body).data.documentId));
    expect(documentIds.size).toBe(1);
    const { rows } = await sql!.query('SELECT count(DISTINCT document_id) AS n FROM events WHERE external_id = $1', [externalId]);
    expect(Number(rows[0].n)).toBe(1);
  }, 120_000);

  afterAll(() => {
    // On a failure the instances' logs say why.
    for (const instance of processes) if (/error/i.test(instance.output())) console.log(tail(instance.output(), 3000));
  });
});
