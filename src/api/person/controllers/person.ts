import { factories } from '@strapi/strapi';
import { findBySlugAction } from '../../../lib/slug/lookup';

export default factories.createCoreController('api::person.person', () => ({
  findBySlug: findBySlugAction('api::person.person'),
}));
