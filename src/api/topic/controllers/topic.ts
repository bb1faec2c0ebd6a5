import { factories } from '@strapi/strapi';
import { findBySlugAction } from '../../../lib/slug/lookup';

export default factories.createCoreController('api::topic.topic', () => ({
  findBySlug: findBySlugAction('api::topic.topic'),
}));
