/** Constants the admin specs share (and a browser spec can reuse): paths, role codes, labels. */
export const ARTICLES = '/content-manager/collection-types/api::article.article';
export const configurationPath = (uid: string) => `/content-manager/content-types/${uid}/configuration`;
export const ROLE = { author: 'author', editor: 'editor' } as const;
export const ROLE_NAME = { author: 'Skribent', editor: 'Redaktør' } as const;

/**
 * A Danish article draft as a row of `articles`, for specs that need many drafts (a thousand
 * through the Document Service would take minutes; what they check reads rows, not documents).
 * `key` makes the document id and slug (`<key><index>`), unique per spec.
 */
export function articleDraftRow(key: string, index: number, fields: { title: string; lead?: string }, now = new Date()) {
  const prefix = key.replace(/-/g, '');
  return {
    document_id: `${prefix}${String(index).padStart(24 - prefix.length, '0')}`,
    locale: 'da',
    slug: `${key}-${index}`,
    published_at: null,
    created_at: now,
    updated_at: now,
    ...fields,
  };
}
