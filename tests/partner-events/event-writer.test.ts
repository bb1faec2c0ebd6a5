/**
 * A partner's new event is written in one pass (src/api/partner/sync/event-writer.ts) instead of
 * Document Service create + update + publish. It must leave exactly the rows the Document
 * Service leaves: every column, every relation (to the right locale and draft/published row of
 * its target), the participants' components in order. Here the same event is made both ways, in
 * publish and draft mode, and the two are compared row by row; then the fast-written event is
 * updated and published through the Document Service, as later pushes and editors do.
 */
import type { Knex } from 'knex';
import { startApp, type TestApp } from '../helpers/app';
import { createPartner, type TestPartner } from '../helpers/partners';
import { countStatements } from '../helpers/sql-statements';
import { linksAcrossStatus, someFields } from '../helpers/documents';

const EVENT = 'api::event.event' as const;

let app: TestApp;
let publisher: TestPartner;
let drafter: TestPartner;

beforeAll(async () => {
  app = await startApp({ seed: true });
  publisher = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
  drafter = await createPartner(app, { name: 'Erhvervshus', key: 'erhvervshus', publishMode: 'draft' });
});
afterAll(async () => {
  await app?.stop();
});

const festival = {
  startsAt: '2024-06-13T09:00',
  endsAt: '2024-06-15T18:00',
  kind: 'festival',
  venue: { id: 'allinge', name: 'Allinge havn' },
  organisers: [{ name: 'Folkemødet' }],
  participants: [],
  da: { title: 'Folkemødet 2024' },
  en: { title: 'People’s Meeting 2024' },
};

// Each case at its own hour: the same time, venue and a similar title would match an earlier one.
const debate = (title: string, english = true, hour = 14) => ({
  startsAt: `2024-06-14T${hour}:00`,
  endsAt: `2024-06-14T${hour}:45`,
  kind: 'debate',
  status: 'scheduled',
  festival: 'fm24',
  programmeUrl: 'https://folkemoedet.dk/program/101',
  venue: { id: 'tent-7', name: 'Telt 7, Kæmpestranden', city: 'Allinge' },
  organisers: [{ name: 'Rådet for Grønne Indkøb' }, { name: 'Dansk Erhverv' }],
  participants: [
    { id: 'p-41', name: 'Jonas Kirk', organisation: 'COPI', title: 'Projektleder', part: 'moderator' },
    { name: 'Sofie Lund', organisation: 'Aabenraa Kommune', title: 'Indkøbschef', part: 'panelist' },
    { name: 'Lene Holm', organisation: 'KL', title: 'Direktør', part: 'speaker' },
  ],
  topics: ['innovative-offentlige-indkoeb'],
  da: { title, summary: 'Debat om innovative indkøb.', description: 'Første afsnit.\n\nAndet afsnit.' },
  ...(english ? { en: { title: `${title} (en)`, summary: 'A debate on innovative procurement.' } } : {}),
});

const put = (partner: TestPartner, externalId: string, body: unknown) =>
  app.http().put(`/api/partner/events/${externalId}`).set('Authorization', partner.auth).send(body as object);

const VOLATILE = new Set(['id', 'document_id', 'created_at', 'updated_at', 'published_at']);

/** Every row of a document with its links, keyed by locale and state, ids replaced by what they point to. */
async function snapshot(documentId: string) {
  const db = app.strapi.db.connection as Knex;
  const rows = await db('events').where({ document_id: documentId }).orderBy(['locale', 'published_at']);
  const refOf = async (table: string, id: number | undefined) => {
    if (id === undefined) return null;
    const row = await db(table).where({ id }).first();
    return row ? `${row.document_id}/${row.locale ?? '-'}/${row.published_at ? 'published' : 'draft'}` : `missing ${table} ${id}`;
  };
  const result: Record<string, unknown> = {};
  for (const row of rows) {
    const columns = Object.fromEntries(Object.entries(row).filter(([key]) => !VOLATILE.has(key)));
    const venue = await db('events_venue_lnk').where({ event_id: row.id }).first();
    const parent = await db('events_parent_lnk').where({ event_id: row.id }).first();
    const organisers = await db('events_organisers_lnk').where({ event_id: row.id }).orderBy('organisation_ord');
    const topics = await db('events_topics_lnk').where({ event_id: row.id }).orderBy('topic_ord');
    const components = await db('events_cmps').where({ entity_id: row.id }).orderBy('order');
    const participants = [];
    for (const link of components) {
      const component = await db('components_events_participants').where({ id: link.cmp_id }).first();
      const person = await db('components_events_participants_person_lnk').where({ participant_id: link.cmp_id }).first();
      participants.push({ field: link.field, type: link.component_type, order: link.order, part: component.part, person: await refOf('people', person?.person_id) });
    }
    result[`${row.locale}/${row.published_at ? 'published' : 'draft'}`] = {
      columns,
      inverseOrder: await inverseOrderSteps(row.id),
      timestampsSet: Boolean(row.created_at && row.updated_at),
      venue: await refOf('venues', venue?.venue_id),
      parent: await refOf('events', parent?.inv_event_id),
      organisers: await Promise.all(organisers.map((link: { organisation_id: number }) => refOf('organisations', link.organisation_id))),
      topics: await Promise.all(topics.map((link: { topic_id: number }) => refOf('topics', link.topic_id))),
      participants,
    };
  }
  return result;
}

