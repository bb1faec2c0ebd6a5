import { factories } from '@strapi/strapi';
import { findBySlugAction } from '../../../lib/slug/lookup';

export default factories.createCoreController('api::event.event', () => ({
  findBySlug: findBySlugAction('api::event.event'),
}));
