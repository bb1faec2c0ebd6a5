import { startApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

describe('locales', () => {
  it('has Danish as the default locale and English beside it', async () => {
    const locales = await app.strapi.plugin('i18n').service('locales').find();
    const codes = locales.map((locale: { code: string }) => locale.code).sort();
    expect(codes).toEqual(['da', 'en']);
    expect(await app.strapi.plugin('i18n').service('locales').getDefaultLocale()).toBe('da');
  });
});