/**
 * Where the row's links sit among their targets' links (the inverse order column: an event among
 * a venue's events), per relation: the link's order minus the highest of the target's other
 * links. A new link goes right after them (1), whatever the target had before.
 */
async function inverseOrderSteps(rowId: number): Promise<Record<string, number[]>> {
  const db = app.strapi.db.connection as Knex;
  const attributes = app.strapi.db.metadata.get(EVENT).attributes as Record<string, { joinTable?: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string }; inverseOrderColumnName?: string } }>;
  const steps: Record<string, number[]> = {};
  for (const [field, { joinTable }] of Object.entries(attributes)) {
    if (!joinTable?.inverseOrderColumnName) continue;
    const { name, joinColumn, inverseJoinColumn, inverseOrderColumnName: order } = joinTable;
    const links = (await db(name).where(joinColumn.name, rowId).orderBy('id')) as Array<Record<string, number>>;
    steps[field] = [];
    for (const link of links) {
      const others = (await db(name).where(inverseJoinColumn.name, link[inverseJoinColumn.name]!).whereNot('id', link.id!).max({ max: order }).first()) as { max: number | null } | undefined;
      steps[field]!.push(Number(link[order]) - Number(others?.max ?? 0));
    }
  }
  return steps;
}

/** Statements sent inside transactions while `work` runs (knex marks them with a transaction id). */
async function countTransactionStatements(work: () => Promise<unknown>): Promise<number> {
  return countStatements(app.strapi, work, () => true, (query) => Boolean(query.__knexTxId));
}

type Payload = ReturnType<typeof debate>;

interface Named {
  documentId: string;
  name: string;
}

/** What the reference reads of the fast-written draft: which documents its names resolved to. */
interface PopulatedEvent {
  venue: Named;
  parent: Named;
  organisers: Named[];
  topics: Array<{ documentId: string; slug: string }>;
  participants: Array<{ part: string; person: Named }>;
}

const blocks = (text: string | undefined) =>
  text ? text.split('\n\n').map((chunk) => ({ type: 'paragraph', children: [{ type: 'text', text: chunk }] })) : null;

/**
 * The same event made the way the partner service made it before (create, update en, publish),
 * from the payload itself: the fast-written document only tells which documents its names
 * resolved to, so a wrong order, part or text in it is not copied into the reference.
 */
async function throughDocumentService(
  documentId: string,
  publish: boolean,
  payload: Payload,
  reference: { partner: string; externalId: string },
  counted?: { statements: number },
): Promise<string> {
  const strapi = app.strapi;
  const source = (await strapi.documents(EVENT).findOne({
    documentId,
    locale: 'da',
    status: 'draft',
    populate: { venue: true, parent: true, organisers: true, topics: true, participants: { populate: ['person'] } },
  })) as unknown as PopulatedEvent;
  const byName = (documents: Array<{ name: string; documentId: string }>, name: string) => {
    const found = documents.find((document) => document.name === name);
    if (!found) throw new Error(`no ${name} among ${documents.map((document) => document.name).join(', ')}`);
    return found.documentId;
  };
  const people = source.participants.map((participant) => participant.person);
  const shared = {
    startsAt: new Date(`${payload.startsAt}:00+02:00`).toISOString(),
    endsAt: new Date(`${payload.endsAt}:00+02:00`).toISOString(),
    timeZone: 'Europe/Copenhagen',
    eventStatus: payload.status,
    attendanceMode: 'offline',
    venue: source.venue.documentId,
    kind: payload.kind,
    programmeUrl: payload.programmeUrl,
    sourcePartner: reference.partner,
    externalId: reference.externalId,
    parent: source.parent.documentId,
    organisers: payload.organisers.map((organiser) => byName(source.organisers, organiser.name)),
    topics: payload.topics.map((slug) => source.topics.find((topic) => topic.slug === slug)!.documentId),
  };
  const localised = (texts: { title: string; summary?: string; description?: string }) => ({
    title: texts.title,
    summary: texts.summary ?? null,
    description: blocks(texts.description),
    participants: payload.participants.map((participant) => ({ part: participant.part, person: byName(people, participant.name) })),
  });
  const english = 'en' in payload ? (payload as Payload & { en: { title: string; summary?: string } }).en : null;
  // The fast-written document goes first, so the reference gets the same slugs.
  await strapi.documents(EVENT).delete({ documentId, locale: '*' });
  const events = strapi.documents(EVENT);
  let createdId = '';
  // One transaction, as a push had; its statements only (Strapi reads entries back after the commit, at its own pace).
  const statements = await countTransactionStatements(() =>
    strapi.db.transaction(async () => {
      const created = await events.create({ locale: 'da', data: someFields(EVENT, { ...shared, ...localised(payload.da) }) });
      createdId = created.documentId;
      if (english) await events.update({ documentId: createdId, locale: 'en', data: someFields(EVENT, { ...shared, ...localised(english) }) });
      if (publish) await events.publish({ documentId: createdId, locale: '*' });
    }),
  );
  if (counted) counted.statements = statements;
  return createdId;
}

