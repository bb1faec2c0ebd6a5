/**
 * A merge that loses nothing (issue 26, item 1), for each type the review queue merges (person,
 * event, organisation): the editor reads both documents side by side (GET
 * /admin/duplicates/compare), chooses the document to keep and each differing field's value;
 * after the merge every relation, component, locale, media file and field value of both
 * documents is on the kept one (same locale, draft and published) or listed as dropped in the
 * merge record; references into the merged one point at the kept one; a locale only the merged
 * one had is the kept one's. Undoing it (POST /admin/duplicates/merges/:id/undo) gives back the
 * public REST and GraphQL answers byte for byte, slugs included, and every table's row count
 * but the logs'; the feed reports the merged document published again.
 */
import type { UID } from '@strapi/strapi';
import { startApp, type JsonBody, type TestApp } from '../helpers/app';
import type { AdminSession } from '../helpers/admin';
import { looseDocuments } from '../helpers/documents';
import { createSubscription } from '../../src/lib/webhooks/subscriptions';
import { ARTICLE, EVENT, feedAfter, ORGANISATION, PERSON, QUOTE, sessions } from './shared';
import { graphqlText, inventory, restText, tableCounts, unaccounted, withoutLogs, type Dropped } from './accounting';

let app: TestApp;
let editor: AdminSession;

beforeAll(async () => {
  app = await startApp({ seed: true });
  ({ editor } = await sessions(app));
  // Every change from here on is also a webhook delivery to one subscriber.
  await createSubscription(app.strapi.db.connection, { kind: 'integration', key: 'lossless-merge' }, { url: 'https://hooks.example.com/merge' });
});
afterAll(async () => {
  await app?.stop();
});

const PLURAL: Record<string, string> = { person: 'people', event: 'events', organisation: 'organisations' };
const UIDS: Record<string, string> = { person: PERSON, event: EVENT, organisation: ORGANISATION };
const GRAPHQL_FIELDS: Record<string, string> = {
  person: 'documentId name slug bio locale updatedAt photo { url name } affiliations { title kind current organisation { documentId name } }',
  event:
    'documentId title slug summary startsAt programmeUrl locale updatedAt venue { documentId name } organisers { documentId name } topics { documentId name } participants { part person { documentId name } } parent { documentId title }',
  organisation: 'documentId name shortName slug kind website aliases locale updatedAt logo { url name } parent { documentId name }',
};

/** A file row (an upload's record; no bytes needed to link it). */
async function file(name: string): Promise<number> {
  const created = (await app.strapi.db.query('plugin::upload.file').create({
    data: { name, hash: name.replace(/\W/g, '_'), ext: '.png', mime: 'image/png', size: 1.5, width: 10, height: 10, url: `/uploads/${name}`, provider: 'local' },
  })) as { id: number };
  return created.id;
}

/** A document in the given locales (the first made, the others added), published in all unless `draft`. */
async function make(uid: string, byLocale: Record<string, Record<string, unknown>>, options: { draft?: boolean } = {}): Promise<string> {
  const documents = looseDocuments(app.strapi, uid);
  const [first, ...others] = Object.keys(byLocale);
  const created = await documents.create({ locale: first, data: byLocale[first!] });
  for (const locale of others) await documents.update({ documentId: created.documentId, locale, data: byLocale[locale] });
  if (!options.draft) await documents.publish({ documentId: created.documentId, locale: '*' });
  return created.documentId;
}

const slugsOf = async (uid: string, documentId: string) =>
  (await app.strapi.db.query(uid as UID.ContentType).findMany({ select: ['slug', 'locale'], where: { documentId, publishedAt: { $notNull: true } } })) as Array<{ slug: string; locale: string }>;

