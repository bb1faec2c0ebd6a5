/**
 * Authenticates partner endpoints: `Authorization: Bearer ptk_…`. The partner is put on
 * `ctx.state.partner`; anything else is a 401 with a JSON error (which never echoes the token),
 * charged to the client IP's budget of failed authentications (src/features/delivery/rate-limit/limits.ts).
 * An IP that has spent that budget gets a 429 before its token is looked up: the rate-limit gate
 * answers so for the partner zone already, and this is where every route that takes a partner
 * token passes, however its path is written.
 */
import type { Core } from '@strapi/strapi';
import type { PartnerTokenService } from '../services/partner-token';
import { ipKeyFor, proxySettingsOf, rateLimits } from '../../../features/delivery/rate-limit/limits';
import { answerTooMany, authFailuresRefusal } from '../../../features/delivery/rate-limit/gate';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler =>
  async (ctx, next) => {
    // Already asked by the gate for /api/partner/*: the answer is kept on the request.
    const spent = await authFailuresRefusal(strapi, ctx.req);
    if (spent) return answerTooMany(ctx, spent);
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
