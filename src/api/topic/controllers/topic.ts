import { factories } from '@strapi/strapi';
import { findBySlugAction } from '../../../features/editorial/slug/lookup';
import { defaultShapeController } from '../../../lib/shapes/default-shape-reads';

export default factories.createCoreController('api::topic.topic', ({ strapi }) =>
  Object.assign(defaultShapeController(strapi, 'api::topic.topic'), {
    findBySlug: findBySlugAction(strapi, 'api::topic.topic'),
  }),
);
