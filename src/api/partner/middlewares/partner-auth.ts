/**
 * Authenticates partner endpoints: `Authorization: Bearer ptk_…`. The partner is put on
 * `ctx.state.partner`; anything else is a 401 with a JSON error (which never echoes the token),
 * charged to the client IP's budget of failed authentications (src/lib/rate-limit/limits.ts).
 */
import type { Core } from '@strapi/strapi';
import type { PartnerTokenService } from '../services/partner-token';
import { ipKeyFor, proxySettingsOf, rateLimits } from '../../../lib/rate-limit/limits';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler =>
  async (ctx, next) => {
    const header = ctx.get('authorization');
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const tokens = strapi.service('api::partner.partner-token') as PartnerTokenService;
    const partner = token ? await tokens.verify(token) : null;
    if (!partner) {
      const limits = rateLimits(strapi);
      if (limits.config.enabled) await limits.chargeAuthFailure(ipKeyFor(ctx.req, proxySettingsOf(strapi)));
      ctx.set('WWW-Authenticate', 'Bearer realm="partner"');
      return ctx.unauthorized(token ? 'Invalid, expired or revoked partner token' : 'A partner token is required (Authorization: Bearer ptk_…)');
    }
    ctx.state.partner = partner;
    await next();
  };
