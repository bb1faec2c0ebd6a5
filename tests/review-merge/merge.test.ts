/**
 * Merging two documents through the admin API (issue 13, item 3): every relation pointing at the
 * merged one moves to the one kept (article authors, quotes, event participants, partner
 * mappings), its old slug and documentId resolve to the kept one in REST and GraphQL, the feed
 * reports it deleted with `mergedInto`, each affected document gets one webhook per locale, the
 * published state survives, the kept event's .ics UID stays (and the merged one's .ics and JSON-LD
 * answer with the kept event); bad input is a 4xx naming the
 * problem that changes nothing; Authors may not merge.
 */
import { startApp, type TestApp } from '../helpers/app';
import type { AdminSession } from '../helpers/admin';
import { someFields, type SomeFields } from '../helpers/documents';
import type { MergeResult } from '../../src/api/partner/merge/merge';
import { createSubscription } from '../../src/lib/webhooks/subscriptions';
import { createPartners, put, SEEDED_DEBATE_SLUG, type Partners } from '../partner-matching/shared';
import { ARTICLE, EVENT, feedAfter, makePerson, ORGANISATION, PERSON, QUOTE, rowsOf, sessions, snapshot, versionOf } from './shared';

let app: TestApp;
let editor: AdminSession;
let author: AdminSession;
let partners: Partners;

beforeAll(async () => {
  app = await startApp({ seed: true });
  ({ editor, author } = await sessions(app));
  partners = await createPartners(app);
});
afterAll(async () => {
  await app?.stop();
});

/** A webhook delivery's `data`: the change it announces. */
interface WebhookData {
  documentId: string;
  locale: string;
  action: string;
  mergedInto?: string;
}

const merge = (session: AdminSession, body: unknown) => session.post('/admin/duplicates/merge', body);

async function mergeBody(type: string, keep: string, merged: string, uid: string) {
  return {
    type,
    keep: { documentId: keep, updatedAt: await versionOf(app, uid, keep) },
    merge: { documentId: merged, updatedAt: await versionOf(app, uid, merged) },
  };
}

async function personNamed(name: string): Promise<string> {
  const row = await app.strapi.db.query(PERSON).findOne({ select: ['documentId'], where: { name, locale: 'da', publishedAt: null } });
  return row.documentId;
}

