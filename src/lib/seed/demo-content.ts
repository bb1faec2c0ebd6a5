/**
 * The demo content: the Folkemødet 2023 debate on innovative public procurement, told in our
 * own words from the facts of the news item in ../shared/seed/ (names, roles, organisations,
 * date, time, venue, link). Danish first, English second.
 *
 * Entries refer to each other by `key`; the seed resolves keys to document ids.
 * A key is the entry's Danish slug, which is also how a re-run finds what is already there.
 */
import type { Block } from './rich-text';
import { bulletList, heading, paragraph } from './rich-text';

export interface Localised<T> {
  da: T;
  en: T;
}

export interface TopicSeed {
  key: string;
  name: Localised<string>;
  description: Localised<string>;
}

export interface VenueSeed {
  key: string;
  name: Localised<string>;
  code: string;
  area: string;
  address: string;
  city: string;
}

export interface OrganisationSeed {
  key: string;
  name: Localised<string>;
  shortName?: string;
  aliases?: string[];
  kind: 'ministry' | 'region' | 'municipality' | 'company' | 'association' | 'research' | 'festival' | 'other';
  parent?: string;
  website?: string;
}

export interface AffiliationSeed {
  title: Localised<string>;
  organisation: string;
  kind: 'employment' | 'board' | 'other';
  current: boolean;
}

export interface PersonSeed {
  key: string;
  name: string;
  bio: Localised<string>;
  affiliations: AffiliationSeed[];
}

export interface EventSeed {
  key: string;
  title: Localised<string>;
  summary: Localised<string>;
  description: Localised<Block[]>;
  /** Instants in UTC; shown in Europe/Copenhagen (June: +02:00). */
  startsAt: string;
  endsAt?: string;
  kind: 'debate' | 'conference' | 'workshop' | 'webinar' | 'festival';
  venue?: string;
  parent?: string;
  organisers: string[];
  participants: Array<{ person: string; part: 'moderator' | 'panelist' | 'speaker' }>;
  topics: string[];
  programmeUrl?: string;
}

export interface QuoteSeed {
  key: string;
  text: Localised<string>;
  person: string;
  event?: string;
}

export type ArticleBlockSeed =
  | { kind: 'text'; body: Localised<Block[]> }
  | { kind: 'quote'; quote: string }
  | { kind: 'facts'; title: Localised<string>; facts: Array<{ label: Localised<string>; value: Localised<string> }> }
  | { kind: 'event'; event: string; heading: Localised<string>; callToAction: Localised<string> };

export interface ArticleSeed {
  key: string;
  title: Localised<string>;
  lead: Localised<string>;
  body: ArticleBlockSeed[];
  coverCaption: Localised<string>;
  coverCredit: string;
  coverAlt: Localised<string>;
  topics: string[];
  events: string[];
  quotes: string[];
  seo: { metaTitle: Localised<string>; metaDescription: Localised<string> };
  externalLinks: Array<{ label: Localised<string>; url: string }>;
}

export const PROGRAMME_URL = 'https://folkemoedet.dk/';

export const topics: TopicSeed[] = [
  {
    key: 'innovative-offentlige-indkoeb',
    name: { da: 'Innovative offentlige indkøb', en: 'Innovative public procurement' },
    description: {
      da: 'Når det offentlige køber nyt ind og udvikler løsninger sammen med private virksomheder.',
      en: 'How public bodies buy new solutions and develop them together with private companies.',
    },
  },
  {
    key: 'velfaerdsteknologi',
    name: { da: 'Velfærdsteknologi', en: 'Welfare technology' },
    description: {
      da: 'Teknologi, der gør hverdagen lettere for borgere og medarbejdere i sundhed og omsorg.',
      en: 'Technology that eases everyday life for citizens and staff in health and care.',
    },
  },
  {
    key: 'klima-og-groen-omstilling',
    name: { da: 'Klima og grøn omstilling', en: 'Climate and green transition' },
    description: {
      da: 'Offentlige og private partnerskaber om klimaløsninger.',
      en: 'Public and private partnerships on climate solutions.',
    },
  },
  {
    key: 'baeredygtigt-byggeri',
    name: { da: 'Bæredygtigt byggeri', en: 'Sustainable construction' },
    description: {
      da: 'Nye måder at bygge og renovere på med mindre klimaaftryk.',
      en: 'New ways to build and renovate with a smaller climate footprint.',
    },
  },
];

