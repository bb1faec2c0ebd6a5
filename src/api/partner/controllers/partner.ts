import { factories } from '@strapi/strapi';
import type { Context } from 'koa';
import type { VerifiedPartner } from '../services/partner-token';

export default factories.createCoreController('api::partner.partner', () => ({
  /** GET /api/partner/me: which partner this token belongs to. */
  async me(ctx: Context) {
    const partner = ctx.state.partner as VerifiedPartner;
    ctx.body = {
      data: {
        name: partner.name,
        key: partner.key,
        publishMode: partner.publishMode,
        organisationSlug: partner.organisationSlug,
      },
    };
  },
}));
