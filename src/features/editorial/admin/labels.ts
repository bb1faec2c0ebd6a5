/**
 * What editors read in the admin, in Danish and English: one entry per field of every content
 * type and component they edit. Pure data (no imports), read by the server (content-manager
 * configuration, `views.ts`) and by the admin bundle (`src/admin/app.tsx` translations).
 *
 * Why both places: the content manager stores one label per field (we store the Danish one), but
 * it looks each label up as a translation first (`content-manager.content-types.<uid>.<field>`,
 * `content-manager.components.<uid>.<field>`), so the admin in English shows `en` here.
 * Descriptions and placeholders are not translated by Strapi, so they carry both languages.
 */
export interface Bilingual {
  da: string;
  en: string;
}

export interface FieldLabel {
  label: Bilingual;
  hint?: Bilingual;
  /** An example value; kept short and language-neutral where possible. */
  placeholder?: string;
}

export interface ModelLabels {
  /** The schema's `info.displayName` (the key Strapi translates type names by) and our names. */
  displayName: string;
  name: Bilingual;
  fields: Record<string, FieldLabel>;
}

const f = (da: string, en: string, hint?: [string, string], placeholder?: string): FieldLabel => ({
  label: { da, en },
  ...(hint ? { hint: { da: hint[0], en: hint[1] } } : {}),
  ...(placeholder ? { placeholder } : {}),
});

/** Fields Strapi adds to every content type; shown as list columns and in filters. */
export const SYSTEM_FIELDS: Record<string, FieldLabel> = {
  createdAt: f('Oprettet', 'Created'),
  updatedAt: f('Opdateret', 'Updated'),
  publishedAt: f('Udgivet', 'Published'),
  createdBy: f('Oprettet af', 'Created by'),
  updatedBy: f('Opdateret af', 'Updated by'),
};

const slug = f('Slug (webadresse)', 'Slug (web address)', [
  'Udfyldes af titlen; ændres ikke, når titlen ændres.',
  'Filled from the title; does not change when the title does.',
]);

const slugFromName = { ...slug, hint: { da: 'Udfyldes af navnet.', en: 'Filled from the name.' } };

