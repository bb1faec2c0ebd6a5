/**
 * The admin interface's texts by message key, as the admin panel merges them: Strapi's own files
 * (the admin and the plugins an editor works in, plugin keys prefixed with the plugin's id) and
 * our Danish in src/admin/translations/da.json (read by src/admin/app.tsx). Used by
 * scripts/admin-translations.js (what is left to translate) and tests/admin/translations.test.ts.
 */
// @ts-check
'use strict';

const fs = require('fs');
const path = require('path');

/**
 * Where each package keeps its compiled translation files, the prefix its keys get, and the
 * name of its helper that adds the prefix in code (`getTranslation('containers.List.draft')`).
 */
const STRAPI_PACKAGES = [
  { name: '@strapi/admin', prefix: '', folder: 'dist/admin/admin/src/translations', prefixer: '' },
  { name: '@strapi/content-manager', prefix: 'content-manager.', folder: 'dist/admin/translations', prefixer: 'getTranslation' },
  { name: '@strapi/upload', prefix: 'upload.', folder: 'dist/admin/translations', prefixer: 'getTrad' },
  { name: '@strapi/i18n', prefix: 'i18n.', folder: 'dist/admin/translations', prefixer: 'getTranslation' },
];

/** @param {string} name */
const packageRoot = (name) => path.dirname(require.resolve(`${name}/package.json`, { paths: [path.join(__dirname, '..', '..')] }));

const OUR_DANISH_FILE = path.join(__dirname, '..', '..', 'src', 'admin', 'translations', 'da.json');

/**
 * Strapi's texts in one language, by the keys the admin looks them up by (a package without a
 * file for the language adds nothing).
 * @param {'en' | 'da'} language
 * @returns {Record<string, string>}
 */
function strapiMessages(language) {
  /** @type {Record<string, string>} */
  const messages = {};
  for (const pkg of STRAPI_PACKAGES) {
    const root = packageRoot(pkg.name);
    const file = path.join(root, pkg.folder, `${language}.json.js`);
    if (!fs.existsSync(file)) continue;
    const loaded = require(file);
    const data = loaded.default ?? loaded;
    for (const [key, text] of Object.entries(data)) {
      if (key !== 'default' && typeof text === 'string') messages[pkg.prefix + key] = text;
    }
  }
  return messages;
}

/**
 * Texts Strapi's code asks for by a key that no translation file has, with the English it falls
 * back to (`formatMessage({ id: 'search.placeholder', defaultMessage: 'Search' })` in the
 * content manager's menu, `content-manager.plugin.name`…): shown in English whatever the
 * language, unless we give the key a translation. Found by reading the packages' compiled admin
 * code (enterprise-only and settings-only folders left out).
 * @returns {Record<string, string>}
 */
function strapiCodeOnlyMessages() {
  const inFiles = strapiMessages('en');
  /** @type {Record<string, string>} */
  const found = {};
  for (const pkg of STRAPI_PACKAGES) {
    const admin = path.join(packageRoot(pkg.name), 'dist', 'admin');
    const call = pkg.prefixer ? `(?:(${pkg.prefixer})\\(\\s*)?` : '()';
    const pattern = new RegExp(`id:\\s*${call}(['"])([^'"\`$]+)\\2\\)?\\s*,\\s*defaultMessage:\\s*(['"])((?:\\\\.|(?!\\4).)*)\\4`, 'g');
    /** @param {string} folder */
    const walk = (folder) => {
      for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
        const file = path.join(folder, entry.name);
        if (entry.isDirectory()) {
          if (!['translations', 'ee', 'tests'].includes(entry.name)) walk(file);
        } else if (file.endsWith('.mjs')) {
          for (const match of fs.readFileSync(file, 'utf8').matchAll(pattern)) {
            // Groups 3 (the id) and 5 (the message) are not optional: both are set on every match.
            const id = /** @type {string} */ (match[3]);
            const key = match[1] ? pkg.prefix + id : id;
            if (!(key in inFiles)) found[key] = /** @type {string} */ (match[5]).replace(/\\(.)/g, '$1');
          }
        }
      }
    };
    walk(admin);
  }
  return found;
}

/** @returns {Record<string, string>} */
function ourDanish() {
  return JSON.parse(fs.readFileSync(OUR_DANISH_FILE, 'utf8'));
}

module.exports = { STRAPI_PACKAGES, OUR_DANISH_FILE, strapiMessages, strapiCodeOnlyMessages, ourDanish };
