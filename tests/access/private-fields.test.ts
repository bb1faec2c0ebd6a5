import { startApp, type TestApp } from '../helpers/app';
import { PRIVATE_VALUES } from './shared';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ seed: true });
  const { strapi } = app;

  // Private values on published documents (set on the draft, then published again).
  const mette = await strapi.documents('api::person.person').findFirst({ locale: 'da', filters: { slug: 'mette-harbo' } });
  await strapi.documents('api::person.person').update({
    documentId: mette!.documentId,
    locale: 'da',
    data: { email: PRIVATE_VALUES.email },
  });
  const debate = await strapi
    .documents('api::event.event')
    .findFirst({ locale: 'da', filters: { slug: 'spaend-innovation-for-den-offentlige-indkoebsvogn' } });
  await strapi.documents('api::event.event').update({
    documentId: debate!.documentId,
    locale: 'da',
    data: { sourcePartner: PRIVATE_VALUES.sourcePartner, externalId: PRIVATE_VALUES.externalId },
  });
  for (const [uid, documentId] of [
    ['api::person.person', mette!.documentId],
    ['api::event.event', debate!.documentId],
  ] as const) {
    await strapi.documents(uid).publish({ documentId, locale: '*' });
  }
});
afterAll(async () => {
  await app?.stop();
});

const PRIVATE_KEYS = ['email', 'sourcePartner', 'externalId', 'createdBy', 'updatedBy', 'password'];

function expectNothingPrivateIn(body: unknown) {
  const text = JSON.stringify(body);
  for (const value of Object.values(PRIVATE_VALUES)) expect(text).not.toContain(value);
  for (const key of PRIVATE_KEYS) expect(text).not.toContain(`"${key}"`);
}

it('stored the private values (so the checks below look for something that exists)', async () => {
  const mette = await app.strapi
    .documents('api::person.person')
    .findFirst({ locale: 'en', status: 'published', filters: { slug: 'mette-harbo' } });
  expect(mette).toMatchObject({ email: PRIVATE_VALUES.email });
});

describe('private fields never appear over REST', () => {
  it.each([
    ['people list', '/api/people'],
    ['people list in English with populate=*', '/api/people?locale=en&populate=*'],
    ['a quote populated down to the person', '/api/quotes?populate[person][populate]=*'],
    ['events with participants', '/api/events?populate[participants][populate]=person&populate[organisers]=true'],
    ['an article populated deeply', '/api/articles?populate[quotes][populate][person]=true&populate[events]=true'],
  ])('%s', async (_name, path) => {
    const response = await app.http().get(path);
    expect(response.status).toBe(200);
    expect(response.body.data.length).toBeGreaterThan(0);
    expectNothingPrivateIn(response.body);
  });

  it.each([
    ['filter on a private field', '/api/people?filters[email][$eq]=' + encodeURIComponent(PRIVATE_VALUES.email)],
    ['filter on a private field through a relation', '/api/quotes?filters[person][email][$contains]=mette'],
    ['sort on a private field', '/api/events?sort=externalId'],
    ['select a private field', '/api/people?fields[0]=email'],
    ['populate the admin user who created it', '/api/people?populate=createdBy'],
    ['filter on the admin user who created it', '/api/people?filters[createdBy][email][$contains]=a'],
  ])('refuses to %s with a 400 that names the field', async (_name, path) => {
    const response = await app.http().get(path);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
    expect(response.body.error.message).toMatch(/Invalid key (email|externalId|createdBy)/);
  });
});

describe('private fields never appear over GraphQL', () => {
  it('leaves private fields and admin users out of the schema', async () => {
    const { body } = await app.graphql(/* GraphQL */ `
      {
        person: __type(name: "Person") { fields { name } }
        event: __type(name: "Event") { fields { name } }
      }
    `);
    const personFields = body.data.person.fields.map((field: { name: string }) => field.name);
    const eventFields = body.data.event.fields.map((field: { name: string }) => field.name);
    expect(personFields).toEqual(expect.arrayContaining(['name', 'slug', 'affiliations', 'quotes']));
    expect(personFields).not.toEqual(expect.arrayContaining(['email']));
    for (const name of ['email', 'createdBy', 'updatedBy']) expect(personFields).not.toContain(name);
    for (const name of ['sourcePartner', 'externalId', 'createdBy']) expect(eventFields).not.toContain(name);
  });

  it('answers a query for a private field with a validation error, not data', async () => {
    const { status, body } = await app.graphql('{ people { name email } }');
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]!.message).toMatch(/Cannot query field "email"/);
  });

  it('refuses to filter on a private field', async () => {
    const { body } = await app.graphql(`{ people(filters: { email: { eq: "${PRIVATE_VALUES.email}" } }) { name } }`);
    expect(body.errors?.[0]!.message).toMatch(/email/);
    expect(body.data).toBeUndefined();
  });

  it('serves people with their quotes and nothing private', async () => {
    const { body } = await app.graphql('{ people(locale: "en") { name bio quotes { text } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.people).toHaveLength(4);
    expectNothingPrivateIn(body);
  });
});
