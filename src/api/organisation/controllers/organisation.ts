import { factories } from '@strapi/strapi';
import { findBySlugAction } from '../../../lib/slug/lookup';
import { attachPeopleToOrganisations } from '../../../lib/shapes/reverse-relations';

export default factories.createCoreController('api::organisation.organisation', ({ strapi }) => ({
  findBySlug: findBySlugAction(strapi, 'api::organisation.organisation'),

  // Every read (list, single, slug) passes here: the default shape also lists the organisation's people.
  async sanitizeOutput(data: unknown, ctx: any) {
    const sanitized = await super.sanitizeOutput(data, ctx);
    if (ctx.state.defaultShape) await attachPeopleToOrganisations(strapi, sanitized);
    return sanitized;
  },
}));
