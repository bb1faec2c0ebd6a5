import { factories } from '@strapi/strapi';
import { findBySlugAction } from '../../../features/editorial/slug/lookup';
import { defaultShapeController } from '../../../lib/shapes/default-shape-reads';

export default factories.createCoreController('api::article.article', ({ strapi }) =>
  Object.assign(defaultShapeController(strapi, 'api::article.article'), {
    findBySlug: findBySlugAction(strapi, 'api::article.article'),
  }),
);
