/**
 * The preview token on its own: what it accepts and what it refuses. No app needed.
 */
import preview from '../../config/preview';
import { signPreviewToken, verifyPreviewToken, DEFAULT_TTL_SECONDS, previewTokenSettings } from '../../src/features/editorial/preview/token';
import { loadConfig } from '../helpers/config';

const settings = { secret: 'a-test-secret-of-reasonable-length', ttlSeconds: 600 };
const claims = { type: 'article', documentId: 'abc123', locale: 'da', status: 'draft' } as const;

it('accepts its own token and returns the claims, expiring after the lifetime', async () => {
  // A fixed clock for signing and checking: the real one could cross a second between calls.
  const now = 1_700_000_000;
  const token = await signPreviewToken(claims, settings, now);
  const check = await verifyPreviewToken(token, settings, now);
  expect(check.valid).toBe(true);
  if (!check.valid) return;
  expect(check.claims).toMatchObject(claims);
  expect(check.claims.exp - now).toBeGreaterThanOrEqual(599);
  expect(check.claims.exp - now).toBeLessThanOrEqual(600);
  // One second past expiry it is refused.
  expect(await verifyPreviewToken(await signPreviewToken(claims, settings, now), settings, check.claims.exp)).toEqual({ valid: false, reason: 'expired' });
});

it('refuses a token signed with another secret', async () => {
  const token = await signPreviewToken(claims, { ...settings, secret: 'another-secret' });
  expect(await verifyPreviewToken(token, settings)).toEqual({ valid: false, reason: 'bad-signature' });
});

it('refuses a token whose claims were changed after signing', async () => {
  const [, signature] = (await signPreviewToken(claims, settings)).split('.');
  const forged = Buffer.from(JSON.stringify({ ...claims, documentId: 'other', exp: 9999999999 })).toString('base64url');
  expect(await verifyPreviewToken(`${forged}.${signature}`, settings)).toEqual({ valid: false, reason: 'bad-signature' });
});

it('refuses another spelling of the same signature (spare bits in its last character)', async () => {
  const token = await signPreviewToken(claims, settings);
  // 32 bytes in base64url: the last of 43 characters carries 2 unused bits.
  const last = token.at(-1)!;
  const sibling = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').find(
    // Three characters carry 18 bits for 2 bytes: the same 2 spare bits.
    (char) => char !== last && Buffer.from(`AA${char}`, 'base64url').equals(Buffer.from(`AA${last}`, 'base64url'))
  )!;
  expect(sibling).toBeDefined();
  expect(await verifyPreviewToken(token.slice(0, -1) + sibling, settings)).toEqual({ valid: false, reason: 'bad-signature' });
});

it.each([[''], ['no-dot'], ['a.b.c'], ['.sig'], ['payload.']])('refuses the malformed token %p', async (token) => {
  expect((await verifyPreviewToken(token, settings)).valid).toBe(false);
});

it('refuses signed claims of the wrong shape', async () => {
  const token = await signPreviewToken({ ...claims, status: 'archived' as never }, settings);
  expect(await verifyPreviewToken(token, settings)).toEqual({ valid: false, reason: 'malformed' });
});

// Read in config/preview.ts since issue 11; a lifetime that is no whole number now stops the boot.
it('reads the secret and lifetime from the environment, with ten minutes by default', () => {
  const settings = (variables: Record<string, string | undefined>) =>
    previewTokenSettings(loadConfig(preview, { PREVIEW_TOKEN_TTL_SECONDS: undefined, ...variables }));
  expect(settings({ PREVIEW_SECRET: 's' })).toEqual({ secret: 's', ttlSeconds: DEFAULT_TTL_SECONDS });
  expect(settings({ PREVIEW_SECRET: 's', PREVIEW_TOKEN_TTL_SECONDS: '60' }).ttlSeconds).toBe(60);
  expect(() => settings({ PREVIEW_SECRET: ' ' })).toThrow(/PREVIEW_SECRET/);
  expect(() => settings({ PREVIEW_SECRET: 's', PREVIEW_TOKEN_TTL_SECONDS: 'soon' })).toThrow(/PREVIEW_TOKEN_TTL_SECONDS/);
});
