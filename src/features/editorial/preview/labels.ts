/** The preview page's own words (not content) in each site language; other locales get English. */
export interface PreviewLabels {
  draftBanner: string;
  publishedBanner: string;
  by: string;
  topics: string;
  photo: string;
  when: string;
  venue: string;
  partOf: string;
  organisers: string;
  participants: string;
  affiliations: string;
  former: string;
  quotes: string;
  articles: string;
  parts: Record<string, string>;
  eventStatus: Record<string, string>;
  errorTitle: string;
  errors: Record<PreviewErrorKind, string>;
}

export type PreviewErrorKind = 'missing-token' | 'invalid-token' | 'expired-token' | 'wrong-document' | 'not-found' | 'not-configured' | 'failed';

const da: PreviewLabels = {
  draftBanner: 'Kladde – ikke offentliggjort',
  publishedBanner: 'Forhåndsvisning af den offentliggjorte version',
  by: 'Af',
  topics: 'Emner',
  photo: 'Foto',
  when: 'Tidspunkt',
  venue: 'Sted',
  partOf: 'Del af',
  organisers: 'Arrangører',
  participants: 'Deltagere',
  affiliations: 'Tilknytninger',
  former: 'tidligere',
  quotes: 'Citater',
  articles: 'Artikler',
  parts: { moderator: 'Moderator', panelist: 'Paneldeltager', speaker: 'Oplægsholder' },
  eventStatus: { cancelled: 'Aflyst', postponed: 'Udsat', rescheduled: 'Flyttet', moved_online: 'Flyttet online' },
  errorTitle: 'Forhåndsvisningen kan ikke vises',
  errors: {
    'missing-token': 'Linket mangler sin adgangsnøgle. Åbn forhåndsvisningen fra redigeringsvisningen.',
    'invalid-token': 'Linkets adgangsnøgle er ugyldig. Åbn forhåndsvisningen igen fra redigeringsvisningen.',
    'expired-token': 'Linket er udløbet. Åbn forhåndsvisningen igen fra redigeringsvisningen.',
    'wrong-document': 'Linket gælder ikke dette indhold, sprog eller denne status.',
    'not-found': 'Indholdet findes ikke i dette sprog eller denne status.',
    'not-configured': 'Forhåndsvisning er ikke sat op på serveren (PREVIEW_SECRET mangler).',
    failed: 'Forhåndsvisningen fejlede. Prøv igen.',
  },
};

const en: PreviewLabels = {
  draftBanner: 'Draft – not published',
  publishedBanner: 'Preview of the published version',
  by: 'By',
  topics: 'Topics',
  photo: 'Photo',
  when: 'When',
  venue: 'Venue',
  partOf: 'Part of',
  organisers: 'Organisers',
  participants: 'Participants',
  affiliations: 'Affiliations',
  former: 'former',
  quotes: 'Quotes',
  articles: 'Articles',
  parts: { moderator: 'Moderator', panelist: 'Panellist', speaker: 'Speaker' },
  eventStatus: { cancelled: 'Cancelled', postponed: 'Postponed', rescheduled: 'Rescheduled', moved_online: 'Moved online' },
  errorTitle: 'The preview cannot be shown',
  errors: {
    'missing-token': 'The link has no access token. Open the preview from the edit view.',
    'invalid-token': 'The link’s access token is not valid. Open the preview again from the edit view.',
    'expired-token': 'The link has expired. Open the preview again from the edit view.',
    'wrong-document': 'The link is for other content, another language or another status.',
    'not-found': 'The content does not exist in this language or status.',
    'not-configured': 'Preview is not set up on the server (PREVIEW_SECRET is missing).',
    failed: 'The preview failed. Please try again.',
  },
};

export function labelsFor(locale: string): PreviewLabels {
  return locale === 'da' ? da : en;
}

/** The locale Intl uses for dates on the page. */
export function intlLocale(locale: string): string {
  return locale === 'da' ? 'da-DK' : 'en-GB';
}