describe('merging a person', () => {
  let mette: string;
  let duplicate: string;
  let article: string;
  let quote: string;
  let event: string;
  let cursor: string;
  let deliveriesBefore: number;
  let answer: MergeResult;

  beforeAll(async () => {
    mette = await personNamed('Mette Harbo');
    duplicate = await makePerson(app, 'Mette Harbo (dublet)');
    // An article by both (the kept pointer stays one), a quote and an event participant of the duplicate.
    const articles = app.strapi.documents(ARTICLE);
    const published = await app.strapi.db.query(ARTICLE).findOne({ select: ['documentId'], where: { locale: 'en', publishedAt: { $notNull: true } } });
    article = published.documentId;
    for (const locale of ['da', 'en']) {
      await articles.update({ documentId: article, locale, data: someFields(ARTICLE, { authors: { connect: [duplicate, mette] } }) });
    }
    await articles.publish({ documentId: article, locale: '*' });
    const quotes = app.strapi.documents(QUOTE);
    quote = (await quotes.create({ locale: 'da', data: someFields(QUOTE, { text: 'Vi skal købe klogere ind.', person: duplicate }) })).documentId;
    await quotes.update({ documentId: quote, locale: 'en', data: someFields(QUOTE, { text: 'We must buy smarter.', person: duplicate }) });
    await quotes.publish({ documentId: quote, locale: '*' });
    const events = app.strapi.documents(EVENT);
    const data = { startsAt: '2023-06-17T10:00:00Z', kind: 'debate', participants: [{ person: duplicate, part: 'speaker' }] };
    event = (await events.create({ locale: 'da', data: someFields(EVENT, { ...data, title: 'Indkøb med Mette' }) })).documentId;
    await events.update({ documentId: event, locale: 'en', data: someFields(EVENT, { ...data, title: 'Procurement with Mette' }) });
    await events.publish({ documentId: event, locale: '*' });
    await app.strapi.db.connection('partner_identities').insert({ partner_key: 'test', kind: 'person', external_id: 'p-mette-dup', document_id: duplicate, rule: 'new', score: 0 });
    // Every change from here on is delivered to one subscriber.
    await createSubscription(app.strapi.db.connection, { kind: 'integration', key: 'merge-test' }, { url: 'https://hooks.example.com/merge' });
    cursor = (await feedAfter(app)).cursor;
    const [row] = await app.strapi.db.connection('webhook_deliveries').max({ id: 'id' });
    deliveriesBefore = Number((row as { id: number | null }).id ?? 0);

    const response = await merge(editor, await mergeBody('person', mette, duplicate, PERSON));
    expect(response.status).toBe(200);
    answer = response.body.data;
  });

  it('answers with what it did', () => {
    expect(answer).toMatchObject({ type: 'person', kept: mette, merged: duplicate, publishedLocales: [] });
    expect(answer.relationsMoved).toBeGreaterThanOrEqual(6);
    expect(answer.relationsDropped).toBeGreaterThanOrEqual(2); // the article's pointers to the duplicate, beside Mette's
    expect(answer.affected.map((a) => a.documentId).sort()).toEqual([article, event, quote].sort());
  });

  it('deletes the merged person', async () => {
    expect(await rowsOf(app, PERSON, duplicate)).toEqual([]);
  });

  it('moves article authors (once), quotes and event participants to the kept person, in both locales', async () => {
    for (const locale of ['da', 'en']) {
      const a = await app.http().get(`/api/articles/${article}`).query({ locale, populate: { authors: { fields: ['name'] } } });
      expect(a.status).toBe(200);
      const authors = a.body.data.authors.map((person: { documentId: string }) => person.documentId);
      expect(authors.filter((id: string) => id === mette)).toHaveLength(1);
      expect(authors).not.toContain(duplicate);
      const q = await app.http().get(`/api/quotes/${quote}`).query({ locale, populate: { person: { fields: ['name'] } } });
      expect(q.status).toBe(200);
      expect(q.body.data.person.documentId).toBe(mette);
      const e = await app.http().get(`/api/events/${event}`).query({ locale, populate: { participants: { populate: ['person'] } } });
      expect(e.status).toBe(200);
      expect(e.body.data.participants.map((p: { person: { documentId: string } | null }) => p.person?.documentId)).toEqual([mette]);
    }
    const drafts = await app.strapi.documents(QUOTE).findOne({ documentId: quote, locale: 'da', status: 'draft', populate: ['person'] });
    expect(drafts?.person?.documentId).toBe(mette);
  });

  it('moves the partner identities', async () => {
    const row = await app.strapi.db.connection('partner_identities').where({ external_id: 'p-mette-dup' }).first();
    expect(row.document_id).toBe(mette);
  });

  it('resolves the old documentId to the kept person (REST and GraphQL)', async () => {
    const rest = await app.http().get(`/api/people/${duplicate}`).query({ locale: 'da' });
    expect(rest.status).toBe(200);
    expect(rest.body.data).toMatchObject({ documentId: mette, name: 'Mette Harbo' });
    const gql = await app.graphql(`query ($id: ID!) { person(documentId: $id, locale: "en") { documentId name } }`, { id: duplicate });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data).toEqual({ person: { documentId: mette, name: 'Mette Harbo' } });
    // A documentId that never existed is still a 404.
    expect((await app.http().get('/api/people/nosuchdocumentid0000000000')).status).toBe(404);
  });

  it('resolves the old slug to the kept person (REST and GraphQL)', async () => {
    for (const locale of ['da', 'en']) {
      const rest = await app.http().get('/api/people/slug/mette-harbo-dublet').query({ locale });
      expect(rest.status).toBe(200);
      expect(rest.body.data.documentId).toBe(mette);
      expect(rest.body.meta.slug).toMatchObject({ requested: 'mette-harbo-dublet', moved: true });
    }
    const gql = await app.graphql(`{ personBySlug(slug: "mette-harbo-dublet", locale: "da") { documentId } }`);
    expect(gql.body.data).toEqual({ personBySlug: { documentId: mette } });
  });

  it('reports the merged person deleted with mergedInto in the feed, and every other affected document updated once per locale', async () => {
    const { items } = await feedAfter(app, cursor);
    const tombstones = items.filter((item) => item.documentId === duplicate);
    expect(tombstones.map((item) => [item.action, item.locale, item.mergedInto, item.entry])).toEqual([
      ['deleted', 'da', mette, null],
      ['deleted', 'en', mette, null],
    ]);
    const counted = new Map<string, number>();
    for (const item of items) counted.set(`${item.documentId}|${item.locale}`, (counted.get(`${item.documentId}|${item.locale}`) ?? 0) + 1);
    for (const documentId of [mette, article, quote, event]) {
      for (const locale of ['da', 'en']) expect([documentId, locale, counted.get(`${documentId}|${locale}`)]).toEqual([documentId, locale, 1]);
    }
    expect(items.filter((item) => item.documentId !== duplicate).every((item) => item.action === 'updated' && !('mergedInto' in item))).toBe(true);
    // The GraphQL side of the feed says the same.
    const gql = await app.graphql(`query ($cursor: String) { syncChanges(cursor: $cursor, limit: 500) { items { action documentId locale mergedInto } } }`, { cursor });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.syncChanges.items.filter((item: { documentId: string }) => item.documentId === duplicate)).toEqual([
      { action: 'deleted', documentId: duplicate, locale: 'da', mergedInto: mette },
      { action: 'deleted', documentId: duplicate, locale: 'en', mergedInto: mette },
    ]);
    expect(gql.body.data.syncChanges.items.find((item: { documentId: string }) => item.documentId === mette)).toMatchObject({ action: 'updated', mergedInto: null });
  });

  it('queues exactly one webhook per affected document and locale; the tombstone names the kept person', async () => {
    const rows = await app.strapi.db.connection('webhook_deliveries').where('id', '>', deliveriesBefore);
    const payloads = rows.map((row: { payload: string }) => (JSON.parse(row.payload) as { data: WebhookData }).data);
    const keys = payloads.map((data) => `${data.documentId}|${data.locale}`).sort();
    expect(keys).toEqual(
      [duplicate, mette, article, quote, event].flatMap((id) => [`${id}|da`, `${id}|en`]).sort(),
    );
    expect(payloads.filter((data) => data.documentId === duplicate).map((data) => [data.action, data.mergedInto])).toEqual([
      ['deleted', mette],
      ['deleted', mette],
    ]);
  });
});

