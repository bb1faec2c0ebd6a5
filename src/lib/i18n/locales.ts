/**
 * Owns the site's languages: Danish first (the default), English second.
 * Strapi's i18n plugin creates `en` as its default on an empty database; `ensureLocales`
 * turns that into ours at every boot, and does nothing when it is already so.
 */
import type { Core } from '@strapi/strapi';

export const DEFAULT_LOCALE = 'da';
export const LOCALES = [
  { code: 'da', name: 'Dansk (da)' },
  { code: 'en', name: 'English (en)' },
] as const;
export type LocaleCode = (typeof LOCALES)[number]['code'];

/** True when a value (a query parameter, say) is one of our locale codes. */
export const isLocaleCode = (value: unknown): value is LocaleCode => LOCALES.some((known) => known.code === value);

interface LocalesService {
  findByCode(code: string): Promise<{ id: number; code: string } | null>;
  create(locale: { code: string; name: string }): Promise<unknown>;
  getDefaultLocale(): Promise<string | undefined>;
  setDefaultLocale(params: { code: string }): Promise<unknown>;
}

export async function ensureLocales(strapi: Core.Strapi): Promise<void> {
  const locales = strapi.plugin('i18n').service('locales') as LocalesService;
  for (const locale of LOCALES) {
    if (!(await locales.findByCode(locale.code))) {
      await locales.create({ code: locale.code, name: locale.name });
      strapi.log.info(`[i18n] created locale ${locale.code}`);
    }
  }
  if ((await locales.getDefaultLocale()) !== DEFAULT_LOCALE) {
    await locales.setDefaultLocale({ code: DEFAULT_LOCALE });
    strapi.log.info(`[i18n] default locale set to ${DEFAULT_LOCALE}`);
  }
}
