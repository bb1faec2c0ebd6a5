/** The preview tests' constants: the seed story's facts they look for, and what they write. */
export const ARTICLE_UID = 'api::article.article';
export const EVENT_UID = 'api::event.event';
export const PERSON_UID = 'api::person.person';

export const SEED_ARTICLE = {
  slug: 'folkemoedet-hvordan-faar-innovation-plads-i-den-offentlige-indkoebsvogn',
  title: {
    da: 'Folkemødet: Hvordan får innovation plads i den offentlige indkøbsvogn?',
    en: 'Folkemødet: How does innovation get into the public shopping trolley?',
  },
  factBoxTitle: { da: 'Tid og sted', en: 'Time and place' },
};

export const SEED_EVENT = {
  slug: 'spaend-innovation-for-den-offentlige-indkoebsvogn',
  title: { da: 'Spænd innovation for den offentlige indkøbsvogn', en: 'Hitch innovation to the public shopping trolley' },
  // Friday 16 June 2023, 11:30–12:30 in Copenhagen (summer time, UTC+2).
  startsAtLocal: '2023-06-16T11:30:00+02:00',
  endsAtLocal: '2023-06-16T12:30:00+02:00',
  venue: 'Kæmpestrandens debattelt (J5)',
  panel: ['Mette Harbo', 'Morten Jung', 'Karen Storgaard Larsen', 'Kim Toft Madsen'],
};

/** The seed story's quoted person and her current role, as the preview shows them. */
export const SEED_PERSON = { name: 'Mette Harbo', role: 'Konstitueret direktør, Center for IT og Medicoteknologi' };

/** Saved on the seed article's Danish draft only, so draft and published differ. */
export const DRAFT_TITLE = 'Kladde: ny overskrift før udgivelse';

/** A title that would run a script if it were not escaped. */
export const HOSTILE_TITLE = '<script>alert("x")</script> & <b>fed</b>';

/** `/preview/...?...` from a full preview URL, for supertest. */
export const pathOf = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};