export const venues: VenueSeed[] = [
  {
    key: 'kaempestrandens-debattelt',
    name: { da: 'Kæmpestrandens debattelt', en: 'Kæmpestranden debate tent' },
    code: 'J5',
    area: 'Kæmpestranden',
    address: 'Kæmpestranden, 3770 Allinge',
    city: 'Allinge, Bornholm',
  },
];

// Parents come before their units: the seed writes them in this order.
export const organisations: OrganisationSeed[] = [
  {
    key: 'region-hovedstaden',
    name: { da: 'Region Hovedstaden', en: 'Capital Region of Denmark' },
    kind: 'region',
    website: 'https://www.regionh.dk/',
  },
  {
    key: 'center-for-it-og-medicoteknologi',
    name: { da: 'Center for IT og Medicoteknologi', en: 'Centre for IT and Medical Technology' },
    shortName: 'CIMT',
    kind: 'region',
    parent: 'region-hovedstaden',
  },
  {
    key: 'center-for-offentlig-privat-innovation',
    name: { da: 'Center for Offentlig-Privat Innovation', en: 'Centre for Public-Private Innovation' },
    shortName: 'CO-PI',
    aliases: ['CO-PI', 'COPI', 'Center for Offentlig-Privat Innovation'],
    kind: 'association',
    website: 'https://co-pi.dk/',
  },
  {
    key: 'dansk-erhverv',
    name: { da: 'Dansk Erhverv', en: 'Danish Chamber of Commerce' },
    kind: 'association',
    website: 'https://www.danskerhverv.dk/',
  },
  {
    key: 'aabenraa-kommune',
    name: { da: 'Aabenraa Kommune', en: 'Aabenraa Municipality' },
    kind: 'municipality',
  },
  { key: 'aquatime', name: { da: 'AQUATIME', en: 'AQUATIME' }, kind: 'company' },
  {
    key: 'erhvervshus-hovedstaden',
    name: { da: 'Erhvervshus Hovedstaden', en: 'Business Hub Greater Copenhagen' },
    kind: 'other',
  },
  {
    key: 'koebenhavns-kommune',
    name: { da: 'Københavns Kommune', en: 'City of Copenhagen' },
    kind: 'municipality',
  },
  { key: 'sundhedsstyrelsen', name: { da: 'Sundhedsstyrelsen', en: 'Danish Health Authority' }, kind: 'other' },
  { key: 'danske-regioner', name: { da: 'Danske Regioner', en: 'Danish Regions' }, kind: 'association' },
  {
    key: 'folkemoedet',
    name: { da: 'Folkemødet', en: 'Folkemødet (the People’s Meeting)' },
    kind: 'festival',
    website: PROGRAMME_URL,
  },
];

const formerEmployee = { da: 'Tidligere medarbejder', en: 'Former employee' };

