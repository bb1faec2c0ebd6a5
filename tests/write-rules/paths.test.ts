/**
 * One registry of write rules (src/lib/write-rules/, issue 25 part 2): the Document Service's
 * `write-rules` middleware and the partners' bulk writer (src/api/partner/sync/document-writer.ts)
 * run the same registered rules. A new event, person, organisation and venue are written both
 * ways, and the rules each path ran for each type are compared: a rule that reached one path and
 * not the other would show here. A rule that names one path only is refused when registered,
 * which is how the app registers its rules at boot.
 */
import type { Knex } from 'knex';
import { appModule, startApp, type TestApp } from '../helpers/app';
import { createPartner, type TestPartner } from '../helpers/partners';
import { looseDocuments } from '../helpers/documents';
import type * as Registry from '../../src/lib/write-rules/registry';
import type * as Order from '../../src/lib/write-rules/order';
import type * as DocumentWriter from '../../src/api/partner/sync/document-writer';
import type * as EventRules from '../../src/api/event/document-rules';
import type * as Slugs from '../../src/features/editorial/slug/document-slugs';
import type * as DynamicZones from '../../src/lib/validation/dynamic-zones';
import type * as DisplayFields from '../../src/api/person/display-fields';
import type * as PublicChanges from '../../src/lib/sync/public-changes';

const EVENT = 'api::event.event';
const PERSON = 'api::person.person';
const ORGANISATION = 'api::organisation.organisation';
const VENUE = 'api::venue.venue';

// The app's own copies of the modules: the registry lives in them, one per app.
const registry = () => appModule<typeof Registry>('src/lib/write-rules/registry.js');

let app: TestApp;
let partner: TestPartner;
const runs: Registry.RuleRun[] = [];

beforeAll(async () => {
  app = await startApp();
  partner = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
  registry().writeRules(app.strapi).onRun((run) => runs.push(run));
});
afterAll(async () => {
  await app?.stop();
});

const db = () => app.strapi.db.connection as Knex;

/** The rules `path` ran for each content type while `work` ran, each type's names sorted. */
async function rulesRan(path: Registry.WritePath, work: () => Promise<unknown>): Promise<Record<string, string[]>> {
  runs.length = 0;
  await work();
  const byType: Record<string, Set<string>> = {};
  for (const run of runs.filter((run) => run.path === path)) for (const rule of run.rules) (byType[run.uid] ??= new Set()).add(rule);
  return Object.fromEntries(Object.entries(byType).map(([uid, rules]) => [uid, [...rules].sort()]));
}

describe('the Document Service and the bulk writer run the same rules', () => {
  let throughDocumentService: Record<string, string[]>;
  let throughPush: Record<string, string[]>;

  beforeAll(async () => {
    // A new organisation, venue, person and event, as an editor makes them: create (da), the
    // English locale, publish.
    throughDocumentService = await rulesRan('document-service', () =>
      app.strapi.db.transaction(async () => {
        const make = async (uid: string, da: Record<string, unknown>, en: Record<string, unknown>) => {
          const documents = looseDocuments(app.strapi, uid);
          const { documentId } = await documents.create({ locale: 'da', data: da });
          await documents.update({ documentId, locale: 'en', data: en });
          if (uid !== VENUE) await documents.publish({ documentId, locale: '*' });
          return documentId;
        };
        const organisation = await make(ORGANISATION, { name: 'Dansk Erhverv', kind: 'other' }, { name: 'Danish Chamber of Commerce', kind: 'other' });
        const venue = await make(VENUE, { name: 'Telt 7' }, { name: 'Tent 7' });
        const affiliations = [{ title: 'Direktør', organisation, kind: 'employment', current: true }];
        const person = await make(PERSON, { name: 'Mette Harbo', affiliations }, { name: 'Mette Harbo', affiliations });
        const event = { startsAt: '2024-06-14T10:00:00+02:00', endsAt: '2024-06-14T11:00:00+02:00', kind: 'debate', venue, participants: [{ person, part: 'speaker' }] };
        await make(EVENT, { ...event, title: 'Debat om indkøb' }, { ...event, title: 'A debate on procurement' });
      }),
    );
    // The same four made new by a partner's push: the bulk writer.
    throughPush = await rulesRan('bulk-writer', async () => {
      const response = await app
        .http()
        .put('/api/partner/events/paths-1')
        .set('Authorization', partner.auth)
        .send({
          startsAt: '2024-06-14T12:00',
          endsAt: '2024-06-14T13:00',
          kind: 'debate',
          venue: { id: 'tent-9', name: 'Telt 9', nameEn: 'Tent 9' },
          organisers: [{ name: 'Rådet for Grønne Indkøb' }],
          participants: [{ name: 'Sofie Lund', organisation: 'Rådet for Grønne Indkøb', title: 'Formand', part: 'speaker' }],
          da: { title: 'Debat om grønne indkøb' },
          en: { title: 'A debate on green procurement' },
        });
      expect(response.status).toBe(201);
    });
  });

  it('each path ran the rules of each type it wrote (so the comparison below compares something)', () => {
    expect(throughDocumentService).toEqual({
      [EVENT]: ['change-log', 'dynamic-zone-components', 'event-times', 'slugs'],
      [ORGANISATION]: ['change-log', 'dynamic-zone-components', 'slugs'],
      [PERSON]: ['change-log', 'dynamic-zone-components', 'person-display-fields', 'slugs'],
      [VENUE]: ['change-log', 'dynamic-zone-components'],
    });
  });

  it('the bulk writer ran, for each type, exactly the rules the Document Service ran', () => {
    expect(throughPush).toEqual(throughDocumentService);
  });

  it('and the rules did their work on the pushed documents: slugs, display fields, change log', async () => {
    const person = await db()('people').where({ name: 'Sofie Lund', locale: 'da' }).whereNotNull('published_at').first();
    expect(person).toMatchObject({ slug: 'sofie-lund', display_name: 'Sofie Lund (Rådet for Grønne Indkøb)', current_affiliation: 'Formand, Rådet for Grønne Indkøb' });
    const event = await db()('events').where({ title: 'Debat om grønne indkøb' }).whereNotNull('published_at').first();
    expect(event.slug).toBe('debat-om-groenne-indkoeb');
    const changes = await db()('sync_changes').where({ document_id: event.document_id }).orderBy('locale');
    expect(changes.map((change: { locale: string; action: string }) => `${change.locale} ${change.action}`)).toEqual(['da published', 'en published']);
  });
});

