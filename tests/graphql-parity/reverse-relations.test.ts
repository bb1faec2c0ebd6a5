/**
 * `Person.events` and `Organisation.people` are GraphQL fields with what the REST default shapes
 * carry (same items, same order, both locales), batched: a page of 5, 25 or 100 owners costs the
 * same number of SQL statements.
 * A differing count prints each run's statements (tests/helpers/sql-statements.ts).
 */
import { startApp, type TestApp } from '../helpers/app';
import { statementCountsPerRun } from '../helpers/sql-statements';
import { getJson, queryGraphql } from '../front-end/shared';
import { someFields } from '../helpers/documents';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ seed: true });
  // 100 more organisations, each with one person, and 20 events with 5 of those people each.
  const { strapi } = app;
  const organisations = strapi.documents('api::organisation.organisation');
  const people = strapi.documents('api::person.person');
  const events = strapi.documents('api::event.event');
  const personIds: string[] = [];
  for (let i = 0; i < 100; i++) {
    const organisation = await organisations.create({ locale: 'da', data: someFields('api::organisation.organisation', { name: `Organisation ${String(i).padStart(3, '0')}` }) });
    await organisations.publish({ documentId: organisation.documentId, locale: 'da' });
    const person = await people.create({
      locale: 'da',
      data: someFields('api::person.person', { name: `Person ${String(i).padStart(3, '0')}`, affiliations: [{ title: 'Konsulent', organisation: organisation.documentId }] }),
    });
    await people.publish({ documentId: person.documentId, locale: 'da' });
    personIds.push(person.documentId);
  }
  for (let i = 0; i < 20; i++) {
    const event = await events.create({
      locale: 'da',
      data: someFields('api::event.event', {
        title: `Debat ${i}`,
        startsAt: new Date(Date.UTC(2024, 5, 13, 8 + (i % 10), 0) + (i >= 10 ? 86400000 : 0)).toISOString(),
        participants: personIds.slice(i * 5, i * 5 + 5).map((person) => ({ person, part: 'panelist' })),
      }),
    });
    await events.publish({ documentId: event.documentId, locale: 'da' });
  }
  await app.quiet();
});
afterAll(async () => {
  await app?.stop();
});

const ids = (items: Array<{ documentId: string }>) => items.map((item) => item.documentId);

describe.each(['da', 'en'])('in %s', (locale) => {
  it('Person.events: the events of the REST default shape, soonest first', async () => {
    const rest = await getJson(app, `/api/people?locale=${locale}&sort=name:asc&pagination[pageSize]=100`);
    const data = await queryGraphql(
      app,
      `{ people(locale: "${locale}", sort: "name:asc", pagination: { limit: 100 }) { documentId events { documentId locale fallback } } }`
    );
    expect(data.people.map((person: { documentId: unknown; events: Array<{ documentId: string }> }) => [person.documentId, ids(person.events)])).toEqual(
      rest.data.map((person: { documentId: unknown; events: Array<{ documentId: string }> }) => [person.documentId, ids(person.events)])
    );
    const events = data.people.flatMap((person: { events: Array<{ documentId: string }> }) => person.events);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event: { locale: unknown; fallback: unknown }) => event.locale === locale && event.fallback === false)).toBe(true);
  });

  it('Organisation.people: the people of the REST default shape, by name', async () => {
    const rest = await getJson(app, `/api/organisations?locale=${locale}&sort=name:asc&pagination[pageSize]=100`);
    const data = await queryGraphql(
      app,
      `{ organisations(locale: "${locale}", sort: "name:asc", pagination: { limit: 100 }) { documentId people { documentId locale } } }`
    );
    expect(data.organisations.map((organisation: { documentId: unknown; people: Array<{ documentId: string }> }) => [organisation.documentId, ids(organisation.people)])).toEqual(
      rest.data.map((organisation: { documentId: unknown; people: Array<{ documentId: string }> }) => [organisation.documentId, ids(organisation.people)])
    );
    expect(data.organisations.flatMap((organisation: { people: Array<{ documentId: string }> }) => organisation.people).length).toBeGreaterThan(0);
  });
});

it('a person seen through an event has the same events as read directly (nested use)', async () => {
  const data = await queryGraphql(app, '{ events(filters: { title: { eq: "Debat 3" } }) { participants { person { name events { title } } } } }');
  const [event] = data.events;
  expect(event.participants).toHaveLength(5);
  expect(event.participants.every((participant: { person: { events: Array<{ title: unknown }> } }) => participant.person.events.some((item: { title: unknown }) => item.title === 'Debat 3'))).toBe(true);
});

const PAGE_SIZES = [5, 25, 100];

async function statementsPerPage(query: string, list: string): Promise<number[]> {
  const { counts } = await statementCountsPerRun(
    app.strapi,
    PAGE_SIZES.map((size) => async () => {
      const data = await queryGraphql(app, query, { n: size });
      expect(data[list]).toHaveLength(size);
    }),
  );
  return counts;
}

it('Person.events costs the same statements for 5, 25 and 100 people', async () => {
  const counts = await statementsPerPage(
    'query ($n: Int) { people(pagination: { limit: $n }, sort: "name:desc") { name events { title venue { name } participants { part } } } }',
    'people'
  );
  expect(new Set(counts).size).toBe(1);
  expect(counts[0]).toBeLessThan(20);
});

it('Organisation.people costs the same statements for 5, 25 and 100 organisations', async () => {
  const counts = await statementsPerPage(
    'query ($n: Int) { organisations(pagination: { limit: $n }, sort: "name:desc") { name people { name affiliations { title } } } }',
    'organisations'
  );
  expect(new Set(counts).size).toBe(1);
  expect(counts[0]).toBeLessThan(20);
});