/** What a front end reads of these documents: REST by documentId and by each published slug, GraphQL; both locales. */
async function publicAnswers(type: string, documentIds: string[], slugs: Array<{ slug: string; locale: string }>, others: string[]): Promise<Record<string, string>> {
  const answers: Record<string, string> = {};
  for (const documentId of documentIds) {
    for (const locale of ['da', 'en']) {
      answers[`rest ${documentId} ${locale}`] = await restText(app, `/api/${PLURAL[type]}/${documentId}`, { locale });
      answers[`graphql ${documentId} ${locale}`] = await graphqlText(app, `{ ${type}(documentId: "${documentId}", locale: "${locale}") { ${GRAPHQL_FIELDS[type]} } }`);
    }
  }
  for (const { slug, locale } of slugs) answers[`slug ${slug} ${locale}`] = await restText(app, `/api/${PLURAL[type]}/slug/${slug}`, { locale });
  for (const path of others) for (const locale of ['da', 'en']) answers[`rest ${path} ${locale}`] = await restText(app, path, { locale });
  return answers;
}

interface Scenario {
  type: 'person' | 'event' | 'organisation';
  keep: string;
  merge: string;
  choices: Record<string, unknown>;
  /** Paths of the documents pointing at either (REST), to compare before and after. */
  referrers: string[];
}

interface Outcome {
  before: { keep: Map<string, Set<string>>; merge: Map<string, Set<string>> };
  comparison: JsonBody;
  merged: JsonBody;
  keptAfter: Map<string, Set<string>>;
  record: JsonBody;
  answers: { before: Record<string, string>; merged: Record<string, string>; undone: Record<string, string> };
  counts: { before: Record<string, number>; undone: Record<string, number> };
  slugs: Array<{ slug: string; locale: string }>;
  undo: JsonBody;
  feed: JsonBody[];
  /** The webhook deliveries the undo queued: their `data`. */
  webhooks: JsonBody[];
}

/** Reads, compares, merges with the choices, reads, undoes, reads. */
async function mergeAndUndo(scenario: Scenario): Promise<Outcome> {
  const uid = UIDS[scenario.type]!;
  const slugs = [...(await slugsOf(uid, scenario.keep)), ...(await slugsOf(uid, scenario.merge))];
  const before = { keep: await inventory(app, uid, scenario.keep), merge: await inventory(app, uid, scenario.merge) };
  const answersBefore = await publicAnswers(scenario.type, [scenario.keep, scenario.merge], slugs, scenario.referrers);
  const countsBefore = await tableCounts(app);

  const compared = await editor.get(`/admin/duplicates/compare/${scenario.type}?keep=${scenario.keep}&merge=${scenario.merge}`);
  expect(compared.status).toBe(200);
  const comparison = compared.body.data;
  const response = await editor.post('/admin/duplicates/merge', {
    type: scenario.type,
    keep: { documentId: scenario.keep, updatedAt: comparison.keep.updatedAt },
    merge: { documentId: scenario.merge, updatedAt: comparison.merge.updatedAt },
    choices: scenario.choices,
  });
  expect([response.status, response.body.error]).toEqual([200, undefined]);
  const merged = response.body.data;
  const keptAfter = await inventory(app, uid, scenario.keep);
  const record = (await editor.get(`/admin/duplicates/merges/${merged.mergeRecord.id}`)).body.data;
  const answersMerged = await publicAnswers(scenario.type, [scenario.keep, scenario.merge], slugs, scenario.referrers);

  const { cursor } = await feedAfter(app);
  const [last] = await app.strapi.db.connection('webhook_deliveries').max({ id: 'id' });
  const undone = await editor.post(`/admin/duplicates/merges/${merged.mergeRecord.id}/undo`, {});
  expect([undone.status, undone.body.error]).toEqual([200, undefined]);
  const feed = (await feedAfter(app, cursor)).items;
  const deliveries = (await app.strapi.db.connection('webhook_deliveries').where('id', '>', Number((last as { id: number | null }).id ?? 0))) as Array<{ payload: string }>;
  return {
    before,
    comparison,
    merged,
    keptAfter,
    record,
    answers: { before: answersBefore, merged: answersMerged, undone: await publicAnswers(scenario.type, [scenario.keep, scenario.merge], slugs, scenario.referrers) },
    counts: { before: countsBefore, undone: await tableCounts(app) },
    slugs,
    undo: undone.body.data,
    feed,
    webhooks: deliveries.map((delivery) => (JSON.parse(delivery.payload) as { data: JsonBody }).data),
  };
}

