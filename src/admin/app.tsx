/**
 * Admin panel customisation: Danish beside English (Strapi always has English), Danish as the
 * language a new browser starts in, and our field labels and type names in both languages
 * (src/features/editorial/admin/labels.ts; the content manager looks labels up as translations).
 *
 * Strapi's own Danish covers less than half of its interface (none of the content manager);
 * ./translations/da.json holds the rest and our corrections, by Strapi's message keys
 * (plugin keys prefixed `content-manager.`, `upload.`, `i18n.`). Strapi merges, for each
 * language: its own file, then its plugins' files, then these; English stays Strapi's own.
 */
import type { StrapiApp } from '@strapi/strapi/admin';
import { adminTranslations } from '../features/editorial/admin/labels';
import { englishListHeader } from '../features/editorial/admin/search-total-text';
import danishInterface from './translations/da.json';
import duplicatesDa from './translations/duplicates-da.json';
import duplicatesEn from './translations/duplicates-en.json';
import { ArrowsCounterClockwise } from '@strapi/icons';

// Strapi keeps the chosen admin language here; it starts in English when nothing is stored.
const LANGUAGE_STORAGE_KEY = 'strapi-admin-language';

export default {
  config: {
    // Strapi 5.54 lists English first whatever the order here; `dk` is the legacy code it maps to `da`.
    locales: ['da'],
    translations: {
      da: { ...danishInterface, ...adminTranslations('da'), ...duplicatesDa },
      en: { ...adminTranslations('en'), ...englishListHeader(), ...duplicatesEn },
    },
  },
  register(app: StrapiApp) {
    // "Mulige dubletter": the review queue of possible duplicates (src/admin/pages/Duplicates.tsx),
    // for roles with the permission the admin routes check (Redaktør, not Skribent).
    app.addMenuLink({
      to: 'duplicates',
      icon: ArrowsCounterClockwise,
      intlLabel: { id: 'duplicates.menu', defaultMessage: 'Possible duplicates' },
      permissions: [{ action: 'api::partner.review-duplicates', subject: null }] as any,
      Component: () => import('./pages/Duplicates'),
    });
  },
  bootstrap(_app: StrapiApp) {
    // Danish first: a browser that never picked a language opens the admin in Danish.
    // Profile → "Interface language" switches to English, and that choice is kept.
    if (typeof window !== 'undefined' && !window.localStorage.getItem(LANGUAGE_STORAGE_KEY)) {
      window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'da');
    }
  },
};
