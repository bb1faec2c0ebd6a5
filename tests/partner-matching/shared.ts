/**
 * A Folkemødet 2023 programme as three partners send it, for the matching tests: the centre's
 * own debate (in the seed: "Spænd innovation for den offentlige indkøbsvogn", Friday 16 June
 * 11:30, Kæmpestrandens debattelt J5, organised by CO-PI and Erhvervshus Hovedstaden), pushed
 * again by the festival's programme partner and by CO-PI itself, each in its own words.
 */
import type { TestApp } from '../helpers/app';
import { createPartner, type TestPartner } from '../helpers/partners';

export const SEEDED_DEBATE_SLUG = 'spaend-innovation-for-den-offentlige-indkoebsvogn';
export const SEEDED_DEBATE_TITLE = 'Spænd innovation for den offentlige indkøbsvogn';
export const SEEDED_DEBATE_SUMMARY_START = 'Debat om, hvordan offentlige og private';

export interface Partners {
  /** Folkemødet's programme: lists every debate, organises none of them. */
  festival: TestPartner;
  /** CO-PI: organiser of record of the seeded debate (its partner organisation is an organiser). */
  copi: TestPartner;
  /** KL's own event calendar. */
  kl: TestPartner;
}

export async function createPartners(app: TestApp): Promise<Partners> {
  const festival = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
  const copi = await createPartner(app, { name: 'CO-PI', key: 'co-pi', publishMode: 'publish' });
  const kl = await createPartner(app, { name: 'KL', key: 'kl', publishMode: 'publish' });
  await app.strapi.db.query('api::partner.partner').update({ where: { key: 'folkemoedet' }, data: { organisationSlug: 'folkemoedet' } });
  await app.strapi.db.query('api::partner.partner').update({ where: { key: 'co-pi' }, data: { organisationSlug: 'center-for-offentlig-privat-innovation' } });
  return { festival, copi, kl };
}

/** The seeded debate as Folkemødet's programme lists it: its tent by code, its own title. */
export const festivalListing = (overrides: Record<string, unknown> = {}) => ({
  startsAt: '2023-06-16T11:30',
  endsAt: '2023-06-16T12:30',
  kind: 'debate',
  venue: { id: 'fm-j5', name: 'Kæmpestranden, telt J5', code: 'J5', city: 'Allinge' },
  organisers: [{ name: 'CO-PI' }, { name: 'Erhvervshus Hovedstaden' }],
  participants: [
    { name: 'Mette Harbo', organisation: 'Center for IT og Medicoteknologi – Region Hovedstaden', title: 'Konstitueret direktør' },
    { name: 'Morten Jung', organisation: 'Dansk Erhverv (DE)', title: 'Markedschef' },
  ],
  da: { title: 'Spænd innovation for den offentlige indkøbsvogn – debat', summary: 'Folkemødets egen tekst.' },
  en: { title: 'Public procurement: hitch innovation to the trolley' },
  ...overrides,
});

/** The same debate as its organiser CO-PI sends it: ASCII spelling, a later end. */
export const organiserListing = (overrides: Record<string, unknown> = {}) => ({
  startsAt: '2023-06-16T11:30:00+02:00',
  endsAt: '2023-06-16T12:45:00+02:00',
  kind: 'debate',
  venue: { name: 'Kæmpestrandens debattelt', code: 'J5' },
  organisers: [{ name: 'Center for Offentlig-Privat Innovation (CO-PI)' }],
  participants: [{ name: 'Karen Storgaard Larsen', organisation: 'Aabenraa Kommunes', title: 'Direktør', part: 'panelist' }],
  da: { title: 'Spaend innovation for den offentlige indkoebsvogn', summary: 'CO-PI’s tekst, som ikke må overskrive redaktørens.' },
  ...overrides,
});

/** An event of one's own at another hour, naming a participant: for the person tests. */
export const talkWith = (hour: number, participant: Record<string, unknown>, title: string) => ({
  startsAt: `2023-06-17T${String(hour).padStart(2, '0')}:00`,
  venue: { name: `Scene ${hour}`, city: 'Allinge' },
  participants: [{ part: 'speaker', ...participant }],
  da: { title },
});

export const put = (app: TestApp, partner: TestPartner, externalId: string, body: unknown) =>
  app.http().put(`/api/partner/events/${externalId}`).set('Authorization', partner.auth).send(body as object);

/** Row counts of the public content tables (draft and published rows, both locales). */
export async function contentCounts(app: TestApp): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['events', 'people', 'organisations', 'venues', 'partner_events', 'partner_identities']) {
    const [row] = await app.strapi.db.connection(table).count({ n: '*' });
    counts[table] = Number((row as { n: number | string }).n);
  }
  return counts;
}
