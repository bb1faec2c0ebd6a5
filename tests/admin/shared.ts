/** Constants the admin specs share (and a browser spec can reuse): paths, role codes, labels. */
export const ARTICLES = '/content-manager/collection-types/api::article.article';
export const configurationPath = (uid: string) => `/content-manager/content-types/${uid}/configuration`;
export const ROLE = { author: 'author', editor: 'editor' } as const;
export const ROLE_NAME = { author: 'Skribent', editor: 'Redaktør' } as const;
