/**
 * The people, organisations and venues a push creates are written in one pass
 * (src/api/partner/sync/document-writer.ts) instead of Document Service create + update (en) +
 * publish. They must leave exactly the rows the Document Service leaves: every column (slugs and
 * a person's derived display fields included), the affiliation component and its link to the
 * right locale and draft/published row of the organisation, and the same change-log rows. Each is
 * compared with the same record made the old way, row by row, in publish and in draft mode.
 */
import type { Knex } from 'knex';
import { appModule, startApp, type TestApp } from '../helpers/app';
import { createPartner, type TestPartner } from '../helpers/partners';
import { looseDocuments } from '../helpers/documents';
import type * as DocumentWriter from '../../src/api/partner/sync/document-writer';

const PERSON = 'api::person.person';
const ORGANISATION = 'api::organisation.organisation';
const VENUE = 'api::venue.venue';

let app: TestApp;
let publisher: TestPartner;
let drafter: TestPartner;
let editorsOrganisation: string;

beforeAll(async () => {
  app = await startApp();
  publisher = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
  drafter = await createPartner(app, { name: 'Erhvervshus', key: 'erhvervshus', publishMode: 'draft' });
  // An editor's organisation, Danish draft only: a published person cannot link it, an English one neither.
  const organisation = await looseDocuments(app.strapi, ORGANISATION).create({ locale: 'da', data: { name: 'Region Hovedstaden', kind: 'region' } });
  editorsOrganisation = organisation.documentId;
});
afterAll(async () => {
  await app?.stop();
});

const put = (partner: TestPartner, externalId: string, body: unknown) =>
  app.http().put(`/api/partner/events/${externalId}`).set('Authorization', partner.auth).send(body as object);

const db = () => app.strapi.db.connection as Knex;
const VOLATILE = new Set(['id', 'document_id', 'created_at', 'updated_at', 'published_at']);
const columns = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([key]) => !VOLATILE.has(key)));

/** A row another row links to, by what it is (not its id, which differs between the two ways). */
async function refOf(table: string, id: number | undefined): Promise<string | null> {
  if (id === undefined) return null;
  const row = await db()(table).where({ id }).first();
  return row ? `${row.name}/${row.locale}/${row.published_at ? 'published' : 'draft'}` : `missing ${table} ${id}`;
}

/** Every row of a record with its affiliations, keyed by locale and state. */
async function snapshot(table: string, documentId: string) {
  const rows = await db()(table).where({ document_id: documentId }).orderBy(['locale', 'published_at']);
  const result: Record<string, unknown> = {};
  for (const row of rows) {
    const affiliations = [];
    if (table === 'people') {
      for (const link of await db()('people_cmps').where({ entity_id: row.id }).orderBy('order')) {
        const component = await db()('components_people_affiliations').where({ id: link.cmp_id }).first();
        const organisation = await db()('components_people_affiliations_organisation_lnk').where({ affiliation_id: link.cmp_id }).first();
        affiliations.push({ field: link.field, type: link.component_type, order: link.order, ...columns(component), organisation: await refOf('organisations', organisation?.organisation_id) });
      }
    }
    result[`${row.locale}/${row.published_at ? 'published' : 'draft'}`] = { columns: columns(row), timestampsSet: Boolean(row.created_at && row.updated_at), affiliations };
  }
  return result;
}

/** The change-log rows of a record, as the feed reads them. */
const changesOf = async (documentId: string) =>
  (await db()('sync_changes').where({ document_id: documentId }).orderBy('id')).map((row: { content_type: string; locale: string; action: string }) => `${row.content_type} ${row.locale} ${row.action}`);

const documentIdOf = async (table: string, name: string) => {
  const rows = await db()(table).where({ name }).distinct('document_id');
  expect(rows).toHaveLength(1);
  return rows[0].document_id as string;
};

/**
 * The record made the way pushes made it before: Document Service create (da), update (en), and
 * publish when publishing, in one transaction; the fast one is deleted first so slugs come out the same.
 */
async function throughDocumentService(uid: string, fastDocumentId: string, da: Record<string, unknown>, en: Record<string, unknown>, publish: boolean) {
  const documents = looseDocuments(app.strapi, uid);
  await documents.delete({ documentId: fastDocumentId, locale: '*' });
  return app.strapi.db.transaction(async () => {
    const created = await documents.create({ locale: 'da', data: da });
    await documents.update({ documentId: created.documentId, locale: 'en', data: en });
    if (publish && uid !== VENUE) await documents.publish({ documentId: created.documentId, locale: '*' });
    return created.documentId;
  });
}

