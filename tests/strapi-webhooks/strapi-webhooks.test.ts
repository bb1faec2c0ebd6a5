/**
 * Strapi's own webhooks (the admin's Settings → Webhooks, issue 26 item 3) hear of writes that
 * bypass the Document Service as they hear of an editor's: a webhook made through Strapi's admin
 * API, pointed at a real HTTP receiver on loopback, gets for a partner's new event exactly what
 * the Document Service would have sent for it (and nothing for an unchanged push), what the
 * Document Service sends for a partner's update (once, not twice), and for a merge one update
 * and one publish per public locale of every document it changed. The entries carry what
 * Strapi's own carry. With no webhook listening to an event, nothing is read or sent.
 *
 * What the Document Service sends (@strapi/core document-service/repository.js), per locale:
 * `create` sends entry.create (the draft), and with status published entry.publish (the
 * published version); `update` of a locale that is not there yet sends entry.create, of one that
 * is, entry.update; `publish` sends entry.publish; `delete` sends entry.delete for every row
 * (draft and published). A type without drafts (venue) sends entry.create / entry.update only.
 */
import type { UID } from '@strapi/strapi';
import { entryEventCounts, entryEventsIdle } from '../../src/lib/strapi-events/entry-events';
import { loginAsSuperAdmin, type AdminSession } from '../helpers/admin';
import { startApp, type TestApp } from '../helpers/app';
import { someFields } from '../helpers/documents';
import { createPartner, type TestPartner } from '../helpers/partners';
import { startReceiver, type Receiver } from '../webhooks/shared';

const EVENT = 'api::event.event';
const PERSON = 'api::person.person';
const ORGANISATION = 'api::organisation.organisation';
const VENUE = 'api::venue.venue';
const TOPIC = 'api::topic.topic';
const QUOTE = 'api::quote.quote';
const ENTRY_EVENTS = ['entry.create', 'entry.update', 'entry.delete', 'entry.publish', 'entry.unpublish'];

let app: TestApp;
let receiver: Receiver;
let admin: AdminSession;
let partner: TestPartner;
let webhookId: string;

beforeAll(async () => {
  app = await startApp();
  receiver = await startReceiver('/rebuild');
  admin = await loginAsSuperAdmin(app);
  partner = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
  // Strapi's own admin API, as Settings → Webhooks calls it.
  const created = await admin.post('/admin/webhooks', { name: 'Static site rebuild', url: receiver.url, headers: {}, events: ENTRY_EVENTS });
  expect(created.status).toBe(201);
  webhookId = String(created.body.data.id);
});
afterAll(async () => {
  await app?.stop();
  await receiver?.close();
});

/** A webhook call as Strapi's runner sends it: `{ event, createdAt, model, uid, entry }`. */
interface StrapiWebhookCall {
  event: string;
  createdAt: string;
  model: string;
  uid: string;
  entry: { id?: number; documentId: string; locale?: string; publishedAt?: string | null; [field: string]: unknown };
}

const calls = (): StrapiWebhookCall[] => receiver.received.map((request) => JSON.parse(request.body) as StrapiWebhookCall);

/** One document's calls, as "<event> <locale> <draft|published>", sorted. */
function callsFor(uid: string, documentId: string): string[] {
  return calls()
    .filter((call) => call.uid === uid && call.entry.documentId === documentId)
    .map((call) => `${call.event} ${call.entry.locale} ${call.event === 'entry.delete' || call.event === 'entry.unpublish' ? 'gone' : call.entry.publishedAt ? 'published' : 'draft'}`)
    .sort();
}

