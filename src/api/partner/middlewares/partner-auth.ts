/**
 * Authenticates partner endpoints: `Authorization: Bearer ptk_…`. The partner is put on
 * `ctx.state.partner`; anything else is a 401 with a JSON error (which never echoes the token).
 */
import type { Core } from '@strapi/strapi';
import type { PartnerTokenService } from '../services/partner-token';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler =>
  async (ctx, next) => {
    const header = ctx.get('authorization');
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const tokens = strapi.service('api::partner.partner-token') as PartnerTokenService;
    const partner = token ? await tokens.verify(token) : null;
    if (!partner) {
      ctx.set('WWW-Authenticate', 'Bearer realm="partner"');
      return ctx.unauthorized(token ? 'Invalid, expired or revoked partner token' : 'A partner token is required (Authorization: Bearer ptk_…)');
    }
    ctx.state.partner = partner;
    await next();
  };
