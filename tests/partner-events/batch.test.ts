/**
 * POST /api/partner/events/batch: up to 500 events, each atomic on its own; bad items are
 * reported with pointers into the body and write nothing, good ones land.
 */
import { startApp, type TestApp } from '../helpers/app';
import { createPartner, type TestPartner } from '../helpers/partners';
import { countStatements } from '../helpers/sql-statements';

let app: TestApp;
let partner: TestPartner;
beforeAll(async () => {
  app = await startApp();
  partner = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
});
afterAll(async () => {
  await app?.stop();
});

const batch = (events: unknown) => app.http().post('/api/partner/events/batch').set('Authorization', partner.auth).send({ events });

/** Event n of a festival day: one shared moderator, a venue per tent. */
const programmeItem = (n: number) => ({
  externalId: `fm24-${n}`,
  startsAt: `2024-06-13T${String(10 + (n % 8)).padStart(2, '0')}:00`,
  venue: { id: `tent-${n % 5}`, name: `Telt ${n % 5}` },
  participants: [{ id: 'mod-1', name: 'Lene Holm', organisation: 'Folkemødet', title: 'Vært', part: 'moderator' }],
  da: { title: `Debat nummer ${n}` },
  en: { title: `Debate number ${n}` },
});

const BAD = new Map<number, [Record<string, unknown>, string]>([
  [7, [{ startsAt: 'soon' }, '/events/7/startsAt']],
  [123, [{ da: { title: '' } }, '/events/123/da/title']],
  [250, [{ participants: [{ name: 'X', part: 'host' }] }, '/events/250/participants/0/part']],
  [499, [{ externalId: 'has space' }, '/events/499/externalId']],
]);

it('lands the good items of 500, reports each bad one with a pointer, and writes nothing for them', async () => {
  const events = Array.from({ length: 500 }, (_, n) => {
    const bad = BAD.get(n);
    return bad ? { ...programmeItem(n), ...bad[0] } : programmeItem(n);
  });
  const response = await batch(events);
  expect(response.status).toBe(200);
  expect(response.body.meta).toEqual({ created: 496, updated: 0, unchanged: 0, failed: 4 });
  expect(response.body.data).toHaveLength(500);
  expect(response.body.data.map((item: { index: number }) => item.index)).toEqual([...Array(500).keys()]);

  for (const [index, [, pointer]] of BAD) {
    const item = response.body.data[index];
    expect(item).toMatchObject({ index, status: 400, result: 'invalid' });
    expect(item.errors.map((error: { pointer: string }) => error.pointer)).toEqual([pointer]);
  }
  expect(response.body.data[0]).toMatchObject({ externalId: 'fm24-0', status: 201, result: 'created', version: 1 });

  // Exactly the good ones exist, published in both locales; the bad ones left no trace.
  const mapped = await app.strapi.db.connection('partner_events').count({ n: '*' }).first();
  expect(Number(mapped?.n)).toBe(496);
  const published = await app.strapi.db.query('api::event.event').count({ where: { publishedAt: { $notNull: true } } });
  expect(published).toBe(496 * 2);
  const drafts = await app.strapi.db.query('api::event.event').count({ where: { publishedAt: null } });
  expect(drafts).toBe(496 * 2);

  // One moderator and five venues, however many events name them.
  expect(await app.strapi.db.query('api::person.person').count({ where: { locale: 'da', publishedAt: null } })).toBe(1);
  expect(await app.strapi.db.query('api::venue.venue').count({ where: { locale: 'da' } })).toBe(5);
  // 500 pushes through the whole write path: minutes when the machine is busy (two workers).
}, 600000);

it('re-pushed unchanged, reports every item unchanged, from a few reads for the whole batch and no write', async () => {
  const events = Array.from({ length: 500 }, (_, n) => programmeItem(n)).filter((_, n) => !BAD.has(n));
  let response: Awaited<ReturnType<typeof batch>> | undefined;
  const statements = await countStatements(app.strapi, async () => {
    response = await batch(events);
  });
  expect(response!.body.meta).toEqual({ created: 0, updated: 0, unchanged: 496, failed: 0 });
  expect(response!.body.data[0]).toMatchObject({ index: 0, externalId: 'fm24-0', status: 200, result: 'unchanged', version: 1 });
  // Token check, mapping and event reads: not one transaction per item (that was 5 statements each).
  expect(statements).toBeLessThan(20);
});

it('an item twice in one batch, changed the second time, is pushed in order', async () => {
  const response = await batch([programmeItem(1), { ...programmeItem(1), da: { title: 'Debat nummer 1, ændret' } }]);
  expect(response.body.data.map((item: { result: string }) => item.result)).toEqual(['unchanged', 'updated']);
  const stored = await app.strapi.db.query('api::event.event').findOne({ where: { externalId: 'fm24-1', locale: 'da', publishedAt: { $notNull: true } } });
  expect(stored.title).toBe('Debat nummer 1, ændret');
});

it('keeps going after an item that fails on a reference', async () => {
  const response = await batch([
    { ...programmeItem(1000), festival: 'not-pushed' },
    { ...programmeItem(1001) },
    { ...programmeItem(1), da: { title: 'Ny titel' } },
  ]);
  expect(response.body.data.map((item: { status: number; result: string }) => [item.status, item.result])).toEqual([
    [400, 'invalid'],
    [201, 'created'],
    [200, 'updated'],
  ]);
  expect(response.body.data[0].errors[0].pointer).toBe('/events/0/festival');
  const none = await app.strapi.db.connection('partner_events').where({ external_id: 'fm24-1000' });
  expect(none).toEqual([]);
});

it.each([
  ['no events', {}],
  ['an empty list', { events: [] }],
  ['more than 500', { events: Array.from({ length: 501 }, (_, n) => programmeItem(n)) }],
  ['not a list', { events: 'all of them' }],
])('refuses %s with a 400 and writes nothing', async (_name, body) => {
  const before = await app.strapi.db.connection('partner_events').count({ n: '*' }).first();
  const response = await app.http().post('/api/partner/events/batch').set('Authorization', partner.auth).send(body);
  expect(response.status).toBe(400);
  expect(response.body.error.details.errors[0].pointer).toBe('/events');
  const after = await app.strapi.db.connection('partner_events').count({ n: '*' }).first();
  expect(after).toEqual(before);
});