describe('a rule is refused unless it runs on every path', () => {
  // The app's rules, as src/index.ts registers them.
  const appRules = (): Record<string, Registry.WriteRule> => ({
    'dynamic-zone-components': appModule<typeof DynamicZones>('src/lib/validation/dynamic-zones.js').dynamicZoneComponentsRule,
    'event-times': appModule<typeof EventRules>('src/api/event/document-rules.js').eventTimesRule,
    slugs: appModule<typeof Slugs>('src/features/editorial/slug/document-slugs.js').slugRule,
    'person-display-fields': appModule<typeof DisplayFields>('src/api/person/display-fields.js').personDisplayFieldsRule,
    'change-log': appModule<typeof PublicChanges>('src/lib/sync/public-changes.js').changeLogRule,
  });

  it('the app registered every rule of WRITE_RULES, in that order, each on every path', () => {
    const { WRITE_PATHS, writeRules } = registry();
    const { WRITE_RULES } = appModule<typeof Order>('src/lib/write-rules/order.js');
    expect(writeRules(app.strapi).names()).toEqual([...WRITE_RULES]);
    for (const rule of Object.values(appRules())) expect([...rule.paths].sort()).toEqual([...WRITE_PATHS].sort());
  });

  it('registering the app’s rules with one for the Document Service only is refused, naming the rule and the path it misses, and nothing is registered', () => {
    const rules = appRules();
    const documentServiceOnly = { ...rules['event-times']!, paths: ['document-service'] as const };
    expect(() => registry().registerWriteRules(app.strapi, { ...rules, 'event-times': documentServiceOnly } as never)).toThrow(
      'write rule "event-times" does not run on bulk-writer',
    );
    const bulkOnly = { ...rules.slugs!, paths: ['bulk-writer'] as const };
    expect(() => registry().writeRules(app.strapi).register(bulkOnly)).toThrow('write rule "slugs" does not run on document-service');
    expect(registry().writeRules(app.strapi).names()).toHaveLength(Object.keys(rules).length);
  });

  it('refuses a rule without a place in WRITE_RULES, and a rule registered twice', () => {
    const rule = { ...appRules()['event-times']!, name: 'event-colours' } as unknown as Registry.WriteRule;
    expect(() => registry().writeRules(app.strapi).register(rule)).toThrow('write rule "event-colours": not in WRITE_RULES');
    expect(() => registry().writeRules(app.strapi).register(appRules()['event-times']!)).toThrow('write rule "event-times" is registered twice');
  });
});

describe('a rule refuses bad data on either path before anything is written', () => {
  const backwards = { startsAt: '2024-06-14T12:00:00+02:00', endsAt: '2024-06-14T11:00:00+02:00', kind: 'debate' };
  const counts = async () => ({
    events: Number((await db()('events').count({ n: '*' }).first())?.n),
    changes: Number((await db()('sync_changes').count({ n: '*' }).first())?.n),
  });

  it('an event that ends before it starts: the Document Service', async () => {
    const before = await counts();
    await expect(looseDocuments(app.strapi, EVENT).create({ locale: 'da', data: { ...backwards, title: 'Baglæns' } })).rejects.toMatchObject({
      name: 'ValidationError',
      details: { errors: [{ path: ['endsAt'], message: 'endsAt must not be before startsAt' }] },
    });
    expect(await counts()).toEqual(before);
  });

  it('an event that ends before it starts: the bulk writer', async () => {
    const before = await counts();
    const { createDocumentRows } = appModule<typeof DocumentWriter>('src/api/partner/sync/document-writer.js');
    await expect(
      app.strapi.db.transaction(({ trx, onCommit }) =>
        createDocumentRows(app.strapi, trx as Knex.Transaction, onCommit, EVENT, [{ locale: 'da', data: { ...backwards, title: 'Baglæns' } }], { publish: true }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError', details: { errors: [{ path: ['endsAt'], message: 'endsAt must not be before startsAt' }] } });
    expect(await counts()).toEqual(before);
  });
});