const field = (comparison: JsonBody, name: string, locale: string | null = null) => comparison.fields.find((entry: JsonBody) => entry.field === name && entry.locale === locale);

/** The checks every type shares: nothing unaccounted for, the undo gives everything back. */
function sharedChecks(get: () => { scenario: Scenario; outcome: Outcome }) {
  it('accounts for every field, relation, component, file and locale of both documents: on the kept one, or dropped in the merge record', () => {
    const { scenario, outcome } = get();
    const uid = UIDS[scenario.type]!;
    const dropped = outcome.record.summary.dropped as Dropped[];
    expect(outcome.record.summary.dropped).toEqual(outcome.merged.dropped);
    expect(unaccounted(app, uid, outcome.before.keep, outcome.keptAfter, dropped)).toEqual([]);
    expect(unaccounted(app, uid, outcome.before.merge, outcome.keptAfter, dropped)).toEqual([]);
    // Every locale (and published state) of either is the kept one's now.
    for (const key of [...outcome.before.keep.keys(), ...outcome.before.merge.keys()]) expect([key, outcome.keptAfter.has(key)]).toEqual([key, true]);
  });

  it('answers differently after the merge: the merged documentId reads the kept document', () => {
    const { scenario, outcome } = get();
    expect(outcome.answers.merged).not.toEqual(outcome.answers.before);
    expect(JSON.parse(outcome.answers.merged[`rest ${scenario.merge} da`]!.slice(4)).data.documentId).toBe(scenario.keep);
  });

  it('undoes it: every public REST and GraphQL answer, slugs included, byte for byte as before the merge', () => {
    const { outcome } = get();
    expect(outcome.answers.undone).toEqual(outcome.answers.before);
    expect(outcome.undo).toMatchObject({ record: { state: 'undone' }, notRestored: [] });
  });

  it('undoes it: every table has the rows it had before the merge (but the logs)', () => {
    const { outcome } = get();
    expect(withoutLogs(outcome.counts.undone)).toEqual(withoutLogs(outcome.counts.before));
    expect(outcome.counts.undone.merge_records).toBe(outcome.counts.before.merge_records! + 1);
  });

  it('reports the undo in the feed and to webhooks: the merged document published again, the kept one updated', () => {
    const { scenario, outcome } = get();
    for (const items of [outcome.feed, outcome.webhooks]) {
      const merged = items.filter((item) => item.documentId === scenario.merge).map((item) => [item.action, item.locale]);
      expect(merged).toEqual(expect.arrayContaining([['published', 'da']]));
      const kept = items.filter((item) => item.documentId === scenario.keep);
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.every((item) => ['updated', 'deleted', 'unpublished'].includes(item.action as string))).toBe(true);
    }
  });

  it('refuses a second undo (409 already-undone) and changes nothing', async () => {
    const { outcome } = get();
    const counts = await tableCounts(app);
    const again = await editor.post(`/admin/duplicates/merges/${outcome.merged.mergeRecord.id}/undo`, {});
    expect([again.status, again.body.error?.details?.code]).toEqual([409, 'already-undone']);
    expect(again.body.error.message).toMatch(/was undone at/);
    expect(await tableCounts(app)).toEqual(counts);
  });
}

