/** Partner tokens: shown once, stored as a hash, checked on every partner request, revocable and rotatable. */
import { startApp, type TestApp } from '../helpers/app';
import { tokenSecret } from '../helpers/partners';
import type { PartnerTokenService } from '../../src/api/partner/services/partner-token';

let app: TestApp;
let partnerId: number;
const tokens = () => app.strapi.service('api::partner.partner-token') as PartnerTokenService;

beforeAll(async () => {
  app = await startApp();
  const partner = await app.strapi.db.query('api::partner.partner').create({
    data: { name: 'Folkemødet', key: 'folkemoedet', organisationSlug: 'folkemoedet', publishMode: 'draft' },
  });
  partnerId = partner.id;
});
afterAll(async () => {
  await app?.stop();
});

const me = (token?: string) => {
  const request = app.http().get('/api/partner/me');
  return token === undefined ? request : request.set('Authorization', `Bearer ${token}`);
};

it('identifies the partner a token belongs to', async () => {
  const { token } = await tokens().issue(partnerId, 'programme sync');
  expect(token).toMatch(/^ptk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
  const response = await me(token);
  expect(response.status).toBe(200);
  expect(response.body.data).toEqual({ name: 'Folkemødet', key: 'folkemoedet', publishMode: 'draft', organisationSlug: 'folkemoedet' });
});

it('stores only a hash of the token, never the token', async () => {
  const { token, tokenId } = await tokens().issue(partnerId);
  const row = await app.strapi.db.query('api::partner.partner-token').findOne({ where: { id: tokenId } });
  expect(JSON.stringify(row)).not.toContain(tokenSecret(token));
  expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
});

it.each([
  ['no Authorization header', undefined],
  ['a malformed token', 'not-a-token'],
  ['an unknown token of the right shape', `ptk_abcdef12_${'A'.repeat(43)}`],
])('answers %s with a 401 JSON error that does not echo the token', async (_name, token) => {
  const response = await me(token);
  expect(response.status).toBe(401);
  expect(response.body.error).toMatchObject({ status: 401, name: 'UnauthorizedError' });
  expect(response.headers['www-authenticate']).toBe('Bearer realm="partner"');
  if (token) expect(JSON.stringify(response.body)).not.toContain(token);
});

it('refuses a revoked token', async () => {
  const { token, tokenId } = await tokens().issue(partnerId);
  expect((await me(token)).status).toBe(200);
  await tokens().revoke(tokenId);
  expect((await me(token)).status).toBe(401);
});

it('rotates without downtime: the old token works through the grace period, the new one at once', async () => {
  const old = await tokens().issue(partnerId);
  const next = await tokens().rotate(old.tokenId, 3600);
  expect((await me(old.token)).status).toBe(200);
  expect((await me(next.token)).status).toBe(200);
  // After the grace period the old one is refused.
  expect(await tokens().verify(old.token, new Date(Date.now() + 3601 * 1000))).toBeNull();
  expect(await tokens().verify(next.token, new Date(Date.now() + 3601 * 1000))).not.toBeNull();
});

it('keeps partners and their tokens out of the public REST and GraphQL APIs', async () => {
  expect((await app.http().get('/api/partners')).status).toBe(404);
  expect((await app.http().get('/api/partner-tokens')).status).toBe(404);
  const { body } = await app.graphql('{ __schema { queryType { fields { name } } } }');
  const names = body.data.__schema.queryType.fields.map((field: { name: string }) => field.name);
  expect(names.filter((name: string) => /partner/i.test(name))).toEqual([]);
});
