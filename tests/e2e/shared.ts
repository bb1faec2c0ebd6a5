/** Constants of the browser test: what the Author and the Editor write, and where things are. */
import { COMPONENT_LABELS, CONTENT_TYPE_LABELS } from '../../src/lib/admin/labels';

export const ARTICLE_UID = 'api::article.article';
export const ARTICLES = `/content-manager/collection-types/${ARTICLE_UID}`;
export const adminArticleList = (locale: string) => `/admin${ARTICLES}?plugins[i18n][locale]=${locale}`;
export const adminArticleCreate = (locale: string) => `/admin${ARTICLES}/create?plugins[i18n][locale]=${locale}`;
export const adminArticleEdit = (documentId: string, locale: string) => `/admin${ARTICLES}/${documentId}?plugins[i18n][locale]=${locale}`;

/** The names the component picker shows (our Danish labels; the admin opens in Danish). */
export const BLOCK_NAME = {
  richText: COMPONENT_LABELS['blocks.rich-text']!.name.da,
  quote: COMPONENT_LABELS['blocks.quote']!.name.da,
};
export const BODY_LABEL = CONTENT_TYPE_LABELS[ARTICLE_UID]!.fields.body!.label.da;

/** A seeded quote (src/lib/seed/demo-content.ts), published in both languages. */
export const SEEDED_QUOTE = { search: 'afdelingslederne', person: 'Mette Harbo' };

export const DANISH = {
  title: 'Indkøbere tør godt købe det nye',
  slug: 'indkoebere-toer-godt-koebe-det-nye',
  lead: 'Afdelingsledere og indkøbere fortæller, hvad der skal til, før en ny løsning bliver taget i brug.',
  paragraph: 'Tre kommuner har prøvet at købe innovation sammen, og erfaringerne er blandede.',
};

export const ENGLISH = {
  title: 'Buyers do dare to buy the new',
  slug: 'buyers-do-dare-to-buy-the-new',
  lead: 'Department heads and buyers say what it takes before a new solution is put to use.',
};

/** Strapi's publish button, in whichever language the admin speaks. */
export const PUBLISH_BUTTON = /^(Publish|Offentliggør)$/;
