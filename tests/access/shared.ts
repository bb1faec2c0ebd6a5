/** Content the access tests create next to the seed story, and the values that must never leak. */
export const DRAFT_ARTICLE = {
  title: 'Kladde: hemmelig strategi for indkøb',
  slug: 'kladde-hemmelig-strategi-for-indkoeb',
};

/** A title saved on the published seed article's draft but never published. */
export const UNPUBLISHED_EDIT = 'Ikke udgivet rettelse af overskriften';

/** The English version of a published article, saved as a draft only. */
export const DRAFT_LOCALE_TITLE = 'Unpublished English version: secret procurement plan';

export const DRAFT_EVENT = {
  title: 'Hemmeligt sidearrangement',
  slug: 'hemmeligt-sidearrangement',
};

export const PRIVATE_VALUES = {
  email: 'mette.harbo@example.invalid',
  sourcePartner: 'folkemoedet-programme',
  externalId: 'fm-2023-j5-1130',
};

export const COLLECTIONS = ['articles', 'quotes', 'people', 'organisations', 'events', 'venues', 'topics'] as const;
