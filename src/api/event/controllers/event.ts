import { factories } from '@strapi/strapi';
import { findBySlugAction } from '../../../lib/slug/lookup';

export default factories.createCoreController('api::event.event', ({ strapi }) => ({
  findBySlug: findBySlugAction(strapi, 'api::event.event'),
}));
