/** CORS_ORIGINS: absolute http(s) origins only, checked at start; a bad entry stops the app naming the variable and the entry. */
import { env } from '@strapi/utils';
import corsConfig from '../../config/cors';
import { startApp } from '../helpers/app';
import { withEnv } from '../rate-limits/shared';

const load = () => corsConfig({ env } as never);
afterEach(() => {
  delete process.env.CORS_ORIGINS;
});

it.each([
  'cms.example.dk',
  'https://cms.example.dk/',
  'https://cms.example.dk/admin',
  'https://cms.example.dk?x=1',
  'ftp://cms.example.dk',
  'https://user:pw@cms.example.dk',
  '*',
  'https://',
])('"%s" is refused, naming CORS_ORIGINS and the entry', (entry) => {
  process.env.CORS_ORIGINS = `https://ok.example.dk,${entry}`;
  expect(load).toThrow(`CORS_ORIGINS must list origins like https://app.example.dk or http://localhost:3000; got "${entry}"`);
});

it('origins are kept in the form browsers send: lower-case host, default port left out', () => {
  process.env.CORS_ORIGINS = 'https://CMS.example.dk:443, http://localhost:3000,,http://127.0.0.1:80';
  expect(load()).toEqual({ origins: ['https://cms.example.dk', 'http://localhost:3000', 'http://127.0.0.1'] });
});

it('none by default', () => {
  expect(load()).toEqual({ origins: [] });
});

it('the app refuses to start with a bad CORS_ORIGINS', async () => {
  const restore = withEnv({ CORS_ORIGINS: 'https://cms.example.dk/admin/' });
  try {
    await expect(startApp()).rejects.toThrow(/CORS_ORIGINS .*got "https:\/\/cms\.example\.dk\/admin\/"/);
  } finally {
    restore();
  }
});
