/** Partners with tokens for tests, made through the same service the CLI uses. */
import type { TestApp } from './app';
import type { PartnerTokenService } from '../../src/api/partner/services/partner-token';

export interface TestPartner {
  key: string;
  token: string;
  /** `Authorization` header value. */
  auth: string;
}

export async function createPartner(
  app: TestApp,
  options: { name: string; key: string; publishMode?: 'publish' | 'draft' },
): Promise<TestPartner> {
  const partner = await app.strapi.db.query('api::partner.partner').create({
    data: { name: options.name, key: options.key, publishMode: options.publishMode ?? 'publish' },
  });
  const tokens = app.strapi.service('api::partner.partner-token') as PartnerTokenService;
  const { token } = await tokens.issue(partner.id, 'tests');
  return { key: options.key, token, auth: `Bearer ${token}` };
}

/** The secret part of a partner token `ptk_<prefix>_<secret>` (base64url, which may itself hold '_'). */
export function tokenSecret(token: string): string {
  const secret = token.split('_').slice(2).join('_');
  if (secret.length !== 43) throw new Error(`not a partner token: ${token.slice(0, 12)}…`);
  return secret;
}
