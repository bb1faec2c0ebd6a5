/** What the typed-client page tests add to the seed facts in ../public-api/shared.ts. */

/** An article the test publishes in Danish only (its slug made from the title). */
export const DANISH_ONLY = { title: 'Kun på dansk', slug: 'kun-paa-dansk' };

/** The quoted person whose page is loaded. */
export const PERSON_SLUG = 'mette-harbo';

/** A seeded topic, by locale. */
export const TOPIC_SLUG = { da: 'innovative-offentlige-indkoeb', en: 'innovative-public-procurement' };
