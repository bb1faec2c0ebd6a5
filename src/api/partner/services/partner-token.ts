/**
 * Partner credentials: issue (the token is returned once and only its SHA-256 hash is stored),
 * verify, revoke and rotate (the old token may stay valid for a grace period, so a partner can
 * switch without downtime). Tokens look like `ptk_<prefix>_<secret>`; the prefix names a token
 * in lists and logs without revealing it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import { factories } from '@strapi/strapi';

const TOKEN_UID = 'api::partner.partner-token';
const PARTNER_UID = 'api::partner.partner';
const TOKEN_SHAPE = /^ptk_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export interface IssuedToken {
  token: string;
  prefix: string;
  tokenId: number;
}

export interface VerifiedPartner {
  id: number;
  documentId: string;
  name: string;
  key: string;
  publishMode: 'publish' | 'draft';
  organisationSlug: string | null;
  tokenId: number;
}

/** The service's methods: `strapi.service('api::partner.partner-token') as PartnerTokenService`. */
export interface PartnerTokenService {
  issue(partnerId: number, label?: string): Promise<IssuedToken>;
  verify(token: string, now?: Date): Promise<VerifiedPartner | null>;
  revoke(tokenId: number, at?: Date): Promise<void>;
  rotate(tokenId: number, graceSeconds?: number): Promise<IssuedToken>;
}

const LAST_USED_RESOLUTION_MS = 60_000;

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export default factories.createCoreService(TOKEN_UID, ({ strapi }) => ({
  async issue(partnerId: number, label?: string): Promise<IssuedToken> {
    const partner = await strapi.db.query(PARTNER_UID).findOne({ where: { id: partnerId } });
    if (!partner) throw new Error(`no partner with id ${partnerId}`);
    const prefix = randomBytes(6).toString('hex').slice(0, 8);
    const token = `ptk_${prefix}_${randomBytes(32).toString('base64url')}`;
    const row = await strapi.db.query(TOKEN_UID).create({
      data: { partner: partnerId, label: label ?? null, prefix, tokenHash: hash(token) },
    });
    return { token, prefix, tokenId: row.id };
  },

  /** The partner a bearer token belongs to, or null for a malformed, unknown, expired or revoked token. */
  async verify(token: string, now = new Date()): Promise<VerifiedPartner | null> {
    const match = TOKEN_SHAPE.exec(token);
    if (!match) return null;
    const digest = hash(token);
    const row = await strapi.db.query(TOKEN_UID).findOne({ where: { tokenHash: digest }, populate: { partner: true } });
    if (!row || !row.partner) return null;
    // The lookup was by hash; compare again in constant time all the same.
    if (!timingSafeEqual(Buffer.from(row.tokenHash, 'hex'), Buffer.from(digest, 'hex'))) return null;
    if (row.revokedAt && new Date(row.revokedAt) <= now) return null;
    if (row.expiresAt && new Date(row.expiresAt) <= now) return null;
    // "Last used" to the minute is enough, and spares a write on every request of a busy sync.
    if (!row.lastUsedAt || now.getTime() - new Date(row.lastUsedAt).getTime() > LAST_USED_RESOLUTION_MS) {
      await strapi.db.query(TOKEN_UID).update({ where: { id: row.id }, data: { lastUsedAt: now } });
    }
    const { id, documentId, name, key, publishMode, organisationSlug } = row.partner;
    return { id, documentId, name, key, publishMode, organisationSlug, tokenId: row.id };
  },

  async revoke(tokenId: number, at = new Date()): Promise<void> {
    await strapi.db.query(TOKEN_UID).update({ where: { id: tokenId }, data: { revokedAt: at } });
  },

  /** A new token for the same partner; the old one stays valid for `graceSeconds` (0: ends now). */
  async rotate(tokenId: number, graceSeconds = 0): Promise<IssuedToken> {
    const old = await strapi.db.query(TOKEN_UID).findOne({ where: { id: tokenId }, populate: { partner: true } });
    if (!old?.partner) throw new Error(`no partner token with id ${tokenId}`);
    const issued = await (this as PartnerTokenService).issue(
      old.partner.id,
      old.label ?? undefined
    );
    await strapi.db.query(TOKEN_UID).update({
      where: { id: tokenId },
      data: { revokedAt: new Date(Date.now() + graceSeconds * 1000) },
    });
    return issued;
  },
}));