describe.each([
  ['publish mode', () => publisher, true],
  ['draft mode', () => drafter, false],
])('records a push creates, %s, equal the Document Service’s', (mode, partner, publish) => {
  const tag = publish ? 'P' : 'D';
  const names = {
    organisation: `Dansk Erhverv ${tag} (DE${tag})`,
    person: `Mette Harbo ${tag}`,
    unaffiliated: `Jonas Kirk ${tag}`,
    regional: `Sofie Lund ${tag}`,
    venue: `Telt 7 ${tag}`,
  };
  const fast: Record<string, { documentId: string; rows: Record<string, unknown>; changes: string[] }> = {};

  beforeAll(async () => {
    const response = await put(partner(), `records-${tag}`, {
      startsAt: '2024-06-14T10:00',
      kind: 'debate',
      venue: { id: `tent-${tag}`, name: names.venue, nameEn: `Tent 7 ${tag}`, code: `T7${tag}`, city: 'Allinge', latitude: 55.27, longitude: 14.8 },
      organisers: [{ name: names.organisation, website: 'https://www.danskerhverv.dk' }],
      participants: [
        { name: names.person, organisation: names.organisation, title: 'Direktør', part: 'speaker' },
        { name: names.unaffiliated, part: 'moderator' },
        { name: names.regional, organisation: 'Region Hovedstaden', title: 'Indkøbschef', part: 'panelist' },
      ],
      da: { title: `Debat om indkøb ${tag}` },
      en: { title: `A debate on procurement ${tag}` },
    });
    expect(response.status).toBe(201);
    for (const [key, table] of [['organisation', 'organisations'], ['person', 'people'], ['unaffiliated', 'people'], ['regional', 'people'], ['venue', 'venues']] as const) {
      const documentId = await documentIdOf(table, names[key]);
      fast[key] = { documentId, rows: await snapshot(table, documentId), changes: await changesOf(documentId) };
    }
  });

  it(`${mode}: a person with a title at a new organisation`, async () => {
    const organisation = fast.organisation!.documentId;
    const affiliations = [{ title: 'Direktør', organisation, kind: 'employment', current: true }];
    const reference = await throughDocumentService(PERSON, fast.person!.documentId, { name: names.person, affiliations }, { name: names.person, affiliations }, publish);
    expect(fast.person!.rows).toEqual(await snapshot('people', reference));
    expect(Object.keys(fast.person!.rows).sort()).toEqual(publish ? ['da/draft', 'da/published', 'en/draft', 'en/published'] : ['da/draft', 'en/draft']);
    const danish = fast.person!.rows[publish ? 'da/published' : 'da/draft'] as { columns: Record<string, unknown>; affiliations: Array<{ organisation: string }> };
    expect(danish.columns.display_name).toBe(`${names.person} (${names.organisation})`);
    expect(danish.affiliations[0]!.organisation).toBe(`${names.organisation}/da/${publish ? 'published' : 'draft'}`);
    expect(fast.person!.changes).toEqual(await changesOf(reference));
  });

  it(`${mode}: a person without an organisation`, async () => {
    const reference = await throughDocumentService(PERSON, fast.unaffiliated!.documentId, { name: names.unaffiliated, affiliations: [] }, { name: names.unaffiliated, affiliations: [] }, publish);
    expect(fast.unaffiliated!.rows).toEqual(await snapshot('people', reference));
    expect(fast.unaffiliated!.changes).toEqual(await changesOf(reference));
  });

  it(`${mode}: a person at an editor's Danish draft-only organisation (no link where it has no row)`, async () => {
    const affiliation = { title: 'Indkøbschef', organisation: editorsOrganisation, kind: 'employment', current: true };
    const reference = await throughDocumentService(PERSON, fast.regional!.documentId, { name: names.regional, affiliations: [affiliation] }, { name: names.regional, affiliations: [] }, publish);
    expect(fast.regional!.rows).toEqual(await snapshot('people', reference));
    const draft = fast.regional!.rows['da/draft'] as { affiliations: Array<{ organisation: string }> };
    expect(draft.affiliations.map((affiliation) => affiliation.organisation)).toEqual(['Region Hovedstaden/da/draft']);
    if (publish) expect((fast.regional!.rows['da/published'] as { columns: { display_name: string } }).columns.display_name).toBe(names.regional);
  });

  it(`${mode}: a new organisation with its acronym as short name`, async () => {
    const data = { name: names.organisation, kind: 'other', website: 'https://www.danskerhverv.dk', shortName: `DE${tag}` };
    const reference = await throughDocumentService(ORGANISATION, fast.organisation!.documentId, data, data, publish);
    expect(fast.organisation!.rows).toEqual(await snapshot('organisations', reference));
    expect((fast.organisation!.rows['da/draft'] as { columns: Record<string, unknown> }).columns.short_name).toBe(`DE${tag}`);
    expect(fast.organisation!.changes).toEqual(await changesOf(reference));
  });

  it(`${mode}: a new venue (no drafts: public at once, in both locales)`, async () => {
    const shared = { code: `T7${tag}`, address: null, city: 'Allinge', area: null, latitude: 55.27, longitude: 14.8 };
    const reference = await throughDocumentService(VENUE, fast.venue!.documentId, { ...shared, name: names.venue }, { ...shared, name: `Tent 7 ${tag}` }, publish);
    expect(fast.venue!.rows).toEqual(await snapshot('venues', reference));
    expect(fast.venue!.changes).toEqual([`${VENUE} da created`, `${VENUE} en created`]);
    expect(fast.venue!.changes).toEqual(await changesOf(reference));
  });
});

