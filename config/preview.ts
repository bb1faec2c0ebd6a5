/**
 * The preview page's token settings (src/features/editorial/preview/token.ts), read once at boot.
 *
 * - PREVIEW_SECRET: signs and checks preview links. May be empty outside production: the page then
 *   answers 503 and says so (production refuses to start without it, src/lib/env/secrets.ts).
 * - PREVIEW_TOKEN_TTL_SECONDS: lifetime of a preview link, seconds (default 600).
 */
import type { Core } from '@strapi/strapi';
import { DEFAULT_TTL_SECONDS, type PreviewConfig } from '../src/features/editorial/preview/token';

export default ({ env }: Core.Config.Shared.ConfigParams): PreviewConfig => {
  // Empty counts as unset: a copied .env.example may hold `NAME=` lines.
  const ttlRaw = env('PREVIEW_TOKEN_TTL_SECONDS', '').trim();
  const ttl = ttlRaw === '' ? DEFAULT_TTL_SECONDS : Number(ttlRaw);
  if (!/^\d*$/.test(ttlRaw) || !Number.isSafeInteger(ttl) || ttl < 1) {
    throw new Error(`PREVIEW_TOKEN_TTL_SECONDS must be a whole number of seconds >= 1; got "${ttlRaw}"`);
  }
  return { secret: env('PREVIEW_SECRET', '').trim(), ttlSeconds: ttl };
};
