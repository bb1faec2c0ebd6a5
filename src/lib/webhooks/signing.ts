/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp`
 * and `webhook-signature` headers, signed with the `standardwebhooks` package. A subscription may
 * hold several secrets during a rotation; each unexpired one signs, and the header carries all
 * signatures space-separated, so a receiver holding either the old or the new secret verifies.
 * Signed at send time, not when queued: receivers reject timestamps more than 5 minutes old.
 */
import { Webhook } from 'standardwebhooks';

/** One of a subscription's secrets (`whsec_<base64>`); `expiresAt` is set when a rotation retires it. */
export interface SigningSecret {
  secret: string;
  createdAt: string;
  expiresAt: string | null;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The secrets that sign at `now`: those without an end, and those whose end is still ahead. */
export function signingSecrets(secrets: SigningSecret[], now: Date): SigningSecret[] {
  return secrets.filter((secret) => !secret.expiresAt || new Date(secret.expiresAt) > now);
}

export function signMessage(secrets: SigningSecret[], messageId: string, payload: string, now = new Date()): SignedHeaders {
  const active = signingSecrets(secrets, now);
  if (active.length === 0) throw new Error('no unexpired signing secret');
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': active.map((secret) => new Webhook(secret.secret).sign(messageId, now, payload)).join(' '),
  };
}