async function waitFor(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 15000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; received: ${JSON.stringify(calls().map((call) => [call.event, call.uid, call.entry.documentId]))}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let fences = 0;
/**
 * Everything written so far has reached the receiver: the app's after-commit work is done, our
 * queued events are handed to Strapi's runner, and a topic published after them through the
 * Document Service (Strapi's runner sends in the order it is given) has arrived. Then no request
 * for a while more.
 */
async function settle(): Promise<void> {
  await app.quiet();
  await entryEventsIdle(app.strapi);
  fences += 1;
  const fence = await app.strapi.documents(TOPIC).create({ locale: 'da', data: someFields(TOPIC, { name: `Hegn ${fences}` }), status: 'published' });
  await waitFor('the fence', () => calls().some((call) => call.event === 'entry.publish' && call.entry.documentId === fence.documentId));
  let seen = -1;
  while (seen !== receiver.received.length) {
    seen = receiver.received.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

const push = (externalId: string, body: Record<string, unknown>) =>
  app.http().put(`/api/partner/events/${externalId}`).set('Authorization', partner.auth).send(body);

const debate = (title: string, overrides: Record<string, unknown> = {}) => ({
  startsAt: '2026-06-12T14:00',
  endsAt: '2026-06-12T15:00',
  timeZone: 'Europe/Copenhagen',
  kind: 'debate',
  da: { title },
  ...overrides,
});

/** What the Document Service sends for a new document: per locale, create (draft) and publish; a type without drafts, create. */
async function sentForNewDocument(uid: string, documentId: string): Promise<string[]> {
  const rows = (await app.strapi.db.query(uid as UID.ContentType).findMany({ select: ['locale', 'publishedAt'], where: { documentId } })) as Array<{ locale: string; publishedAt: unknown }>;
  const draftAndPublish = Boolean(app.strapi.contentType(uid as UID.ContentType).options?.draftAndPublish);
  if (!draftAndPublish) return rows.map((row) => `entry.create ${row.locale} published`).sort();
  return rows.map((row) => (row.publishedAt ? `entry.publish ${row.locale} published` : `entry.create ${row.locale} draft`)).sort();
}

/**
 * An entry's fields and what each holds: a value (text, number, null...), or the keys of the
 * object (relation, media, component) or of the first item of the list it holds.
 */
function shapeOf(entry: Record<string, unknown>): Record<string, string> {
  const keys = (value: unknown) => Object.keys(value as object).sort().join(',');
  const shape: Record<string, string> = {};
  for (const [field, value] of Object.entries(entry)) {
    if (Array.isArray(value)) shape[field] = value.length > 0 ? `list of {${keys(value[0])}}` : 'list';
    else if (value && typeof value === 'object') shape[field] = `{${keys(value)}}`;
    else shape[field] = 'value';
  }
  return shape;
}

describe("Strapi's webhooks and the Document Service", () => {
  it("an editor's publish is heard once: Strapi's own events, none added", async () => {
    const before = entryEventCounts(app.strapi);
    const topic = await app.strapi.documents(TOPIC).create({ locale: 'da', data: someFields(TOPIC, { name: 'Indkøb' }), status: 'published' });
    await settle();
    expect(callsFor(TOPIC, topic.documentId)).toEqual(['entry.create da draft', 'entry.publish da published']);
    expect(entryEventCounts(app.strapi).emitted).toBe(before.emitted);
  });
});

describe("a partner's pushes", () => {
  let documentId: string;

  it('a new published event: exactly one entry.publish, after the entry.create the Document Service sends for its draft', async () => {
    const before = entryEventCounts(app.strapi);
    const response = await push('fm26-1', debate('Tør vi købe det nye?'));
    expect(response.status).toBe(201);
    documentId = response.body.data.documentId;
    await waitFor('the publish', () => callsFor(EVENT, documentId).some((call) => call.startsWith('entry.publish')));
    await settle();
    // As `create({ locale: 'da', status: 'published' })` would: create (draft), then publish.
    expect(callsFor(EVENT, documentId)).toEqual(['entry.create da draft', 'entry.publish da published']);
    const publish = calls().find((call) => call.event === 'entry.publish' && call.entry.documentId === documentId)!;
    expect(publish).toMatchObject({ model: 'event', uid: EVENT, entry: { documentId, locale: 'da', title: 'Tør vi købe det nye?', kind: 'debate' } });
    // Sanitized as Strapi sanitizes its own: private fields are left out.
    expect(publish.entry).not.toHaveProperty('sourcePartner');
    expect(receiver.received.find((request) => JSON.parse(request.body).event === 'entry.publish')!.headers['x-strapi-event']).toBe('entry.publish');
    expect(entryEventCounts(app.strapi).emitted - before.emitted).toBe(2);
  });

  it('the same push again (unchanged): nothing', async () => {
    const before = entryEventCounts(app.strapi);
    const received = receiver.received.length;
    const response = await push('fm26-1', debate('Tør vi købe det nye?'));
    expect(response.status).toBe(200);
    expect(response.body.data.result).toBe('unchanged');
    await settle();
    expect(callsFor(EVENT, documentId)).toEqual(['entry.create da draft', 'entry.publish da published']);
    // Only the fence's two calls came in.
    expect(receiver.received.length - received).toBe(2);
    expect(entryEventCounts(app.strapi)).toEqual(before);
  });

  it("an update goes through the Document Service: its entry.update and entry.publish, once each (ours stay out)", async () => {
    const before = entryEventCounts(app.strapi);
    const response = await push('fm26-1', debate('Tør vi købe det nye i 2026?'));
    expect(response.status).toBe(200);
    expect(response.body.data.result).toBe('updated');
    await settle();
    // `update({ locale: 'da' })` then `publish({ locale: '*' })`.
    expect(callsFor(EVENT, documentId)).toEqual(['entry.create da draft', 'entry.publish da published', 'entry.publish da published', 'entry.update da draft']);
    const last = calls().filter((call) => call.event === 'entry.publish' && call.entry.documentId === documentId).at(-1)!;
    expect(last.entry.title).toBe('Tør vi købe det nye i 2026?');
    expect(entryEventCounts(app.strapi).emitted).toBe(before.emitted);
  });

  it('a bad push: 400, nothing written, nothing sent', async () => {
    const before = entryEventCounts(app.strapi);
    const received = receiver.received.length;
    const response = await push('fm26-bad', debate('', { startsAt: 'soon' }));
    expect(response.status).toBe(400);
    expect(response.body.error.details.errors.map((error: { pointer: string }) => error.pointer).sort()).toEqual(['/da/title', '/startsAt']);
    expect(await app.strapi.db.connection('partner_events').where({ external_id: 'fm26-bad' }).first()).toBeUndefined();
    await settle();
    expect(receiver.received.length - received).toBe(2);
    expect(entryEventCounts(app.strapi)).toEqual(before);
  });

  it('a new bilingual event with a new venue, organiser and participant: for each document what the Document Service sends for it, entries shaped as its own', async () => {
    const response = await push(
      'fm26-2',
      debate('Hvem ejer data?', {
        en: { title: 'Who owns the data?' },
        venue: { id: 'tent-9', name: 'Telt 9', nameEn: 'Tent 9', city: 'Allinge' },
        organisers: [{ name: 'Datarådet' }],
        participants: [{ id: 'p-9', name: 'Ida Holm', organisation: 'Datarådet', title: 'Formand', part: 'panelist' }],
      }),
    );
    expect(response.status).toBe(201);
    const eventId: string = response.body.data.documentId;
    await settle();
    const created = {
      [EVENT]: eventId,
      [VENUE]: (await app.strapi.db.query(VENUE).findOne({ where: { name: 'Telt 9' } })).documentId as string,
      [ORGANISATION]: (await app.strapi.db.query(ORGANISATION).findOne({ where: { name: 'Datarådet' } })).documentId as string,
      [PERSON]: (await app.strapi.db.query(PERSON).findOne({ where: { name: 'Ida Holm' } })).documentId as string,
    };
    for (const [uid, id] of Object.entries(created)) {
      expect({ uid, calls: callsFor(uid, id) }).toEqual({ uid, calls: await sentForNewDocument(uid, id) });
    }
    expect(callsFor(EVENT, eventId)).toEqual(['entry.create da draft', 'entry.create en draft', 'entry.publish da published', 'entry.publish en published']);

    // The same event made by an editor through the Document Service: Strapi's own entry has the same shape.
    const events = app.strapi.documents(EVENT);
    const editors = await events.create({
      locale: 'da',
      status: 'published',
      data: someFields(EVENT, {
        title: 'Hvem ejer data? (redaktionen)',
        startsAt: '2026-06-12T16:00:00.000Z',
        endsAt: '2026-06-12T17:00:00.000Z',
        timeZone: 'Europe/Copenhagen',
        kind: 'debate',
        venue: created[VENUE],
        organisers: [created[ORGANISATION]],
        participants: [{ part: 'panelist', person: created[PERSON] }],
      }),
    });
    await events.update({ documentId: editors.documentId, locale: 'en', data: someFields(EVENT, { title: 'Who owns the data? (editors)', participants: [{ part: 'panelist', person: created[PERSON] }] }) });
    await events.publish({ documentId: editors.documentId, locale: '*' });
    await settle();
    // The last entry.publish of each, both read once both locales were there.
    const entryOf = (id: string, locale: string) => calls().filter((call) => call.event === 'entry.publish' && call.entry.documentId === id && call.entry.locale === locale).at(-1)!;
    const strapis = entryOf(editors.documentId, 'da');
    const ours = entryOf(eventId, 'da');
    expect(shapeOf(ours.entry)).toEqual(shapeOf(strapis.entry));
    expect({ model: ours.model, uid: ours.uid }).toEqual({ model: strapis.model, uid: strapis.uid });
    expect(ours.entry.participants).toEqual([expect.objectContaining({ part: 'panelist', person: expect.objectContaining({ documentId: created[PERSON], name: 'Ida Holm' }) })]);
    expect(ours.entry.venue).toEqual(expect.objectContaining({ documentId: created[VENUE] }));
  });

  it('a batch: each new event heard once per locale, as one push of each would be', async () => {
    const response = await app
      .http()
      .post('/api/partner/events/batch')
      .set('Authorization', partner.auth)
      .send({ events: [1, 2, 3].map((n) => ({ externalId: `fm26-b${n}`, ...debate(`Debat ${n}`) })) });
    expect(response.status).toBe(200);
    expect(response.body.meta).toMatchObject({ created: 3, failed: 0 });
    await settle();
    for (const item of response.body.data as Array<{ documentId: string }>) {
      expect(callsFor(EVENT, item.documentId)).toEqual(['entry.create da draft', 'entry.publish da published']);
    }
  });
});

describe('a merge', () => {
  it('the merged person: one entry.delete per locale (the merge deletes its rows itself and logs a tombstone per locale); the kept person and the quote whose reference moved: one entry.update and one entry.publish per public locale', async () => {
    const people = app.strapi.documents(PERSON);
    const makePerson = async (name: string) => {
      const person = await people.create({ locale: 'da', data: someFields(PERSON, { name }) });
      await people.update({ documentId: person.documentId, locale: 'en', data: someFields(PERSON, { name }) });
      await people.publish({ documentId: person.documentId, locale: '*' });
      return person.documentId;
    };
    const kept = await makePerson('Mette Harbo');
    const merged = await makePerson('Mette  Harbo');
    const quotes = app.strapi.documents(QUOTE);
    const quote = (await quotes.create({ locale: 'da', data: someFields(QUOTE, { text: 'Vi skal købe klogere ind.', person: merged }) })).documentId;
    await quotes.update({ documentId: quote, locale: 'en', data: someFields(QUOTE, { text: 'We must buy smarter.', person: merged }) });
    await quotes.publish({ documentId: quote, locale: '*' });
    await settle();
    const before = { kept: callsFor(PERSON, kept), merged: callsFor(PERSON, merged), quote: callsFor(QUOTE, quote), counts: entryEventCounts(app.strapi) };

    const version = async (documentId: string) => {
      const rows = (await app.strapi.db.query(PERSON).findMany({ select: ['updatedAt'], where: { documentId } })) as Array<{ updatedAt: string }>;
      return rows.map((row) => new Date(row.updatedAt).toISOString()).sort().at(-1);
    };
    const response = await admin.post('/admin/duplicates/merge', {
      type: 'person',
      keep: { documentId: kept, updatedAt: await version(kept) },
      merge: { documentId: merged, updatedAt: await version(merged) },
    });
    expect(response.status).toBe(200);
    await settle();

    const added = (now: string[], earlier: string[]) => {
      const rest = [...now];
      for (const call of earlier) rest.splice(rest.indexOf(call), 1);
      return rest;
    };
    expect(added(callsFor(PERSON, merged), before.merged)).toEqual(['entry.delete da gone', 'entry.delete en gone']);
    const updatedAndPublished = ['entry.publish da published', 'entry.publish en published', 'entry.update da draft', 'entry.update en draft'];
    expect(added(callsFor(PERSON, kept), before.kept)).toEqual(updatedAndPublished);
    expect(added(callsFor(QUOTE, quote), before.quote)).toEqual(updatedAndPublished);
    // The quote's entry names the kept person now.
    const quoteCall = calls().filter((call) => call.event === 'entry.publish' && call.entry.documentId === quote).at(-1)!;
    expect(quoteCall.entry.person).toEqual(expect.objectContaining({ documentId: kept }));
    // All ours: the kept person's and the quote's update and publish per locale, and the merged person's deletes.
    expect(entryEventCounts(app.strapi).emitted - before.counts.emitted).toBe(10);
  });
});

describe('only while a webhook listens', () => {
  it('a webhook for entry.delete only: a new event reads and sends nothing', async () => {
    const updated = await admin.put(`/admin/webhooks/${webhookId}`, { name: 'Static site rebuild', url: receiver.url, headers: {}, events: ['entry.delete'] });
    expect(updated.status).toBe(200);
    const before = entryEventCounts(app.strapi);
    const received = receiver.received.length;
    expect((await push('fm26-3', debate('Uden lyttere'))).status).toBe(201);
    await app.quiet();
    await entryEventsIdle(app.strapi);
    expect(entryEventCounts(app.strapi)).toEqual(before);
    expect(receiver.received.length).toBe(received);
  });

  it('a disabled webhook: the same', async () => {
    const updated = await admin.put(`/admin/webhooks/${webhookId}`, { name: 'Static site rebuild', url: receiver.url, headers: {}, events: ENTRY_EVENTS, isEnabled: false });
    expect(updated.status).toBe(200);
    const before = entryEventCounts(app.strapi);
    const received = receiver.received.length;
    expect((await push('fm26-4', debate('Slået fra'))).status).toBe(201);
    await app.quiet();
    await entryEventsIdle(app.strapi);
    expect(entryEventCounts(app.strapi)).toEqual(before);
    expect(receiver.received.length).toBe(received);
  });
});
