import { ensureLocales } from '../../src/lib/i18n/locales';
import { startApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

const localesService = () => app.strapi.plugin('i18n').service('locales');

describe('locales', () => {
  it('has Danish as the default locale and English beside it', async () => {
    const locales = await localesService().find();
    expect(locales.map((locale: { code: string }) => locale.code).sort()).toEqual(['da', 'en']);
    expect(await localesService().getDefaultLocale()).toBe('da');
  });

  it('creates nothing more when bootstrap runs again', async () => {
    await ensureLocales(app.strapi);
    await ensureLocales(app.strapi);
    expect(await app.strapi.db.query('plugin::i18n.locale').count()).toBe(2);
  });

  it('puts Danish back as the default if someone changed it', async () => {
    await localesService().setDefaultLocale({ code: 'en' });
    await ensureLocales(app.strapi);
    expect(await localesService().getDefaultLocale()).toBe('da');
  });

  it('writes a document without a locale in Danish', async () => {
    const topic = await app.strapi.documents('api::topic.topic').create({ data: { name: 'Klima', slug: 'klima' } });
    expect(topic.locale).toBe('da');
  });
});
