/**
// @ts-check
 * What the Danish admin still shows in English: every key of Strapi's admin, content manager,
 * media library and i18n texts (their translation files, and keys their code asks for that no
 * file has) that has Danish neither from Strapi nor in src/admin/translations/da.json, with its
 * English text; and keys in da.json that Strapi no longer has (after an upgrade). `node scripts/admin-translations.js [key prefix]`, e.g.
 * `node scripts/admin-translations.js content-manager.` or `… Settings.webhooks`.
 */
// @ts-check
'use strict';

const { OUR_DANISH_FILE, strapiMessages, strapiCodeOnlyMessages, ourDanish } = require('./lib/admin-messages');

const prefix = process.argv[2] ?? '';
const english = { ...strapiMessages('en'), ...strapiCodeOnlyMessages() };
const danish = { ...strapiMessages('da'), ...ourDanish() };

const missing = Object.keys(english).filter((key) => key.startsWith(prefix) && !(key in danish));
for (const key of missing) console.log(`${key}\t${english[key]}`);
const stale = Object.keys(ourDanish()).filter((key) => !(key in english));
for (const key of stale) console.log(`not in Strapi any more: ${key}`);
console.error(`${missing.length} of ${Object.keys(english).filter((key) => key.startsWith(prefix)).length} texts without Danish${prefix ? ` under "${prefix}"` : ''}; add them to ${OUR_DANISH_FILE}`);
