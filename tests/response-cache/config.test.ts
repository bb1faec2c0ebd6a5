/** Bad cache settings stop the app at start with a message naming the variable. */
import { env } from '@strapi/utils';
import cacheConfig from '../../config/cache';

const load = () => cacheConfig({ env } as never);

const cases: Array<[string, string, RegExp]> = [
  ['RESPONSE_CACHE', 'maybe', /RESPONSE_CACHE must be "on" or "off"; got "maybe"/],
  ['RESPONSE_CACHE_MAX_MB', 'lots', /RESPONSE_CACHE_MAX_MB must be a positive number/],
  ['RESPONSE_CACHE_MAX_MB', '0', /RESPONSE_CACHE_MAX_MB must be a positive number/],
  ['RESPONSE_CACHE_COHERENCE', 'redis', /RESPONSE_CACHE_COHERENCE must be "local" or "database"; got "redis"/],
  ['RESPONSE_CACHE_INVALIDATION', 'some', /RESPONSE_CACHE_INVALIDATION must be "selective" or "everything"; got "some"/],
  ['CACHE_MAX_AGE', '-1', /CACHE_MAX_AGE must be a whole number of seconds/],
  ['CACHE_S_MAXAGE', 'soon', /CACHE_S_MAXAGE must be a whole number of seconds/],
  ['CACHE_PURGE_URLS', 'http://ok.example/purge, varnish:6081', /CACHE_PURGE_URLS must list .*"varnish:6081"/],
];

afterEach(() => {
  for (const [name] of cases) delete process.env[name];
});

it.each(cases)('%s=%s is refused, naming the variable', (name, value, message) => {
  process.env[name] = value;
  expect(load).toThrow(message);
});

it('defaults: on, 64 MB, coherence chosen by the database, short Cache-Control, no purges', () => {
  expect(load()).toMatchObject({
    enabled: true,
    maxBytes: 64 * 1024 * 1024,
    coherence: '',
    invalidation: 'selective',
    http: { maxAge: 5, sMaxAge: 60, staleWhileRevalidate: 30 },
    purge: { urls: [] },
  });
});

it('RESPONSE_CACHE=off and a list of purge URLs', () => {
  process.env.RESPONSE_CACHE = 'off';
  process.env.CACHE_PURGE_URLS = 'http://127.0.0.1:6081/, https://cdn.example/purge';
  expect(load()).toMatchObject({ enabled: false, purge: { urls: ['http://127.0.0.1:6081/', 'https://cdn.example/purge'] } });
});
