import { factories } from '@strapi/strapi';
import { findBySlugAction } from '../../../lib/slug/lookup';

export default factories.createCoreController('api::article.article', () => ({
  findBySlug: findBySlugAction('api::article.article'),
}));
