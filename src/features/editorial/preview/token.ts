/**
 * Owns the preview link's token: a short-lived, signed statement "this link may show this
 * document, in this locale and status, until then". It is the only credential the preview page
 * asks for, so an editor's link works in the admin's iframe (no admin cookie or JWT reaches it)
 * and stops working a few minutes later.
 *
 * Format: an HS256 JWT (RFC 7519, signed and checked with `jose`) with its header left out:
 * "<claims>.<signature>". The header is always {"alg":"HS256"}, so it carries nothing; leaving
 * it out keeps the links as short as before and the token's two-part shape unchanged. `exp` is
 * the JWT's own expiry claim.
 *
 * jose 5, not 6: jose 6 is ESM only. Node 20.20 can require() it (the compiled app would load),
 * but jest's CommonJS runtime (ts-jest) cannot ("Cannot use import statement outside a
 * module"); jose 5 still ships a CommonJS build under the same API.
 */
import { errors, jwtVerify, SignJWT } from 'jose';

export const PREVIEW_TYPES = ['article', 'event', 'person'] as const;
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

const ALGORITHM = 'HS256';
/** base64url of {"alg":"HS256"}, the header every token of ours has; put back before checking. */
const HEADER = Buffer.from(JSON.stringify({ alg: ALGORITHM })).toString('base64url');

const keyOf = (secret: string): Uint8Array => new TextEncoder().encode(secret);

/** A token for these claims; `exp` defaults to `now` (seconds, the real clock) + the configured lifetime. */
export async function signPreviewToken(
  claims: Omit<PreviewClaims, 'exp'> & { exp?: number },
  settings: PreviewTokenSettings = previewTokenSettings(),
  now: number = nowInSeconds()
): Promise<string> {
  const jwt = await new SignJWT({ type: claims.type, documentId: claims.documentId, locale: claims.locale, status: claims.status })
    .setProtectedHeader({ alg: ALGORITHM })
    .setExpirationTime(claims.exp ?? now + settings.ttlSeconds)
    .sign(keyOf(settings.secret));
  const [header, payload, signature] = jwt.split('.');
  if (header !== HEADER) throw new Error(`jose wrote an unexpected JWT header: ${header}`);
  return `${payload}.${signature}`;
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

/** Only the spelling we issue: the unpadded base64url alphabet, and nothing that re-encodes differently. */
const isCanonicalBase64url = (text: string): boolean =>
  /^[A-Za-z0-9_-]+$/.test(text) && Buffer.from(text, 'base64url').toString('base64url') === text;

/** Checks the signature first (nothing unsigned is parsed), then the shape, then expiry. */
export async function verifyPreviewToken(
  token: string,
  settings: PreviewTokenSettings = previewTokenSettings(),
  now: number = nowInSeconds()
): Promise<PreviewTokenCheck> {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { valid: false, reason: 'malformed' };
  const [payload, signature] = parts;
  // jose decodes the signature before comparing bytes, and base64url decoding ignores a last
  // character's spare bits: several spellings would pass for one MAC. Only the one we issue does.
  if (!isCanonicalBase64url(signature)) return { valid: false, reason: 'bad-signature' };

  let claims: unknown;
  try {
    // Only HS256: jose refuses any other `alg` (and "none"); `currentDate` is our clock.
    ({ payload: claims } = await jwtVerify(`${HEADER}.${payload}.${signature}`, keyOf(settings.secret), {
      algorithms: [ALGORITHM],
      currentDate: new Date(now * 1000),
    }));
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) return { valid: false, reason: 'bad-signature' };
    // Signed by us but past `exp` (jose checks it as we did: expired once exp <= now). A signed
    // token of the wrong shape is malformed whatever its expiry, as before.
    if (error instanceof errors.JWTExpired) {
      return isClaims(error.payload) ? { valid: false, reason: 'expired' } : { valid: false, reason: 'malformed' };
    }
    return { valid: false, reason: 'malformed' };
  }
  if (!isClaims(claims)) return { valid: false, reason: 'malformed' };
  return { valid: true, claims };
}