export const CONTENT_TYPE_LABELS: Record<string, ModelLabels> = {
  'api::article.article': {
    displayName: 'Article',
    name: { da: 'Artikel', en: 'Article' },
    fields: {
      title: f('Titel', 'Title', ['Overskriften, læseren ser først.', 'The headline readers see first.'], 'Tør vi købe det nye?'),
      slug,
      lead: f('Manchet', 'Lead', ['Et til tre sætninger, der fortæller historien kort.', 'One to three sentences telling the story in short.']),
      body: f('Brødtekst', 'Body', ['Afsnit, citater, billeder, faktabokse og arrangementer i rækkefølge.', 'Sections, quotes, images, fact boxes and events, in order.']),
      cover: f('Forsidebillede', 'Cover image'),
      coverCaption: f('Billedtekst', 'Caption'),
      coverCredit: f('Fotokredit', 'Photo credit', undefined, 'Foto: …'),
      authors: f('Skribenter', 'Authors'),
      topics: f('Emner', 'Topics'),
      events: f('Arrangementer', 'Events'),
      quotes: f('Citater', 'Quotes', ['Citater, artiklen bruger.', 'Quotes the article uses.']),
      seo: f('Søgemaskiner og deling (SEO)', 'Search and sharing (SEO)'),
      externalLinks: f('Eksterne links', 'External links'),
    },
  },
  'api::event.event': {
    displayName: 'Event',
    name: { da: 'Arrangement', en: 'Event' },
    fields: {
      title: f('Titel', 'Title', undefined, 'Innovative offentlige indkøb'),
      slug,
      summary: f('Resumé', 'Summary', ['Kort tekst til lister og kalendere.', 'Short text for lists and calendars.']),
      description: f('Beskrivelse', 'Description'),
      startsAt: f('Starter', 'Starts', ['Dansk tid (Europe/Copenhagen), medmindre tidszonen siger andet.', 'Danish time unless the time zone says otherwise.']),
      endsAt: f('Slutter', 'Ends'),
      timeZone: f('Tidszone', 'Time zone', ['IANA-navn, fx Europe/Copenhagen.', 'IANA name, e.g. Europe/Copenhagen.'], 'Europe/Copenhagen'),
      kind: f('Type', 'Kind'),
      eventStatus: f('Afvikling', 'Event status', ['Aflyst, udsat, flyttet online …', 'Cancelled, postponed, moved online …']),
      attendanceMode: f('Deltagelse', 'Attendance'),
      venue: f('Sted', 'Venue'),
      parent: f('Del af', 'Part of', ['Festivalen eller konferencen, arrangementet hører til.', 'The festival or conference this belongs to.']),
      subEvents: f('Programpunkter', 'Programme items'),
      organisers: f('Arrangører', 'Organisers'),
      participants: f('Medvirkende', 'Participants'),
      programmeUrl: f('Link til programmet', 'Programme link', undefined, 'https://'),
      sourcePartner: f('Kildepartner', 'Source partner', ['Sat af partnerens import; rediger ikke.', 'Set by the partner import; do not edit.']),
      externalId: f('Partnerens id', "Partner's id", ['Sat af partnerens import; rediger ikke.', 'Set by the partner import; do not edit.']),
      topics: f('Emner', 'Topics'),
      articles: f('Artikler', 'Articles'),
      quotes: f('Citater', 'Quotes'),
    },
  },
  'api::person.person': {
    displayName: 'Person',
    name: { da: 'Person', en: 'Person' },
    fields: {
      name: f('Navn', 'Name', undefined, 'Mette Harbo'),
      slug: slugFromName,
      displayName: f('Navn og organisation', 'Name and organisation', ['Dannes af navn og nuværende tilknytning.', 'Made from the name and current affiliation.']),
      currentAffiliation: f('Nuværende tilknytning', 'Current affiliation', ['Dannes af tilknytningerne.', 'Made from the affiliations.']),
      affiliations: f('Tilknytninger', 'Affiliations', ['Titler hos organisationer; markér de nuværende.', 'Titles at organisations; mark the current ones.']),
      bio: f('Biografi', 'Biography'),
      photo: f('Foto', 'Photo'),
      email: f('E-mail (intern)', 'Email (internal)', ['Vises aldrig offentligt.', 'Never shown publicly.']),
      quotes: f('Citater', 'Quotes'),
      authoredArticles: f('Artikler skrevet', 'Articles written'),
    },
  },
  'api::organisation.organisation': {
    displayName: 'Organisation',
    name: { da: 'Organisation', en: 'Organisation' },
    fields: {
      name: f('Navn', 'Name', undefined, 'Center for Offentlig-Privat Innovation'),
      shortName: f('Kort navn', 'Short name', undefined, 'CO-PI'),
      aliases: f('Andre navne', 'Other names', ['Liste af navne, organisationen også kendes under.', 'List of names it is also known by.'], '["COPI"]'),
      slug: slugFromName,
      kind: f('Type', 'Kind'),
      parent: f('Hører under', 'Part of', ['Fx regionen for en enhed i regionen.', 'E.g. the region a unit belongs to.']),
      units: f('Enheder', 'Units'),
      website: f('Hjemmeside', 'Website', undefined, 'https://'),
      logo: f('Logo', 'Logo'),
      organisedEvents: f('Arrangementer', 'Events organised'),
    },
  },
  'api::venue.venue': {
    displayName: 'Venue',
    name: { da: 'Sted', en: 'Venue' },
    fields: {
      name: f('Navn', 'Name', undefined, 'Kæmpestrandens debattelt'),
      code: f('Kode', 'Code', ['Festivalens kode for stedet.', "The festival's code for the place."], 'J5'),
      area: f('Område', 'Area'),
      address: f('Adresse', 'Address'),
      city: f('By', 'City', undefined, 'Allinge'),
      latitude: f('Breddegrad', 'Latitude'),
      longitude: f('Længdegrad', 'Longitude'),
      events: f('Arrangementer', 'Events'),
    },
  },
  'api::topic.topic': {
    displayName: 'Topic',
    name: { da: 'Emne', en: 'Topic' },
    fields: {
      name: f('Navn', 'Name', undefined, 'Innovative offentlige indkøb'),
      slug: slugFromName,
      description: f('Beskrivelse', 'Description'),
      articles: f('Artikler', 'Articles'),
      events: f('Arrangementer', 'Events'),
    },
  },
  'api::quote.quote': {
    displayName: 'Quote',
    name: { da: 'Citat', en: 'Quote' },
    fields: {
      text: f('Ordlyd', 'Words', ['Præcis som det blev sagt, uden anførselstegn.', 'Exactly as said, without quotation marks.']),
      person: f('Sagt af', 'Said by'),
      articles: f('Artikler', 'Articles'),
      event: f('Sagt ved', 'Said at'),
      saidOn: f('Dato', 'Said on'),
    },
  },
};

