/**
 * Matching under concurrency, in one process (issue 13, item 4): pushes running at the same time
 * (Promise.all) that name the same new person, organisation and venue all succeed and end with
 * one of each. On SQLite writers take turns; on PostgreSQL the pool runs them side by side.
 * The two-instance variant is tests/two-instances/partner-matching.test.ts.
 */
import { startApp, type TestApp } from '../helpers/app';
import { createPartner, type TestPartner } from '../helpers/partners';
import { errors } from '@strapi/utils';
import { isConcurrentWriteConflict, retryOnConcurrentConflict } from '../../src/api/partner/sync/creation-locks';

let app: TestApp;
let partners: TestPartner[];

beforeAll(async () => {
  app = await startApp();
  partners = [
    await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' }),
    await createPartner(app, { name: 'Dansk Erhverv', key: 'dansk-erhverv', publishMode: 'draft' }),
  ];
});
afterAll(async () => {
  await app?.stop();
});

const ROUNDS = 3;
const AT_ONCE = 6;

const event = (round: number, index: number) => ({
  startsAt: `2025-06-12T1${index}:00`,
  timeZone: 'Europe/Copenhagen',
  venue: { ...(index % 2 === 0 ? { id: `tent-${round}` } : {}), name: index % 3 ? `Telt ${round} Nord` : `TELT ${round}  NORD`, city: 'Allinge' },
  organisers: [{ name: `Forum ${round} Syd` }],
  participants: [
    { name: index % 2 ? `Ida Holm ${round}` : `ida  holm ${round}`, organisation: `Forum ${round} Syd`, title: 'Leder', part: 'moderator' },
    { name: `Bo Dahl ${round}`, organisation: `Region ${round} Øst`, title: 'Chef', part: 'panelist' },
  ],
  da: { title: `Samtale ${round}-${index}` },
  en: { title: `Talk ${round}-${index}` },
});

/** documentIds of the draft rows (Danish) per lower-cased, single-spaced name. */
async function byName(uid: 'api::person.person' | 'api::organisation.organisation' | 'api::venue.venue', contains: string) {
  const rows = (await app.strapi.db.query(uid).findMany({
    select: ['documentId', 'name'],
    where: { locale: 'da', name: { $containsi: contains }, ...(uid === 'api::venue.venue' ? {} : { publishedAt: null }) },
  })) as Array<{ documentId: string; name: string }>;
  const names = new Map<string, Set<string>>();
  for (const row of rows) {
    const key = row.name.toLowerCase().replace(/\s+/g, ' ');
    names.set(key, (names.get(key) ?? new Set()).add(row.documentId));
  }
  return [...names].map(([key, ids]) => `${key}: ${ids.size}`).sort();
}

it(`${ROUNDS} rounds of ${AT_ONCE} pushes at once (two partners) sharing a new person, organisation and venue: all 2xx, each once`, async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const answers = await Promise.all(
      Array.from({ length: AT_ONCE }, (_, index) =>
        app
          .http()
          .put(`/api/partner/events/r${round}-${index}`)
          .set('Authorization', partners[index % 2]!.auth)
          .send(event(round, index)),
      ),
    );
    expect(answers.map((answer) => (answer.status === 201 ? 201 : `${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`))).toEqual(
      Array(AT_ONCE).fill(201),
    );
  }
  const rounds = Array.from({ length: ROUNDS }, (_, round) => round);
  expect(await byName('api::person.person', 'holm')).toEqual(rounds.map((round) => `ida holm ${round}: 1`));
  expect(await byName('api::person.person', 'dahl')).toEqual(rounds.map((round) => `bo dahl ${round}: 1`));
  expect(await byName('api::organisation.organisation', 'forum')).toEqual(rounds.map((round) => `forum ${round} syd: 1`));
  expect(await byName('api::organisation.organisation', 'region')).toEqual(rounds.map((round) => `region ${round} øst: 1`));
  expect(await byName('api::venue.venue', 'telt')).toEqual(rounds.map((round) => `telt ${round} nord: 1`));
});

it('the same new event pushed six times at once by one partner is one event, every push 2xx', async () => {
  const answers = await Promise.all(
    Array.from({ length: AT_ONCE }, () => app.http().put('/api/partner/events/same-1').set('Authorization', partners[0]!.auth).send(event(9, 1))),
  );
  expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
  expect(new Set(answers.map((answer) => answer.body.data.documentId)).size).toBe(1);
  expect(answers.filter((answer) => answer.status === 200).every((answer) => answer.body.data.result === 'unchanged')).toBe(true);
});

describe('a push that meets another writer anyway is run again, anything else is not', () => {
  const takenSlug = new errors.ValidationError('This attribute must be unique', {
    errors: [{ path: ['slug'], message: 'This attribute must be unique', name: 'ValidationError', value: 'x' }],
  });
  const badField = new errors.ValidationError('title must be at most 200 characters', {
    errors: [{ path: ['title'], message: 'must be at most 200 characters', name: 'ValidationError', value: 'x' }],
  });

  it('knows a taken slug, a unique violation and a deadlock from a partner mistake', () => {
    expect(isConcurrentWriteConflict(takenSlug)).toBe(true);
    expect(isConcurrentWriteConflict(Object.assign(new Error('duplicate key value violates unique constraint "x"'), { code: '23505' }))).toBe(true);
    expect(isConcurrentWriteConflict(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(true);
    expect(isConcurrentWriteConflict(badField)).toBe(false);
    expect(isConcurrentWriteConflict(new Error('connect ECONNREFUSED'))).toBe(false);
  });

  it('runs the write again after a conflict, and gives up after a few', async () => {
    let calls = 0;
    await expect(retryOnConcurrentConflict(async () => (++calls < 3 ? Promise.reject(takenSlug) : 'done'))).resolves.toBe('done');
    expect(calls).toBe(3);
    calls = 0;
    await expect(retryOnConcurrentConflict(async () => { calls++; throw takenSlug; })).rejects.toBe(takenSlug);
    expect(calls).toBe(4);
    calls = 0;
    await expect(retryOnConcurrentConflict(async () => { calls++; throw badField; })).rejects.toBe(badField);
    expect(calls).toBe(1);
  });
});
