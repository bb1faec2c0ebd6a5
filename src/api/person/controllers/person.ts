import { factories } from '@strapi/strapi';
import { findBySlugAction } from '../../../lib/slug/lookup';
import { attachEventsToPeople } from '../../../lib/shapes/reverse-relations';

export default factories.createCoreController('api::person.person', ({ strapi }) => ({
  findBySlug: findBySlugAction(strapi, 'api::person.person'),

  // Every read (list, single, slug) passes here: the default shape also lists the person's events.
  async sanitizeOutput(data: unknown, ctx: any) {
    const sanitized = await super.sanitizeOutput(data, ctx);
    if (ctx.state.defaultShape) await attachEventsToPeople(strapi, sanitized);
    return sanitized;
  },
}));