it('a push whose new person is invalid writes nothing: a name over 160 characters is a 400 naming it', async () => {
  const count = async () => (await db()('people').count({ n: '*' }).first())?.n;
  const before = { people: await count(), changes: (await db()('sync_changes').count({ n: '*' }).first())?.n };
  const response = await put(publisher, 'too-long-name', {
    startsAt: '2024-06-14T12:00',
    participants: [{ name: 'x'.repeat(161), part: 'speaker' }],
    da: { title: 'En debat med et for langt navn' },
  });
  expect(response.status).toBe(400);
  expect(JSON.stringify(response.body.error)).toMatch(/name/);
  expect({ people: await count(), changes: (await db()('sync_changes').count({ n: '*' }).first())?.n }).toEqual(before);
});

describe('the one-pass writer validates every locale as Strapi would', () => {
  const write = (locales: Array<{ locale: string; data: Record<string, unknown> }>) =>
    app.strapi.db.transaction(({ trx, onCommit }) =>
      appModule<typeof DocumentWriter>('src/api/partner/sync/document-writer.js').createDocumentRows(app.strapi, trx as Knex.Transaction, onCommit, ORGANISATION, locales, { publish: true }),
    );
  const organisations = async () => (await db()('organisations').count({ n: '*' }).first())?.n;

  it.each([
    ['the English name (a localized field, validated again)', { name: 'Dansk Erhverv' }, { name: 'x'.repeat(201) }],
    ['the Danish name', { name: 'x'.repeat(201) }, { name: 'Danish Chamber of Commerce' }],
    ['an enum in the first locale', { name: 'Dansk Erhverv', kind: 'guild' }, { name: 'Danish Chamber of Commerce', kind: 'guild' }],
  ])('refuses a bad value in %s and writes nothing', async (_label, da, en) => {
    const before = await organisations();
    await expect(write([{ locale: 'da', data: { kind: 'other', ...da } }, { locale: 'en', data: { kind: 'other', ...en } }])).rejects.toMatchObject({ name: 'ValidationError' });
    expect(await organisations()).toBe(before);
  });

  it('writes a good one, with what its English locale says', async () => {
    const documentId = await write([{ locale: 'da', data: { name: 'Dansk Industri', kind: 'association' } }, { locale: 'en', data: { name: 'Confederation of Danish Industry', kind: 'association' } }]);
    const rows = await db()('organisations').where({ document_id: documentId }).orderBy(['locale', 'published_at']);
    expect(rows.map((row: { locale: string; name: string; slug: string }) => `${row.locale} ${row.name} ${row.slug}`)).toEqual([
      'da Dansk Industri dansk-industri',
      'da Dansk Industri dansk-industri',
      'en Confederation of Danish Industry confederation-of-danish-industry',
      'en Confederation of Danish Industry confederation-of-danish-industry',
    ]);
  });
});
