/** Constants of the browser test: what the Author and the Editor write, and where things are. */
import { COMPONENT_LABELS, CONTENT_TYPE_LABELS } from '../../src/features/editorial/admin/labels';

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

/** Strapi's publish button in the Danish admin (src/admin/translations/da.json). */
export const PUBLISH_BUTTON = /^Udgiv$/;

/**
 * Strapi's English an editor must not meet in the Danish admin: what the issue found in the edit
 * view, the list views' controls, and the other views' buttons, headings and messages.
 */
export const ENGLISH_IN_DANISH_ADMIN = [
  // Found in the edit view (issue 12).
  'Back', 'Draft', 'Published', 'Save', 'Saved document', 'Add or create a relation', 'Open preview',
  // List views.
  'Filters', 'Create new entry', 'Search', 'Entries per page', 'entries found', 'Modified', 'Columns', 'Displayed fields',
  'Publish', 'Unpublish', 'Delete', 'Delete selected', 'Duplicate', 'Edit', 'Select all', 'Go to page', 'Add filter',
  // Edit view, relations, dialogs, toasts.
  'Entry', 'Created', 'Updated', 'Document status', 'More actions', 'More document actions', 'Relations are loading',
  'Load More', 'No relations available', 'Confirmation', 'Confirm', 'Cancel', 'Are you sure', 'Already Published',
  'Already published', 'Ready to publish', 'Unpublish and keep last draft', 'Unpublish and replace last draft',
  'Published document', 'Unpublished document', 'Discard changes', 'Content History', 'Preview', 'Close preview',
  'Copy preview link', 'Regenerate', 'Available', 'Unavailable', 'Add a component to', 'Pick one component',
  // Home, menus, media library, login.
  'Home', 'Content Manager', 'Media Library', 'Settings', 'Hello', 'Welcome to your administration panel',
  'Last edited entries', 'Last published entries', 'Profile', 'Log out', 'Logout', 'Collection Types', 'Single Types',
  'Add new assets', 'Add new folder', 'Folders', 'Assets', 'Sort', 'Filter', 'No assets', 'Loading',
  'Log in', 'Login', 'Password', 'Remember me', 'Forgot your password?', 'Welcome to Strapi!', 'Log in to your Strapi account',
];