describe('merging two people', () => {
  const scenario = {} as Scenario;
  let outcome: Outcome;
  let orgs: { a: string; b: string };
  let photos: { a: number; b: number };

  beforeAll(async () => {
    orgs = {
      a: await make(ORGANISATION, { da: { name: 'Indkøbsrådet', kind: 'association' }, en: { name: 'The Procurement Council', kind: 'association' } }),
      b: await make(ORGANISATION, { da: { name: 'Region Syd', kind: 'region' }, en: { name: 'Region South', kind: 'region' } }),
    };
    photos = { a: await file('lone-a.png'), b: await file('lone-b.png') };
    const director = { title: 'Direktør', organisation: orgs.a, kind: 'employment', current: true };
    scenario.type = 'person';
    scenario.keep = await make(PERSON, {
      da: { name: 'Lone Kjær', bio: 'Direktør i Indkøbsrådet.', email: 'lone@example.dk', photo: photos.a, affiliations: [director] },
      en: { name: 'Lone Kjær', bio: 'Director of the Procurement Council.', affiliations: [{ ...director, title: 'Director' }] },
    });
    scenario.merge = await make(PERSON, {
      da: {
        name: 'Lone Kjaer',
        bio: 'Lone Kjaer leder Indkøbsrådet og sidder i Region Syds bestyrelse.',
        photo: photos.b,
        affiliations: [
          { ...director, title: 'direktør', current: false },
          { title: 'Bestyrelsesmedlem', organisation: orgs.b, kind: 'board', current: true },
        ],
      },
      en: { name: 'Lone Kjaer', bio: 'Director.', affiliations: [{ title: 'Board member', organisation: orgs.b, kind: 'board', current: true }] },
    });
    // References into the merged person: an article by her, a quote, an event she speaks at.
    const article = (await app.strapi.db.query(ARTICLE as UID.ContentType).findOne({ select: ['documentId'], where: { locale: 'da', publishedAt: { $notNull: true } } })) as { documentId: string };
    const articles = looseDocuments(app.strapi, ARTICLE);
    for (const locale of ['da', 'en']) await articles.update({ documentId: article.documentId, locale, data: { authors: { connect: [scenario.merge] } } });
    await articles.publish({ documentId: article.documentId, locale: '*' });
    const quote = await make(QUOTE, { da: { text: 'Vi skal købe klogere ind.', person: scenario.merge }, en: { text: 'We must buy smarter.', person: scenario.merge } });
    const event = await make(EVENT, {
      da: { title: 'Indkøb med Lone', startsAt: '2023-06-17T10:00:00Z', kind: 'debate', participants: [{ person: scenario.merge, part: 'speaker' }] },
      en: { title: 'Procurement with Lone', startsAt: '2023-06-17T10:00:00Z', kind: 'debate', participants: [{ person: scenario.merge, part: 'speaker' }] },
    });
    scenario.referrers = [`/api/articles/${article.documentId}`, `/api/quotes/${quote}`, `/api/events/${event}`];
    // The editor keeps the first, takes the other's spelling of the name and bio (Danish), keeps the first's photo.
    scenario.choices = { fields: { name: 'merge', photo: 'keep' }, locales: { da: { bio: 'merge' } } };
    outcome = await mergeAndUndo(scenario);
  });

  it('shows both side by side, per locale, with what differs and the versions to send back', () => {
    const { comparison } = outcome;
    expect(comparison.keep).toMatchObject({ documentId: scenario.keep, label: 'Lone Kjær', locales: [{ locale: 'da', published: true }, { locale: 'en', published: true }] });
    expect(comparison.merge).toMatchObject({ documentId: scenario.merge, label: 'Lone Kjaer' });
    expect(comparison.locales).toEqual({ shared: ['da', 'en'], onlyKeep: [], onlyMerge: [] });
    expect(comparison.differences).toEqual(expect.arrayContaining(['name', 'photo', 'email', 'bio@da', 'bio@en', 'affiliations@da', 'affiliations@en']));
    expect(field(comparison, 'name')).toMatchObject({ kind: 'scalar', localized: false, choices: ['keep', 'merge'], default: 'keep', keep: { draft: 'Lone Kjær', published: 'Lone Kjær' }, merge: { draft: 'Lone Kjaer' } });
    expect(field(comparison, 'photo')).toMatchObject({ kind: 'media', keep: { draft: { id: photos.a, name: 'lone-a.png' } }, merge: { draft: { id: photos.b } } });
    expect(field(comparison, 'affiliations', 'da')).toMatchObject({ kind: 'component', multiple: true, choices: ['keep', 'merge', 'both'], default: 'both' });
    expect(field(comparison, 'affiliations', 'da').merge.draft[1]).toMatchObject({ title: 'Bestyrelsesmedlem', organisation: { documentId: orgs.b, label: 'Region Syd' } });
  });

  it('takes the chosen name spelling and bio, keeps the chosen photo, and combines affiliations without doubles', () => {
    const da = outcome.keptAfter.get('da|published')!;
    expect(da).toContain('name="Lone Kjaer"');
    expect(da).toContain(`photo#${photos.a}`);
    expect(da).toContain('bio="Lone Kjaer leder Indkøbsrådet og sidder i Region Syds bestyrelse."');
    expect([...outcome.keptAfter.get('en|published')!].filter((item) => item.startsWith('bio='))).toEqual(['bio="Director of the Procurement Council."']);
    expect([...da].filter((item) => item.startsWith('affiliations:')).map((item) => JSON.parse(item.slice('affiliations:'.length)).title)).toEqual(['Direktør', 'Bestyrelsesmedlem']);
    expect(outcome.merged.decisions).toEqual(
      expect.arrayContaining([
        { field: 'name', locale: null, choice: 'merge', chosen: true, differs: true },
        { field: 'photo', locale: null, choice: 'keep', chosen: true, differs: true },
        { field: 'affiliations', locale: 'da', choice: 'both', chosen: false, differs: true },
        { field: 'email', locale: null, choice: 'keep', chosen: false, differs: true },
      ]),
    );
    expect(outcome.merged.dropped).toEqual(
      expect.arrayContaining([
        { field: 'name', locale: null, from: 'keep', value: 'Lone Kjær', reason: 'other-side-chosen' },
        expect.objectContaining({ field: 'photo', locale: null, from: 'merge', value: expect.objectContaining({ id: photos.b }) }),
        expect.objectContaining({ field: 'affiliations', locale: 'da', from: 'merge', reason: 'same-item-kept', value: expect.objectContaining({ title: 'direktør', current: false }) }),
      ]),
    );
  });

  sharedChecks(() => ({ scenario, outcome }));
});

