/**
 * The admin in Danish all the way: Strapi's own Danish covers less than half of its interface,
 * src/admin/translations/da.json the rest of what editors meet. These checks keep that file
 * honest across Strapi upgrades: its keys are texts Strapi has, each message keeps the English
 * one's arguments and tags, and no text of the editor's flow is left without Danish.
 * What is left untranslated: `node scripts/admin-translations.js`.
 */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { ourDanish, strapiCodeOnlyMessages, strapiMessages } from '../../scripts/lib/admin-messages';

/**
 * Screens editors never open (developer and super-admin settings, API tokens, paid-plan offers,
 * the developer's guided tour), left in English on purpose; everything else must have Danish.
 */
const NOT_FOR_EDITORS = [
  'Settings.permissions.',
  'Settings.application.',
  'Settings.tokens.',
  'Settings.apiTokens.',
  'Settings.adminTokens.',
  'Settings.transferTokens.',
  'Settings.webhooks.',
  'Settings.sso.',
  'Settings.page.Purchase',
  'Settings.page.purchase.',
  'Settings.roles.form.input.url',
  'Usecase.',
  'global.plugins',
  'tours.contentTypeBuilder.',
  'tours.apiTokens.',
  'app.components.GuidedTour.',
  'app.components.FreeTrial',
  'app.components.UpsellBanner.',
  'app.components.BlockLink.',
  'notification.ee.',
  'content-releases.',
];
const forEditors = (key: string) => key !== 'app' && !NOT_FOR_EDITORS.some((prefix) => key.startsWith(prefix));

/** The English the issue found in the edit view, and the list views' controls it named. */
const FOUND_IN_ENGLISH = ['Back', 'Draft', 'Published', 'Save', 'Saved document', 'Add or create a relation', 'Open preview', 'Filters', 'Create new entry', 'Search', 'Entries per page'];

const english = { ...strapiMessages('en'), ...strapiCodeOnlyMessages() };
const strapiDanish = strapiMessages('da');
const ours = ourDanish();
const danish = { ...strapiDanish, ...ours };

/** The argument and tag names a message uses ({count}, {count, plural, …}, <b>…</b>). */
function names(message: string): string[] {
  const found = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
      found.add(element.type === TYPE.tag ? `<${element.value}>` : element.value);
      if (element.type === TYPE.select || element.type === TYPE.plural) {
        for (const option of Object.values(element.options)) walk(option.value);
      }
      if (element.type === TYPE.tag) walk(element.children);
    }
  };
  walk(parse(message));
  return [...found].sort();
}

it('translates only texts Strapi has (no misspelt keys, none Strapi dropped)', () => {
  expect(Object.keys(ours).filter((key) => !(key in english))).toEqual([]);
});

it('keeps every message valid, with the same arguments and tags as the English one', () => {
  const differing = Object.entries(ours)
    .map(([key, text]) => ({ key, danish: names(text), english: names(english[key]!) }))
    .filter((entry) => entry.danish.join() !== entry.english.join());
  expect(differing).toEqual([]);
});

it('leaves no text of the editor\'s flow without Danish (content manager, media library, i18n, the admin around them)', () => {
  const missing = Object.keys(english).filter((key) => forEditors(key) && !(key in danish));
  expect(missing).toEqual([]);
});

it.each(FOUND_IN_ENGLISH)('no longer shows "%s" in Danish', (text) => {
  const keys = Object.keys(english).filter((key) => english[key] === text && forEditors(key));
  expect(keys.length).toBeGreaterThan(0);
  expect(keys.filter((key) => !danish[key] || danish[key] === text)).toEqual([]);
});

it('uses an editor\'s words for the main actions', () => {
  expect(danish).toMatchObject({
    'global.save': 'Gem',
    'global.back': 'Tilbage',
    'app.utils.publish': 'Udgiv',
    'app.utils.unpublish': 'Afpublicér',
    'content-manager.containers.List.draft': 'Kladde',
    'content-manager.containers.List.published': 'Udgivet',
    'content-manager.success.record.save': 'Dokumentet er gemt',
    'content-manager.relation.add': 'Tilføj eller opret en relation',
    'content-manager.preview.panel.button': 'Åbn forhåndsvisning',
  });
});
