import { factories } from '@strapi/strapi';
import { findBySlugAction } from '../../../lib/slug/lookup';

export default factories.createCoreController('api::article.article', ({ strapi }) => ({
  findBySlug: findBySlugAction(strapi, 'api::article.article'),
}));
