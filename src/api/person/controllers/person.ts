import { factories } from '@strapi/strapi';
import { findBySlugAction } from '../../../lib/slug/lookup';

export default factories.createCoreController('api::person.person', ({ strapi }) => ({
  findBySlug: findBySlugAction(strapi, 'api::person.person'),
}));