export const people: PersonSeed[] = [
  {
    key: 'mette-harbo',
    name: 'Mette Harbo',
    bio: {
      da: 'Leder Region Hovedstadens Center for IT og Medicoteknologi som konstitueret direktør. Har tidligere arbejdet i Københavns Kommune, Sundhedsstyrelsen og Danske Regioner.',
      en: 'Leads the Capital Region’s Centre for IT and Medical Technology as acting director. Has previously worked at the City of Copenhagen, the Danish Health Authority and Danish Regions.',
    },
    affiliations: [
      {
        title: { da: 'Konstitueret direktør', en: 'Acting director' },
        organisation: 'center-for-it-og-medicoteknologi',
        kind: 'employment',
        current: true,
      },
      { title: formerEmployee, organisation: 'koebenhavns-kommune', kind: 'employment', current: false },
      { title: formerEmployee, organisation: 'sundhedsstyrelsen', kind: 'employment', current: false },
      { title: formerEmployee, organisation: 'danske-regioner', kind: 'employment', current: false },
    ],
  },
  {
    key: 'morten-jung',
    name: 'Morten Jung',
    bio: {
      da: 'Markedschef i Dansk Erhverv og medlem af bestyrelsen for CO-PI.',
      en: 'Head of market at the Danish Chamber of Commerce and a member of the CO-PI board.',
    },
    affiliations: [
      {
        title: { da: 'Markedschef', en: 'Head of market' },
        organisation: 'dansk-erhverv',
        kind: 'employment',
        current: true,
      },
      {
        title: { da: 'Bestyrelsesmedlem', en: 'Board member' },
        organisation: 'center-for-offentlig-privat-innovation',
        kind: 'board',
        current: true,
      },
    ],
  },
  {
    key: 'karen-storgaard-larsen',
    name: 'Karen Storgaard Larsen',
    bio: {
      da: 'Direktør for Social og Sundhed i Aabenraa Kommune.',
      en: 'Director of Social Affairs and Health at Aabenraa Municipality.',
    },
    affiliations: [
      {
        title: { da: 'Direktør for Social og Sundhed', en: 'Director of Social Affairs and Health' },
        organisation: 'aabenraa-kommune',
        kind: 'employment',
        current: true,
      },
    ],
  },
  {
    key: 'kim-toft-madsen',
    name: 'Kim Toft Madsen',
    bio: { da: 'Administrerende direktør og partner i AQUATIME.', en: 'CEO and partner at AQUATIME.' },
    affiliations: [
      { title: { da: 'CEO/partner', en: 'CEO/partner' }, organisation: 'aquatime', kind: 'employment', current: true },
    ],
  },
];

const PANEL = ['mette-harbo', 'morten-jung', 'karen-storgaard-larsen', 'kim-toft-madsen'];

// The festival (the parent) comes before the debate.
export const events: EventSeed[] = [
  {
    key: 'folkemoedet-2023',
    title: { da: 'Folkemødet 2023', en: 'Folkemødet 2023' },
    summary: {
      da: 'Tre dages politisk festival i Allinge på Bornholm med debatter, hvor borgere, politikere og organisationer mødes.',
      en: 'A three-day political festival in Allinge on Bornholm where citizens, politicians and organisations meet in debates.',
    },
    description: {
      da: [paragraph('Folkemødet samler hvert år tusindvis af deltagere til debatter i telte og på scener rundt om i Allinge.')],
      en: [paragraph('Every year Folkemødet brings thousands of people to debates in tents and on stages around Allinge.')],
    },
    // 15–17 June 2023, whole days in Copenhagen time.
    startsAt: '2023-06-14T22:00:00.000Z',
    endsAt: '2023-06-17T21:59:00.000Z',
    kind: 'festival',
    organisers: ['folkemoedet'],
    participants: [],
    topics: [],
    programmeUrl: PROGRAMME_URL,
  },
  {
    key: 'spaend-innovation-for-den-offentlige-indkoebsvogn',
    title: {
      da: 'Spænd innovation for den offentlige indkøbsvogn',
      en: 'Hitch innovation to the public shopping trolley',
    },
    summary: {
      da: 'Debat om, hvordan offentlige og private sammen får mere fart på innovative offentlige indkøb.',
      en: 'A debate on how the public and private sectors can speed up innovative public procurement together.',
    },
    description: {
      da: [
        paragraph(
          'CO-PI og Erhvervshus Hovedstaden inviterer til debat om mod, risikovillighed og samarbejde, når det offentlige køber nye løsninger.'
        ),
        paragraph('I panelet sidder:'),
        bulletList(
          'Mette Harbo, konstitueret direktør, Center for IT og Medicoteknologi, Region Hovedstaden',
          'Morten Jung, markedschef, Dansk Erhverv',
          'Karen Storgaard Larsen, direktør for Social og Sundhed, Aabenraa Kommune',
          'Kim Toft Madsen, CEO/partner, AQUATIME'
        ),
      ],
      en: [
        paragraph(
          'CO-PI and Business Hub Greater Copenhagen host a debate on courage, appetite for risk and collaboration when the public sector buys new solutions.'
        ),
        paragraph('On the panel:'),
        bulletList(
          'Mette Harbo, acting director, Centre for IT and Medical Technology, Capital Region of Denmark',
          'Morten Jung, head of market, Danish Chamber of Commerce',
          'Karen Storgaard Larsen, director of social affairs and health, Aabenraa Municipality',
          'Kim Toft Madsen, CEO/partner, AQUATIME'
        ),
      ],
    },
    // Friday 16 June 2023, 11:30–12:30 in Copenhagen (UTC+2).
    startsAt: '2023-06-16T09:30:00.000Z',
    endsAt: '2023-06-16T10:30:00.000Z',
    kind: 'debate',
    venue: 'kaempestrandens-debattelt',
    parent: 'folkemoedet-2023',
    organisers: ['center-for-offentlig-privat-innovation', 'erhvervshus-hovedstaden'],
    participants: PANEL.map((person) => ({ person, part: 'panelist' as const })),
    topics: ['innovative-offentlige-indkoeb'],
    programmeUrl: PROGRAMME_URL,
  },
];

