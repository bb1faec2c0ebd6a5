import { factories } from '@strapi/strapi';
import { findBySlugAction } from '../../../features/editorial/slug/lookup';
import { defaultShapeController } from '../../../lib/shapes/default-shape-reads';
import { TOPIC_LISTS } from '../middlewares/topic-populate';

// Every read (list, single, slug) in the default shape carries the topic's newest articles and events.
export default factories.createCoreController('api::topic.topic', ({ strapi }) =>
  Object.assign(defaultShapeController(strapi, 'api::topic.topic', { lists: TOPIC_LISTS }), {
    findBySlug: findBySlugAction(strapi, 'api::topic.topic'),
  }),
);
