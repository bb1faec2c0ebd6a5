/**
 * Owns the preview link's token: a short-lived, signed statement "this link may show this
 * document, in this locale and status, until then". It is the only credential the preview page
 * asks for, so an editor's link works in the admin's iframe (no admin cookie or JWT reaches it)
 * and stops working a few minutes later.
 *
 * Format: base64url(JSON claims) "." base64url(HMAC-SHA256(PREVIEW_SECRET, first part)).
 * Node's crypto only; the signature is compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'crypto';

export const PREVIEW_TYPES = ['article', 'event'] as const;
export type PreviewType = (typeof PREVIEW_TYPES)[number];
export const PREVIEW_STATUSES = ['draft', 'published'] as const;
export type PreviewStatus = (typeof PREVIEW_STATUSES)[number];

export interface PreviewClaims {
  type: PreviewType;
  documentId: string;
  locale: string;
  status: PreviewStatus;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** Ten minutes: long enough to look at a draft, short enough that a leaked link soon dies. */
export const DEFAULT_TTL_SECONDS = 600;

export interface PreviewTokenSettings {
  secret: string;
  ttlSeconds: number;
}

/** `strapi.config.get('preview')` (config/preview.ts): the secret is empty when none is set. */
export type PreviewConfig = PreviewTokenSettings;

export class PreviewNotConfiguredError extends Error {
  constructor() {
    super('PREVIEW_SECRET is not set: preview links cannot be signed or checked (run `node scripts/ensure-env.mjs` locally).');
    this.name = 'PreviewNotConfiguredError';
  }
}

/**
 * The settings to sign and check with, from config/preview.ts (by default the running app's,
 * through the global `strapi`: the admin's preview handler is called where no instance is passed).
 * Throws PreviewNotConfiguredError without a secret, so the page can answer 503 instead.
 */
export function previewTokenSettings(config: PreviewConfig = strapi.config.get<PreviewConfig>('preview')): PreviewTokenSettings {
  if (!config.secret) throw new PreviewNotConfiguredError();
  return { secret: config.secret, ttlSeconds: config.ttlSeconds };
}

/** The real clock, in whole seconds; sign and verify take another `now` so tests can fix time. */
const nowInSeconds = (): number => Math.floor(Date.now() / 1000);

const sign = (payload: string, secret: string): Buffer => createHmac('sha256', secret).update(payload).digest();

/** A token for these claims; `exp` defaults to `now` (seconds, the real clock) + the configured lifetime. */
export function signPreviewToken(
  claims: Omit<PreviewClaims, 'exp'> & { exp?: number },
  settings: PreviewTokenSettings = previewTokenSettings(),
  now: number = nowInSeconds()
): string {
  const full: PreviewClaims = {
    type: claims.type,
    documentId: claims.documentId,
    locale: claims.locale,
    status: claims.status,
    exp: claims.exp ?? now + settings.ttlSeconds,
  };
  const payload = Buffer.from(JSON.stringify(full)).toString('base64url');
  return `${payload}.${sign(payload, settings.secret).toString('base64url')}`;
}

export type PreviewTokenCheck =
  | { valid: true; claims: PreviewClaims }
  | { valid: false; reason: 'malformed' | 'bad-signature' | 'expired' };

function isClaims(value: unknown): value is PreviewClaims {
  const claims = value as Partial<PreviewClaims> | null;
  return (
    typeof claims === 'object' &&
    claims !== null &&
    (PREVIEW_TYPES as readonly unknown[]).includes(claims.type) &&
    typeof claims.documentId === 'string' &&
    typeof claims.locale === 'string' &&
    (PREVIEW_STATUSES as readonly unknown[]).includes(claims.status) &&
    Number.isInteger(claims.exp)
  );
}

/** Checks the signature first (nothing unsigned is parsed), then the shape, then expiry. */
export function verifyPreviewToken(
  token: string,
  settings: PreviewTokenSettings = previewTokenSettings(),
  now: number = nowInSeconds()
): PreviewTokenCheck {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { valid: false, reason: 'malformed' };
  const [payload, signature] = parts;

  // Compared as text, not decoded bytes: base64url decoding ignores a last character's spare
  // bits, so several spellings decode to the same MAC and only the one we issue is accepted.
  const expected = Buffer.from(sign(payload, settings.secret).toString('base64url'));
  const given = Buffer.from(signature);
  // timingSafeEqual needs equal lengths; the length of a SHA-256 MAC is no secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { valid: false, reason: 'bad-signature' };
  }

  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { valid: false, reason: 'malformed' };
  }
  if (!isClaims(claims)) return { valid: false, reason: 'malformed' };
  if (claims.exp <= now) return { valid: false, reason: 'expired' };
  return { valid: true, claims };
}