export const quotes: QuoteSeed[] = [
  {
    key: 'mette-harbo-lokal-ledelse',
    text: {
      da: 'Det er afdelingslederne tæt på driften, der afgør, om en ny løsning faktisk bliver taget i brug. Uden dem opstår der ingen værdi.',
      en: 'It is the managers close to day-to-day operations who decide whether a new solution is actually used. Without them, no value is created.',
    },
    person: 'mette-harbo',
    event: 'spaend-innovation-for-den-offentlige-indkoebsvogn',
  },
  {
    key: 'morten-jung-samarbejde-med-private',
    text: {
      da: 'Det offentlige bør ikke opfinde den samme løsning igen og igen, men gå i reelt samarbejde med de private virksomheder, der allerede innoverer.',
      en: 'The public sector should not keep reinventing the same solution, but work genuinely with the private companies that are already innovating.',
    },
    person: 'morten-jung',
    event: 'spaend-innovation-for-den-offentlige-indkoebsvogn',
  },
];

export const articles: ArticleSeed[] = [
  {
    key: 'folkemoedet-hvordan-faar-innovation-plads-i-den-offentlige-indkoebsvogn',
    title: {
      da: 'Folkemødet: Hvordan får innovation plads i den offentlige indkøbsvogn?',
      en: 'Folkemødet: How does innovation get into the public shopping trolley?',
    },
    lead: {
      da: 'Forud for vores debat på Folkemødet har vi spurgt Mette Harbo fra Region Hovedstaden og Morten Jung fra Dansk Erhverv, hvad der skal til for at sætte skub i innovative offentlige indkøb.',
      en: 'Ahead of our debate at Folkemødet we asked Mette Harbo of the Capital Region and Morten Jung of the Danish Chamber of Commerce what it takes to speed up innovative public procurement.',
    },
    body: [
      {
        kind: 'text',
        body: {
          da: [
            paragraph(
              'Mangel på arbejdskraft, mistrivsel og klimaforandringer er store, komplekse problemer, og de kalder på nye løsninger. Spørgsmålet er, hvordan det offentlige i højere grad kan købe og udvikle løsninger, der rent faktisk bliver brugt og skaber værdi for medarbejdere og borgere.'
            ),
            heading('Lokal ledelse gør forskellen'),
            paragraph(
              'Mette Harbo er konstitueret direktør for Center for IT og Medicoteknologi i Region Hovedstaden og har ansvaret for, at nye løsninger bliver implementeret. Hun peger på, at topledelsen skal sætte retningen, men at det er de lokale ledere, der afgør, om en løsning bliver brugt, og om gevinsten bliver hentet hjem.'
            ),
          ],
          en: [
            paragraph(
              'Labour shortages, poor wellbeing at work and climate change are large, complex problems that call for new solutions. The question is how the public sector can buy and develop more solutions that are actually used and create value for staff and citizens.'
            ),
            heading('Local management makes the difference'),
            paragraph(
              'Mette Harbo is acting director of the Centre for IT and Medical Technology in the Capital Region and is responsible for making new solutions work in practice. Top management sets the direction, she says, but it is local managers who decide whether a solution is used and whether its benefits are realised.'
            ),
          ],
        },
      },
      { kind: 'quote', quote: 'mette-harbo-lokal-ledelse' },
      {
        kind: 'text',
        body: {
          da: [
            heading('Samarbejd i stedet for at starte forfra'),
            paragraph(
              'Morten Jung, markedschef i Dansk Erhverv og bestyrelsesmedlem i CO-PI, oplever, at offentlige myndigheder stadig efterspørger løsninger på de samme udfordringer hver for sig. Det koster penge og fælles ressourcer, og han efterlyser mere fokus på nye arbejdsgange og organisering frem for nye dimser.'
            ),
          ],
          en: [
            heading('Collaborate instead of starting over'),
            paragraph(
              'Morten Jung, head of market at the Danish Chamber of Commerce and a CO-PI board member, sees public bodies still asking for solutions to the same challenges separately. That costs money and shared resources, and he wants more attention on new ways of working and organising rather than new gadgets.'
            ),
          ],
        },
      },
      { kind: 'quote', quote: 'morten-jung-samarbejde-med-private' },
      {
        kind: 'text',
        body: {
          da: [
            heading('Mød panelet på Folkemødet'),
            paragraph(
              'Sammen med Erhvervshus Hovedstaden har CO-PI samlet stemmer fra både den offentlige og den private sektor til en debat om mod og risikovillighed i offentlige indkøb. Mette Harbo og Morten Jung får selskab af Karen Storgaard Larsen, direktør for Social og Sundhed i Aabenraa Kommune, og Kim Toft Madsen, CEO og partner i AQUATIME.'
            ),
          ],
          en: [
            heading('Meet the panel at Folkemødet'),
            paragraph(
              'Together with Business Hub Greater Copenhagen, CO-PI has brought together voices from the public and private sectors for a debate on courage and appetite for risk in public procurement. Mette Harbo and Morten Jung are joined by Karen Storgaard Larsen, director of social affairs and health at Aabenraa Municipality, and Kim Toft Madsen, CEO and partner at AQUATIME.'
            ),
          ],
        },
      },
      {
        kind: 'facts',
        title: { da: 'Tid og sted', en: 'Time and place' },
        facts: [
          {
            label: { da: 'Tid', en: 'Time' },
            value: { da: 'Fredag 16. juni 2023 kl. 11.30–12.30', en: 'Friday 16 June 2023, 11:30–12:30 (CEST)' },
          },
          {
            label: { da: 'Sted', en: 'Place' },
            value: { da: 'Kæmpestrandens debattelt (J5), Allinge', en: 'Kæmpestranden debate tent (J5), Allinge' },
          },
        ],
      },
      {
        kind: 'event',
        event: 'spaend-innovation-for-den-offentlige-indkoebsvogn',
        heading: { da: 'Deltag i debatten', en: 'Join the debate' },
        callToAction: { da: 'Se debatten i programmet', en: 'See the debate in the programme' },
      },
    ],
    coverCaption: {
      da: 'Spænd innovation for den offentlige indkøbsvogn',
      en: 'Hitch innovation to the public shopping trolley',
    },
    coverCredit: 'CO-PI',
    coverAlt: {
      da: 'Grafik til debatten om innovative offentlige indkøb',
      en: 'Graphic for the debate on innovative public procurement',
    },
    topics: ['innovative-offentlige-indkoeb'],
    events: ['spaend-innovation-for-den-offentlige-indkoebsvogn'],
    quotes: ['mette-harbo-lokal-ledelse', 'morten-jung-samarbejde-med-private'],
    seo: {
      metaTitle: {
        da: 'Innovation i den offentlige indkøbsvogn | Folkemødet',
        en: 'Innovation in the public shopping trolley | Folkemødet',
      },
      metaDescription: {
        da: 'Mette Harbo og Morten Jung om, hvad der skal til for at sætte skub i innovative offentlige indkøb.',
        en: 'Mette Harbo and Morten Jung on what it takes to speed up innovative public procurement.',
      },
    },
    externalLinks: [
      { label: { da: 'Læs om debatten på Folkemødets programside', en: 'Read about the debate in the Folkemødet programme' }, url: PROGRAMME_URL },
    ],
  },
];