describe('published state', () => {
  it('keeps the published state when a published person is merged into a draft-only one', async () => {
    const draft = await makePerson(app, 'Kladde Person', { draft: true });
    const published = await makePerson(app, 'Udgivet Person');
    const response = await merge(editor, await mergeBody('person', draft, published, PERSON));
    expect(response.status).toBe(200);
    expect(response.body.data.publishedLocales).toEqual(['da', 'en']);
    expect(await rowsOf(app, PERSON, draft)).toEqual([
      { locale: 'da', published: false },
      { locale: 'da', published: true },
      { locale: 'en', published: false },
      { locale: 'en', published: true },
    ]);
    expect((await app.http().get(`/api/people/${published}`).query({ locale: 'da' })).body.data.documentId).toBe(draft);
  });

  it('keeps the published state when a draft-only person is merged into a published one', async () => {
    const published = await makePerson(app, 'Udgivet To');
    const draft = await makePerson(app, 'Kladde To', { draft: true });
    const response = await merge(editor, await mergeBody('person', published, draft, PERSON));
    expect(response.status).toBe(200);
    expect(response.body.data.publishedLocales).toEqual([]);
    expect((await rowsOf(app, PERSON, published)).filter((row) => row.published)).toHaveLength(2);
    expect(await rowsOf(app, PERSON, draft)).toEqual([]);
  });
});

