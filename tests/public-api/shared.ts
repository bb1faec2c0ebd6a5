/** Facts of the seed story as the public API must serve them, in both locales. */
import type { JsonBody, TestApp } from '../helpers/app';

export const ARTICLE = {
  da: {
    slug: 'folkemoedet-hvordan-faar-innovation-plads-i-den-offentlige-indkoebsvogn',
    title: 'Folkemødet: Hvordan får innovation plads i den offentlige indkøbsvogn?',
  },
  en: {
    slug: 'folkemoedet-how-does-innovation-get-into-the-public-shopping-trolley',
    title: 'Folkemødet: How does innovation get into the public shopping trolley?',
  },
};

export const DEBATE = {
  da: { slug: 'spaend-innovation-for-den-offentlige-indkoebsvogn', title: 'Spænd innovation for den offentlige indkøbsvogn' },
  en: { slug: 'hitch-innovation-to-the-public-shopping-trolley', title: 'Hitch innovation to the public shopping trolley' },
  startsAt: '2023-06-16T09:30:00.000Z',
  endsAt: '2023-06-16T10:30:00.000Z',
  venueCode: 'J5',
  venueName: { da: 'Kæmpestrandens debattelt', en: 'Kæmpestranden debate tent' },
  festival: { da: 'Folkemødet 2023', en: 'Folkemødet 2023' },
  organisers: {
    da: ['Center for Offentlig-Privat Innovation', 'Erhvervshus Hovedstaden'],
    en: ['Business Hub Greater Copenhagen', 'Centre for Public-Private Innovation'],
  },
};

export const PANEL = ['Karen Storgaard Larsen', 'Kim Toft Madsen', 'Mette Harbo', 'Morten Jung'];

/** Who is quoted, with the title and organisation of the affiliation the quote is said under. */
export const QUOTED = {
  da: [
    { person: 'Mette Harbo', title: 'Konstitueret direktør', organisation: 'Center for IT og Medicoteknologi' },
    { person: 'Morten Jung', title: 'Markedschef', organisation: 'Dansk Erhverv' },
  ],
  en: [
    { person: 'Mette Harbo', title: 'Acting director', organisation: 'Centre for IT and Medical Technology' },
    { person: 'Morten Jung', title: 'Head of market', organisation: 'Danish Chamber of Commerce' },
  ],
};

export const LOCALES = ['da', 'en'] as const;

/** Reads a JSON:API-ish REST list anonymously and returns `data`, failing on a non-200. */
export async function publicList(app: TestApp, path: string): Promise<JsonBody[]> {
  const response = await app.http().get(path);
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.data;
}