describe('merging two events', () => {
  const scenario = {} as Scenario;
  let outcome: Outcome;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const venues = looseDocuments(app.strapi, 'api::venue.venue');
    for (const name of ['Telt A', 'Telt B']) {
      const venue = await venues.create({ locale: 'da', data: { name, city: 'Allinge' } });
      await venues.update({ documentId: venue.documentId, locale: 'en', data: { name: `${name} (en)` } });
      ids[name] = venue.documentId;
    }
    for (const [name, en] of [
      ['Indkøb', 'Procurement'],
      ['Sundhed', 'Health'],
    ] as const) ids[name] = await make('api::topic.topic', { da: { name }, en: { name: en } });
    for (const name of ['Arrangør Et', 'Arrangør To']) ids[name] = await make(ORGANISATION, { da: { name, kind: 'association' }, en: { name, kind: 'association' } });
    for (const name of ['Per Panel', 'Mona Moderator']) ids[name] = await make(PERSON, { da: { name }, en: { name } });
    ids.festival = await make(EVENT, { da: { title: 'Festivalen', startsAt: '2023-06-15T08:00:00Z', kind: 'festival' }, en: { title: 'The festival', startsAt: '2023-06-15T08:00:00Z', kind: 'festival' } });
    const start = '2023-06-16T13:00:00Z';
    const keep = (locale: string) => ({
      title: locale === 'da' ? 'Indkøb der virker' : 'Procurement that works',
      summary: locale === 'da' ? 'En debat.' : 'A debate.',
      startsAt: start,
      kind: 'debate',
      venue: ids['Telt A'],
      organisers: [ids['Arrangør Et']],
      topics: [ids['Indkøb']],
      participants: [{ person: ids['Per Panel'], part: 'speaker' }],
    });
    const merge = (locale: string) => ({
      title: locale === 'da' ? 'Indkøb, der virker' : 'Procurement that works (partner)',
      summary: locale === 'da' ? 'En debat om indkøb.' : 'A debate on procurement.',
      startsAt: start,
      kind: 'debate',
      programmeUrl: 'https://example.org/program',
      venue: ids['Telt B'],
      organisers: [ids['Arrangør Et'], ids['Arrangør To']],
      topics: [ids['Sundhed']],
      parent: ids.festival,
      participants: [
        { person: ids['Per Panel'], part: 'panelist' },
        { person: ids['Mona Moderator'], part: 'moderator' },
      ],
    });
    scenario.type = 'event';
    scenario.keep = await make(EVENT, { da: keep('da'), en: keep('en') });
    scenario.merge = await make(EVENT, { da: merge('da'), en: merge('en') });
    // References into the merged event: a sub-event and a quote.
    const sub = await make(EVENT, {
      da: { title: 'Delsession', startsAt: '2023-06-16T14:00:00Z', kind: 'workshop', parent: scenario.merge },
      en: { title: 'Breakout', startsAt: '2023-06-16T14:00:00Z', kind: 'workshop', parent: scenario.merge },
    });
    const quote = await make(QUOTE, { da: { text: 'Sagt til debatten.', person: ids['Per Panel'], event: scenario.merge }, en: { text: 'Said at the debate.', person: ids['Per Panel'], event: scenario.merge } });
    scenario.referrers = [`/api/events/${sub}`, `/api/quotes/${quote}`, `/api/organisations/${ids['Arrangør To']}`, `/api/events/${ids.festival}`];
    // The merged event's venue in both locales; its Danish title; the rest as the defaults have it.
    scenario.choices = { locales: { da: { venue: 'merge', title: 'merge' }, en: { venue: 'merge' } } };
    outcome = await mergeAndUndo(scenario);
  });

  it('combines organisers, topics and participants (one per person: the kept one’s part), takes the chosen venue, fills the empty programme URL and parent', () => {
    for (const key of ['da|draft', 'da|published', 'en|draft', 'en|published']) {
      const items = [...outcome.keptAfter.get(key)!];
      expect(items.filter((item) => item.startsWith('organisers->'))).toEqual([`organisers->${ids['Arrangør Et']}`, `organisers->${ids['Arrangør To']}`]);
      expect(items.filter((item) => item.startsWith('topics->'))).toEqual([`topics->${ids['Indkøb']}`, `topics->${ids['Sundhed']}`]);
      expect(items.filter((item) => item.startsWith('venue->'))).toEqual([`venue->${ids['Telt B']}`]);
      expect(items.filter((item) => item.startsWith('parent->'))).toEqual([`parent->${ids.festival}`]);
      expect(items).toContain('programmeUrl="https://example.org/program"');
      expect(items.filter((item) => item.startsWith('participants:')).map((item) => JSON.parse(item.slice('participants:'.length)))).toEqual([
        expect.objectContaining({ part: 'speaker', person: { documentId: ids['Per Panel'] } }),
        expect.objectContaining({ part: 'moderator', person: { documentId: ids['Mona Moderator'] } }),
      ]);
    }
    expect(outcome.keptAfter.get('da|draft')).toContain('title="Indkøb, der virker"');
    expect(outcome.keptAfter.get('en|draft')).toContain('title="Procurement that works"');
    expect(outcome.merged.dropped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'venue', locale: 'da', from: 'keep', value: expect.objectContaining({ documentId: ids['Telt A'] }) }),
        expect.objectContaining({ field: 'participants', locale: 'da', from: 'merge', reason: 'same-item-kept', value: expect.objectContaining({ part: 'panelist' }) }),
      ]),
    );
  });

  it('moves the references into the merged event (its sub-event, a quote) to the kept one', () => {
    const sub = JSON.parse(outcome.answers.merged[`rest ${scenario.referrers[0]} da`]!.slice(4)).data;
    expect(sub.parent?.documentId).toBe(scenario.keep);
  });

  sharedChecks(() => ({ scenario, outcome }));
});