describe('merging an event a partner pushed into the editors’ own', () => {
  let debate: string;
  let pushed: string;
  let pushedSlug: string;

  beforeAll(async () => {
    const row = await app.strapi.db.query(EVENT).findOne({ select: ['documentId'], where: { slug: SEEDED_DEBATE_SLUG, locale: 'da' } });
    debate = row.documentId;
    const response = await put(app, partners.kl, 'kl-debat', {
      startsAt: '2023-06-16T15:00',
      kind: 'debate',
      venue: { name: 'KL-teltet', city: 'Allinge' },
      da: { title: 'Spænd innovation for indkøbsvognen (KL)' },
      en: { title: 'Innovation and procurement (KL)' },
    });
    expect(response.status).toBe(201);
    pushed = response.body.data.documentId;
    pushedSlug = (await app.strapi.db.query(EVENT).findOne({ select: ['slug'], where: { documentId: pushed, locale: 'da' } })).slug;
    const merged = await merge(editor, await mergeBody('event', debate, pushed, EVENT));
    expect(merged.status).toBe(200);
  });

  it('moves the partner mapping: the partner now sees the kept event, linked, not its own', async () => {
    const mapping = await app.strapi.db.connection('partner_events').where({ partner_key: 'kl', external_id: 'kl-debat' }).first();
    expect(mapping).toMatchObject({ document_id: debate, role: 'linked', match_rule: 'review-merge' });
    const state = await app.http().get('/api/partner/events/kl-debat').set('Authorization', partners.kl.auth);
    expect(state.status).toBe(200);
    expect(state.body.data.documentId).toBe(debate);
  });

  it('keeps the kept event’s .ics UID; the merged one is gone from the calendar', async () => {
    const single = await app.http().get(`/api/events/${debate}/calendar.ics`).query({ locale: 'da' });
    expect(single.status).toBe(200);
    expect(single.text).toMatch(new RegExp(`UID:${debate}@`));
    const feed = await app.http().get('/api/events.ics').query({ locale: 'da' });
    expect(feed.status).toBe(200);
    expect(feed.text).toContain(`UID:${debate}@`);
    expect(feed.text).not.toContain(pushed);
  });

  it('answers the merged event’s old documentId with the kept event in .ics and JSON-LD too, as REST does', async () => {
    const kept = await app.http().get(`/api/events/${debate}/calendar.ics`).query({ locale: 'da' });
    const single = await app.http().get(`/api/events/${pushed}/calendar.ics`).query({ locale: 'da' });
    expect(single.status).toBe(200);
    expect(single.headers['content-type']).toMatch(/^text\/calendar/);
    expect(single.text).toMatch(new RegExp(`UID:${debate}@`));
    expect(single.text).not.toContain(pushed);
    expect(single.headers['content-disposition']).toBe(kept.headers['content-disposition']);
    const jsonLd = await app.http().get(`/api/events/${pushed}/json-ld`).query({ locale: 'en' });
    expect(jsonLd.status).toBe(200);
    expect(jsonLd.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(jsonLd.text).toBe((await app.http().get(`/api/events/${debate}/json-ld`).query({ locale: 'en' })).text);
    // An unknown documentId is still a 404.
    expect((await app.http().get('/api/events/nosuchdocumentid0000000000/calendar.ics').query({ locale: 'da' })).status).toBe(404);
    expect((await app.http().get('/api/events/nosuchdocumentid0000000000/json-ld').query({ locale: 'da' })).status).toBe(404);
  });

  it('resolves the merged event’s documentId and slug to the kept one (REST and GraphQL)', async () => {
    const rest = await app.http().get(`/api/events/${pushed}`).query({ locale: 'da' });
    expect(rest.status).toBe(200);
    expect(rest.body.data.documentId).toBe(debate);
    const gql = await app.graphql(`query ($id: ID!) { event(documentId: $id) { documentId } }`, { id: pushed });
    expect(gql.body.data).toEqual({ event: { documentId: debate } });
    const bySlug = await app.http().get(`/api/events/slug/${pushedSlug}`).query({ locale: 'da' });
    expect(bySlug.status).toBe(200);
    expect(bySlug.body.data.documentId).toBe(debate);
    const gqlSlug = await app.graphql(`query ($slug: String!) { eventBySlug(slug: $slug) { documentId } }`, { slug: pushedSlug });
    expect(gqlSlug.body.data).toEqual({ eventBySlug: { documentId: debate } });
  });
});

describe('merging an organisation', () => {
  let keep: string;
  let duplicate: string;
  let unit: string;
  let person: string;
  let event: string;

  async function organisation(name: string, data: SomeFields<typeof ORGANISATION> = {}): Promise<string> {
    const organisations = app.strapi.documents(ORGANISATION);
    const created = await organisations.create({ locale: 'da', data: someFields(ORGANISATION, { name, kind: 'association', ...data }) });
    await organisations.update({ documentId: created.documentId, locale: 'en', data: someFields(ORGANISATION, { name, kind: 'association', ...data }) });
    await organisations.publish({ documentId: created.documentId, locale: '*' });
    return created.documentId;
  }

  beforeAll(async () => {
    duplicate = await organisation('Testforeningen (TF)');
    // The kept one's parent is the duplicate: after the merge it would be its own parent.
    keep = await organisation('Testforeningen', { parent: duplicate });
    unit = await organisation('Testforeningens analyseenhed', { parent: duplicate });
    const people = app.strapi.documents(PERSON);
    const affiliation = { title: 'Økonom', organisation: duplicate, kind: 'employment', current: true };
    person = (await people.create({ locale: 'da', data: someFields(PERSON, { name: 'Tove Testesen', affiliations: [affiliation] }) })).documentId;
    await people.update({ documentId: person, locale: 'en', data: someFields(PERSON, { name: 'Tove Testesen', affiliations: [{ ...affiliation, title: 'Economist' }] }) });
    await people.publish({ documentId: person, locale: '*' });
    const events = app.strapi.documents(EVENT);
    const data = { startsAt: '2023-06-18T10:00:00Z', kind: 'debate', organisers: [keep, duplicate] };
    event = (await events.create({ locale: 'da', data: someFields(EVENT, { ...data, title: 'Testforeningen inviterer' }) })).documentId;
    await events.update({ documentId: event, locale: 'en', data: someFields(EVENT, { ...data, title: 'Testforeningen invites' }) });
    await events.publish({ documentId: event, locale: '*' });
    const response = await merge(editor, await mergeBody('organisation', keep, duplicate, ORGANISATION));
    expect(response.status).toBe(200);
    expect((response.body.data as MergeResult).affected.map((a) => a.documentId).sort()).toEqual([event, person, unit].sort());
  });

  it('moves affiliations (a component), organisers (once) and units to the kept organisation; it is not its own parent', async () => {
    for (const locale of ['da', 'en']) {
      const p = await app.http().get(`/api/people/${person}`).query({ locale, populate: { affiliations: { populate: ['organisation'] } } });
      expect(p.body.data.affiliations.map((a: { organisation: { documentId: string } | null }) => a.organisation?.documentId)).toEqual([keep]);
      const e = await app.http().get(`/api/events/${event}`).query({ locale, populate: { organisers: { fields: ['name'] } } });
      expect(e.body.data.organisers.map((o: { documentId: string }) => o.documentId)).toEqual([keep]);
      const u = await app.http().get(`/api/organisations/${unit}`).query({ locale, populate: { parent: { fields: ['name'] } } });
      expect(u.body.data.parent?.documentId).toBe(keep);
      const k = await app.http().get(`/api/organisations/${keep}`).query({ locale, populate: { parent: { fields: ['name'] } } });
      expect(k.body.data.parent).toBeNull();
    }
    expect(await rowsOf(app, ORGANISATION, duplicate)).toEqual([]);
    expect((await app.http().get(`/api/organisations/${duplicate}`).query({ locale: 'en' })).body.data.documentId).toBe(keep);
  });
});

describe('bad input changes nothing', () => {
  let x: string;
  let y: string;
  let organisation: string;

  beforeAll(async () => {
    x = await makePerson(app, 'Xenia Eksempel');
    y = await makePerson(app, 'Yrsa Eksempel');
    organisation = (await app.strapi.db.query(ORGANISATION).findOne({ select: ['documentId'], where: { locale: 'da' } })).documentId;
  });

  const cases: Array<[string, () => Promise<unknown>, number, string, RegExp]> = [
    ['a document into itself', async () => ({ ...(await mergeBody('person', x, x, PERSON)) }), 400, 'same-document', /into itself/],
    ['across types', async () => ({ type: 'person', keep: { documentId: x, updatedAt: await versionOf(app, PERSON, x) }, merge: { documentId: organisation, updatedAt: await versionOf(app, ORGANISATION, organisation) } }), 400, 'across-types', /is a organisation, not a person/],
    ['across locales', async () => {
      const body = await mergeBody('person', x, y, PERSON);
      return { ...body, keep: { ...body.keep, locale: 'da' }, merge: { ...body.merge, locale: 'en' } };
    }, 400, 'across-locales', /across locales/],
    ['a stale version', async () => {
      const body = await mergeBody('person', x, y, PERSON);
      return { ...body, merge: { ...body.merge, updatedAt: '2020-01-01T00:00:00.000Z' } };
    }, 409, 'stale', /changed since you reviewed it/],
    ['no version', async () => ({ type: 'person', keep: { documentId: x }, merge: { documentId: y } }), 400, 'version-required', /keep.updatedAt is required/],
    ['an unknown documentId', async () => ({ ...(await mergeBody('person', x, y, PERSON)), merge: { documentId: 'nosuchdocument000000000000', updatedAt: '2020-01-01T00:00:00.000Z' } }), 404, 'not-found', /no person with documentId nosuchdocument/],
    ['a type that is not merged', async () => ({ ...(await mergeBody('person', x, y, PERSON)), type: 'article' }), 400, 'bad-type', /type must be one of event, person, organisation/],
    ['no documentId', async () => ({ type: 'person', keep: { documentId: x } }), 400, 'bad-request', /merge.documentId is required/],
  ];

  it.each(cases)('refuses %s with a 4xx naming the problem', async (_name, body, status, code, message) => {
    const before = await snapshot(app);
    const versions = [await versionOf(app, PERSON, x), await versionOf(app, PERSON, y)];
    const response = await merge(editor, await body());
    expect([response.status, response.body.error?.details?.code]).toEqual([status, code]);
    expect(response.body.data).toBeNull();
    expect(response.body.error.message).toMatch(message);
    expect(await snapshot(app)).toEqual(before);
    expect([await versionOf(app, PERSON, x), await versionOf(app, PERSON, y)]).toEqual(versions);
  });

  it('refuses a stale version after a real edit, naming the changed side', async () => {
    const body = await mergeBody('person', x, y, PERSON);
    await app.strapi.documents(PERSON).update({ documentId: y, locale: 'da', data: someFields(PERSON, { bio: 'Rettet imens.' }) });
    const before = await snapshot(app);
    const response = await merge(editor, body);
    expect(response.status).toBe(409);
    expect(response.body.error.details).toMatchObject({ code: 'stale', field: 'merge.updatedAt' });
    expect(await snapshot(app)).toEqual(before);
  });
});

describe('permission', () => {
  it('lets an Author neither list, merge nor dismiss (403), and anonymous callers not at all (401)', async () => {
    const x = await makePerson(app, 'Zacharias Eksempel');
    const y = await makePerson(app, 'Zenia Eksempel');
    const before = await snapshot(app);
    expect((await author.get('/admin/duplicates/candidates')).status).toBe(403);
    expect((await merge(author, await mergeBody('person', x, y, PERSON))).status).toBe(403);
    expect((await author.post('/admin/duplicates/candidates/1/dismiss', {})).status).toBe(403);
    expect((await author.post('/admin/duplicates/candidates/1/merge', {})).status).toBe(403);
    expect((await author.get(`/admin/duplicates/documents/person/${x}`)).status).toBe(403);
    expect((await app.http().post('/admin/duplicates/merge').send(await mergeBody('person', x, y, PERSON))).status).toBe(401);
    expect(await snapshot(app)).toEqual(before);
    const editorView = await editor.get(`/admin/duplicates/documents/person/${x}`);
    expect(editorView.status).toBe(200);
    expect(editorView.body.data).toMatchObject({ documentId: x, label: 'Zacharias Eksempel', published: true, updatedAt: await versionOf(app, PERSON, x) });
  });
});
