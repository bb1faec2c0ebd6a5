/** The content types the public API serves: one list, used by permissions, tests and the seed. */
export const PUBLIC_CONTENT_TYPES = [
  'api::article.article',
  'api::quote.quote',
  'api::person.person',
  'api::organisation.organisation',
  'api::event.event',
  'api::venue.venue',
  'api::topic.topic',
] as const;

export type PublicContentType = (typeof PUBLIC_CONTENT_TYPES)[number];