describe('merging two organisations, one with a locale the other lacks', () => {
  const scenario = {} as Scenario;
  let outcome: Outcome;
  const ids: Record<string, string> = {};
  let logos: { a: number; b: number };

  beforeAll(async () => {
    logos = { a: await file('tf-a.png'), b: await file('tf-b.png') };
    ids.parent = await make(ORGANISATION, { da: { name: 'Moderforeningen', kind: 'association' }, en: { name: 'The parent association', kind: 'association' } });
    scenario.type = 'organisation';
    // Kept: Danish only. Merged: Danish and English.
    scenario.keep = await make(ORGANISATION, { da: { name: 'Testforeningen', shortName: 'TF', kind: 'association', logo: logos.a, aliases: ['TF'] } });
    scenario.merge = await make(ORGANISATION, {
      da: { name: 'Testforeningen (TF)', shortName: 'T.F.', kind: 'association', website: 'https://tf.example.org', logo: logos.b, aliases: ['Testforeningen'], parent: ids.parent },
      en: { name: 'The Test Association', shortName: 'T.F.', kind: 'association', website: 'https://tf.example.org', logo: logos.b, aliases: ['Testforeningen'], parent: ids.parent },
    });
    // References into the merged one: a person's affiliation, an event's organisers, a unit.
    ids.person = await make(PERSON, {
      da: { name: 'Tove Testesen', affiliations: [{ title: 'Økonom', organisation: scenario.merge, kind: 'employment', current: true }] },
      en: { name: 'Tove Testesen', affiliations: [{ title: 'Economist', organisation: scenario.merge, kind: 'employment', current: true }] },
    });
    ids.event = await make(EVENT, {
      da: { title: 'TF inviterer', startsAt: '2023-06-18T10:00:00Z', kind: 'debate', organisers: [scenario.merge] },
      en: { title: 'TF invites', startsAt: '2023-06-18T10:00:00Z', kind: 'debate', organisers: [scenario.merge] },
    });
    ids.unit = await make(ORGANISATION, { da: { name: 'TF Analyse', kind: 'research', parent: scenario.merge }, en: { name: 'TF Analysis', kind: 'research', parent: scenario.merge } });
    scenario.referrers = [`/api/people/${ids.person}`, `/api/events/${ids.event}`, `/api/organisations/${ids.unit}`, `/api/organisations/${ids.parent}`];
    scenario.choices = { fields: { logo: 'merge', aliases: 'merge' } };
    outcome = await mergeAndUndo(scenario);
  });

  it('shows the English locale as the merged one’s only, with nothing to choose there', () => {
    expect(outcome.comparison.locales).toEqual({ shared: ['da'], onlyKeep: [], onlyMerge: ['en'] });
    expect(field(outcome.comparison, 'name', 'en')).toMatchObject({ choices: [], default: null, keep: null, merge: { draft: 'The Test Association', published: 'The Test Association' } });
  });

  it('makes the merged one’s English locale the kept one’s, draft and published, with the kept values of fields shared by all locales', () => {
    const en = outcome.keptAfter.get('en|published')!;
    expect(en).toContain('name="The Test Association"');
    expect(en).toContain(`parent->${ids.parent}`);
    expect(en).toContain('shortName="TF"');
    expect(en).toContain(`logo#${logos.b}`);
    expect(en).toContain('aliases=["Testforeningen"]');
    expect(en).toContain('website="https://tf.example.org"');
    expect(outcome.merged).toMatchObject({ addedLocales: ['en'], publishedLocales: [] });
    expect(outcome.keptAfter.get('da|published')).toContain(`parent->${ids.parent}`);
  });

  it('moves the references into the merged organisation to the kept one, in both locales', () => {
    for (const locale of ['da', 'en']) {
      const person = JSON.parse(outcome.answers.merged[`rest /api/people/${ids.person} ${locale}`]!.slice(4)).data;
      expect(person.affiliations.map((affiliation: JsonBody) => affiliation.organisation?.documentId)).toEqual([scenario.keep]);
      const unit = JSON.parse(outcome.answers.merged[`rest /api/organisations/${ids.unit} ${locale}`]!.slice(4)).data;
      expect(unit.parent?.documentId).toBe(scenario.keep);
    }
  });

  sharedChecks(() => ({ scenario, outcome }));
});

