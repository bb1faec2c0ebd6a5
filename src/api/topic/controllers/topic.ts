import { factories } from '@strapi/strapi';
import { findBySlugAction } from '../../../lib/slug/lookup';

export default factories.createCoreController('api::topic.topic', ({ strapi }) => ({
  findBySlug: findBySlugAction(strapi, 'api::topic.topic'),
}));