describe('a new event written in one pass equals the Document Service’s', () => {
  beforeAll(async () => {
    expect((await put(publisher, 'fm24', festival)).status).toBe(201);
    expect((await put(drafter, 'fm24', festival)).status).toBe(201);
  });

  it.each([
    ['published, both locales', () => publisher, true, true, 10],
    ['published, Danish only', () => publisher, true, false, 12],
    ['draft mode, both locales', () => drafter, false, true, 16],
  ])('%s', async (_label, partner, publish, english, hour) => {
    const externalId = `parity-${publish}-${english}`;
    const payload = debate(`Tør vi købe det nye? ${externalId}`, english, hour);
    const pushed = await put(partner(), externalId, payload);
    expect(pushed.status).toBe(201);
    expect(pushed.body.data.result).toBe('created');
    const fast = await snapshot(pushed.body.data.documentId);
    expect(Object.keys(fast).sort()).toEqual(
      [...(publish ? ['da/published'] : []), 'da/draft', ...(english ? ['en/draft', ...(publish ? ['en/published'] : [])] : [])].sort(),
    );
    const reference = await snapshot(
      await throughDocumentService(pushed.body.data.documentId, publish, payload, { partner: partner().key, externalId }),
    );
    expect(fast).toEqual(reference);
    // Relations really point somewhere: three participants, a venue, the festival, two organisers.
    const da = fast[publish ? 'da/published' : 'da/draft'] as { participants: unknown[]; venue: string; parent: string; organisers: unknown[]; topics: unknown[] };
    expect(da.participants).toHaveLength(3);
    expect(da.organisers).toHaveLength(2);
    expect(da.topics).toHaveLength(1);
    expect(da.venue).toMatch(/\/da\//);
    expect(da.parent).toMatch(publish ? /\/da\/published$/ : /\/da\/draft$/);
    // No link between rows of different status, in the whole database (public counts rely on it: src/lib/http/published-targets.ts).
    expect(await linksAcrossStatus(app.strapi)).toEqual([]);
  });

  it('later pushes (Document Service updates) and an editor’s publish work on it', async () => {
    const created = await put(publisher, 'later-1', debate('Senere opdateret', true, 20));
    expect(created.status).toBe(201);
    const updated = await put(publisher, 'later-1', { ...debate('Senere opdateret', true, 20), participants: debate('x').participants.slice(1), da: { title: 'Senere opdateret', summary: 'Ny tekst.' } });
    expect(updated.status).toBe(200);
    expect(updated.body.data.result).toBe('updated');
    const list = await app.http().get('/api/events').query({ locale: 'da', filters: { documentId: created.body.data.documentId }, populate: { participants: { populate: ['person'] }, venue: true } });
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0].summary).toBe('Ny tekst.');
    expect(list.body.data[0].slug).toBe('senere-opdateret');
    expect(list.body.data[0].participants.map((participant: { person: { name: string } }) => participant.person.name)).toEqual(['Sofie Lund', 'Lene Holm']);
    expect(list.body.data[0].venue.name).toBe('Telt 7, Kæmpestranden');
  });

  it('a whole push’s transaction sends fewer SQL statements than the Document Service’s create, update and publish alone', async () => {
    const counted = debate('Talt op', true, 18);
    await put(publisher, 'warm-1', debate('Opvarmning', true, 8)); // people, organisations, venue exist from here on
    let documentId = '';
    const pushing = await countTransactionStatements(async () => {
      const response = await put(publisher, 'counted-1', counted);
      expect(response.body.data.result).toBe('created');
      documentId = response.body.data.documentId;
    });
    // Only the three document writes of the old way, none of the push's own work (auth, matching, identities).
    const documentService = { statements: 0 };
    await throughDocumentService(documentId, true, counted, { partner: publisher.key, externalId: 'counted-1' }, documentService);
    console.log(`SQL statements in the write's transaction: push ${pushing}; the Document Service's create + update + publish ${documentService.statements}`);
    // Measured: 42 against 210 (the push also authenticates, matches and resolves people and places).
    expect(pushing).toBeLessThan(documentService.statements);
  });

  it('a bad new event writes nothing: a title over 200 characters is a 400 naming it', async () => {
    const before = await app.strapi.db.connection('events').count({ n: '*' }).first();
    const response = await put(publisher, 'too-long', debate('x'.repeat(201)));
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.error)).toMatch(/title/);
    expect(await app.strapi.db.connection('events').count({ n: '*' }).first()).toEqual(before);
  });
});