describe('undoing after documents the merged one linked to changed', () => {
  let keep: string;
  let gone: string;
  let republished: string;
  let deleted: string;
  let undo: JsonBody;

  beforeAll(async () => {
    republished = await make(ORGANISATION, { da: { name: 'Genudgivet Forening', kind: 'association' }, en: { name: 'Republished Association', kind: 'association' } });
    deleted = await make('api::topic.topic', { da: { name: 'Slettet emne' }, en: { name: 'Deleted topic' } });
    const data = (title: string) => ({ title, startsAt: '2023-06-19T10:00:00Z', kind: 'debate' });
    keep = await make(EVENT, { da: data('Mødet'), en: data('The meeting') });
    gone = await make(EVENT, { da: { ...data('Mødet (partner)'), organisers: [republished], topics: [deleted] }, en: { ...data('The meeting (partner)'), organisers: [republished], topics: [deleted] } });
    const read = (await editor.get(`/admin/duplicates/compare/event?keep=${keep}&merge=${gone}`)).body.data;
    const merged = await editor.post('/admin/duplicates/merge', { type: 'event', keep: { documentId: keep, updatedAt: read.keep.updatedAt }, merge: { documentId: gone, updatedAt: read.merge.updatedAt } });
    expect(merged.status).toBe(200);
    // After the merge: the organisation is published again (its published rows are new ones), the topic is deleted.
    await looseDocuments(app.strapi, ORGANISATION).update({ documentId: republished, locale: 'da', data: { shortName: 'GF' } });
    await looseDocuments(app.strapi, ORGANISATION).publish({ documentId: republished, locale: '*' });
    await looseDocuments(app.strapi, 'api::topic.topic').delete({ documentId: deleted, locale: '*' });
    const response = await editor.post(`/admin/duplicates/merges/${merged.body.data.mergeRecord.id}/undo`, {});
    expect([response.status, response.body.error]).toEqual([200, undefined]);
    undo = response.body.data;
  });

  it('links the merged event again to the organisation as it is published now', async () => {
    for (const locale of ['da', 'en']) {
      const back = await app.http().get(`/api/events/${gone}`).query({ locale, populate: { organisers: { fields: ['name', 'shortName'] } } });
      expect(back.status).toBe(200);
      expect(back.body.data.organisers.map((organiser: JsonBody) => [organiser.documentId, organiser.shortName])).toEqual([[republished, 'GF']]);
      const kept = await app.http().get(`/api/events/${keep}`).query({ locale, populate: ['organisers', 'topics'] });
      expect([kept.body.data.organisers, kept.body.data.topics]).toEqual([[], []]);
    }
  });

  it('says which links could not come back: the deleted topic’s', () => {
    expect(undo.notRestored.length).toBeGreaterThan(0);
    expect(undo.notRestored.every((entry: JsonBody) => entry.table === 'events_topics_lnk' && /is gone/.test(entry.reason as string))).toBe(true);
  });
});
