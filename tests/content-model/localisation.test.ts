/**
 * Each content type is written in Danish first, then given an English version: localised
 * fields keep a value per locale, non-localised fields are one value shared by both.
 */
import type { UID } from '@strapi/strapi';
import { startApp, type TestApp } from '../helpers/app';
import { looseDocuments } from '../helpers/documents';

let app: TestApp;
let personId: string;
beforeAll(async () => {
  app = await startApp();
  // A quote needs someone to have said it, in both locales.
  const people = app.strapi.documents('api::person.person');
  personId = (await people.create({ locale: 'da', data: { name: 'Kim Toft Madsen', slug: 'kim-toft-madsen' } })).documentId;
  await people.update({ documentId: personId, locale: 'en', data: { name: 'Kim Toft Madsen', slug: 'kim-toft-madsen' } });
});
afterAll(async () => {
  await app?.stop();
});

interface Case {
  uid: UID.ContentType;
  da: Record<string, unknown>;
  en: Record<string, unknown>;
  /** Non-localised fields: written with the Danish version, then changed from the English one. */
  shared: Record<string, unknown>;
  sharedChange: Record<string, unknown>;
  relations?: () => Record<string, unknown>;
}

const CASES: Case[] = [
  {
    uid: 'api::article.article',
    da: { title: 'Indkøb med mod', slug: 'indkoeb-med-mod', lead: 'Dansk indledning', coverCaption: 'Dansk billedtekst' },
    en: { title: 'Procurement with courage', slug: 'procurement-with-courage', lead: 'English lead', coverCaption: 'English caption' },
    shared: { coverCredit: 'Foto: CO-PI' },
    sharedChange: { coverCredit: 'Foto: Region Hovedstaden' },
  },
  {
    uid: 'api::quote.quote',
    da: { text: 'Vi skal turde mere.' },
    en: { text: 'We must dare more.' },
    shared: { saidOn: '2023-06-01' },
    sharedChange: { saidOn: '2023-06-16' },
    relations: () => ({ person: personId }),
  },
  {
    uid: 'api::person.person',
    da: { slug: 'karen-storgaard-larsen', bio: 'Direktør i Aabenraa Kommune.' },
    en: { slug: 'karen-storgaard-larsen', bio: 'Director at Aabenraa Municipality.' },
    shared: { name: 'Karen Storgaard Larsen', email: 'karen@example.invalid' },
    sharedChange: { name: 'Karen S. Larsen', email: 'ksl@example.invalid' },
  },
  {
    uid: 'api::organisation.organisation',
    da: { name: 'Dansk Erhverv', slug: 'dansk-erhverv' },
    en: { name: 'Danish Chamber of Commerce', slug: 'danish-chamber-of-commerce' },
    shared: { shortName: 'DE', kind: 'association', website: 'https://www.danskerhverv.dk/', aliases: ['DE'] },
    sharedChange: { shortName: 'DaEr', kind: 'company', website: 'https://danskerhverv.dk/', aliases: ['DE', 'DaEr'] },
  },
  {
    uid: 'api::event.event',
    da: { title: 'Debat om indkøb', slug: 'debat-om-indkoeb', summary: 'Dansk resumé' },
    en: { title: 'Debate on procurement', slug: 'debate-on-procurement', summary: 'English summary' },
    shared: { startsAt: '2023-06-16T09:30:00.000Z', kind: 'debate', eventStatus: 'scheduled', attendanceMode: 'offline' },
    sharedChange: { startsAt: '2023-06-16T10:00:00.000Z', kind: 'workshop', eventStatus: 'postponed', attendanceMode: 'mixed' },
  },
  {
    uid: 'api::venue.venue',
    da: { name: 'Kæmpestrandens debattelt' },
    en: { name: 'Kæmpestranden debate tent' },
    shared: { code: 'J5', city: 'Allinge' },
    sharedChange: { code: 'J6', city: 'Allinge, Bornholm' },
  },
  {
    uid: 'api::topic.topic',
    da: { name: 'Velfærdsteknologi', slug: 'velfaerdsteknologi', description: 'Dansk beskrivelse' },
    en: { name: 'Welfare technology', slug: 'welfare-technology', description: 'English description' },
    shared: {},
    sharedChange: {},
  },
];

describe.each(CASES)('$uid in Danish, then English', ({ uid, da, en, shared, sharedChange, relations }) => {
  let documentId: string;

  it('creates the Danish version and adds the English one to the same document', async () => {
    const documents = looseDocuments(app.strapi, uid);
    const created = await documents.create({ locale: 'da', data: { ...da, ...shared, ...relations?.() } });
    documentId = created.documentId;
    await documents.update({ documentId, locale: 'en', data: { ...en, ...relations?.() } });

    const [daVersion, enVersion] = await Promise.all(
      ['da', 'en'].map((locale) => documents.findOne({ documentId, locale }))
    );
    expect(daVersion).toMatchObject({ ...da, locale: 'da' });
    expect(enVersion).toMatchObject({ ...en, locale: 'en' });
    expect(enVersion!.id).not.toBe(daVersion!.id);
  });

  it('gives the English version the shared (non-localised) values written with the Danish one', async () => {
    const enVersion = await (looseDocuments(app.strapi, uid)).findOne({ documentId, locale: 'en' });
    expect(enVersion).toMatchObject(shared);
  });

  it('changes a shared value in both locales and a localised value in one only', async () => {
    const documents = looseDocuments(app.strapi, uid);
    const localisedField = Object.keys(en).find((key) => key !== 'slug')!;
    await documents.update({
      documentId,
      locale: 'en',
      data: { ...sharedChange, [localisedField]: `${en[localisedField]} (revised)` },
    });

    const daVersion = await documents.findOne({ documentId, locale: 'da' });
    const enVersion = await documents.findOne({ documentId, locale: 'en' });
    expect(daVersion).toMatchObject({ ...sharedChange, [localisedField]: da[localisedField] });
    expect(enVersion).toMatchObject({ ...sharedChange, [localisedField]: `${en[localisedField]} (revised)` });
  });
});

// Strapi checks uniqueness when a version is published, not on drafts.
describe('slugs are unique per locale among published documents', () => {
  beforeAll(async () => {
    const topics = app.strapi.documents('api::topic.topic');
    const first = await topics.findFirst({ locale: 'da', filters: { slug: 'velfaerdsteknologi' } });
    await topics.publish({ documentId: first!.documentId, locale: 'da' });
  });

  it('refuses to publish a second Danish topic with a slug already published in Danish', async () => {
    const topics = app.strapi.documents('api::topic.topic');
    const second = await topics.create({ locale: 'da', data: { name: 'Velfærd', slug: 'velfaerdsteknologi' } });
    await expect(topics.publish({ documentId: second.documentId, locale: 'da' })).rejects.toThrow(/must be unique/);
    expect(await topics.findOne({ documentId: second.documentId, locale: 'da', status: 'published' })).toBeNull();
  });

  it('publishes the same slug in another locale', async () => {
    const topics = app.strapi.documents('api::topic.topic');
    const other = await topics.create({ locale: 'en', data: { name: 'Velfærdsteknologi', slug: 'velfaerdsteknologi' } });
    await topics.publish({ documentId: other.documentId, locale: 'en' });
    expect(await topics.findOne({ documentId: other.documentId, locale: 'en', status: 'published' })).toMatchObject({
      slug: 'velfaerdsteknologi',
    });
  });
});