export const COMPONENT_LABELS: Record<string, ModelLabels> = {
  'blocks.rich-text': { displayName: 'Rich text', name: { da: 'Tekst', en: 'Rich text' }, fields: { body: f('Tekst', 'Text') } },
  'blocks.quote': { displayName: 'Quote', name: { da: 'Citat', en: 'Quote' }, fields: { quote: f('Citat', 'Quote') } },
  'blocks.image': {
    displayName: 'Image',
    name: { da: 'Billede', en: 'Image' },
    fields: {
      image: f('Billede', 'Image'),
      caption: f('Billedtekst', 'Caption'),
      credit: f('Fotokredit', 'Photo credit'),
      alternativeText: f('Alternativ tekst', 'Alternative text', ['Beskriv billedet for dem, der ikke kan se det.', 'Describe the image for those who cannot see it.']),
    },
  },
  'blocks.fact-box': {
    displayName: 'Fact box',
    name: { da: 'Faktaboks', en: 'Fact box' },
    fields: { title: f('Overskrift', 'Heading', undefined, 'Fakta'), facts: f('Fakta', 'Facts') },
  },
  'blocks.event-teaser': {
    displayName: 'Event teaser',
    name: { da: 'Arrangement (henvisning)', en: 'Event teaser' },
    fields: {
      event: f('Arrangement', 'Event'),
      heading: f('Overskrift', 'Heading'),
      callToAction: f('Knaptekst', 'Button text', undefined, 'Læs mere'),
    },
  },
  'events.participant': {
    displayName: 'Participant',
    name: { da: 'Medvirkende', en: 'Participant' },
    fields: { person: f('Person', 'Person'), part: f('Rolle', 'Part') },
  },
  'people.affiliation': {
    displayName: 'Affiliation',
    name: { da: 'Tilknytning', en: 'Affiliation' },
    fields: {
      title: f('Titel', 'Title', undefined, 'Konstitueret direktør'),
      organisation: f('Organisation', 'Organisation'),
      kind: f('Type', 'Kind'),
      from: f('Fra', 'From'),
      to: f('Til', 'To'),
      current: f('Nuværende', 'Current'),
    },
  },
  'shared.external-link': {
    displayName: 'External link',
    name: { da: 'Eksternt link', en: 'External link' },
    fields: { label: f('Tekst', 'Label'), url: f('Adresse (URL)', 'Address (URL)', undefined, 'https://') },
  },
  'shared.fact': {
    displayName: 'Fact',
    name: { da: 'Faktum', en: 'Fact' },
    fields: { label: f('Betegnelse', 'Label', undefined, 'Tid'), value: f('Værdi', 'Value', undefined, 'Fredag 16. juni kl. 11.30') },
  },
  'shared.seo': {
    displayName: 'SEO',
    name: { da: 'SEO', en: 'SEO' },
    fields: {
      metaTitle: f('Titel til søgemaskiner', 'Search title', ['Højst 70 tegn; ellers bruges titlen.', 'At most 70 characters; the title is used if empty.']),
      metaDescription: f('Beskrivelse til søgemaskiner', 'Search description'),
      shareImage: f('Delingsbillede', 'Share image'),
      noIndex: f('Skjul for søgemaskiner', 'Hide from search engines'),
    },
  },
};

/** A description that reads in both languages, since Strapi shows it untranslated. */
export function bilingualHint(hint: Bilingual | undefined): string {
  return hint ? `${hint.da} (EN: ${hint.en})` : '';
}

export type AdminLanguage = keyof Bilingual;

/**
 * Admin translations for one language: field labels under the keys the content manager looks
 * up, and type and component names under their display names (menu, list titles) and uids
 * (dynamic-zone pickers).
 */
export function adminTranslations(language: AdminLanguage): Record<string, string> {
  const messages: Record<string, string> = {};
  const add = (prefix: 'content-types' | 'components', uid: string, model: ModelLabels) => {
    messages[model.displayName] = model.name[language];
    if (prefix === 'components') messages[uid] = model.name[language];
    const fields = prefix === 'content-types' ? { ...SYSTEM_FIELDS, ...model.fields } : model.fields;
    for (const [field, text] of Object.entries(fields)) {
      messages[`content-manager.${prefix}.${uid}.${field}`] = text.label[language];
    }
  };
  // Components first: where a component shares a display name with a type ("Quote"), the type wins.
  for (const [uid, model] of Object.entries(COMPONENT_LABELS)) add('components', uid, model);
  for (const [uid, model] of Object.entries(CONTENT_TYPE_LABELS)) add('content-types', uid, model);
  return messages;
}
