import { factories } from '@strapi/strapi';

// Reads get the type's default public shape (middlewares/topic-populate.ts) unless they ask otherwise.
export default factories.createCoreRouter('api::topic.topic', {
  config: {
    find: { middlewares: ['api::topic.topic-populate'] },
    findOne: { middlewares: ['api::topic.topic-populate'] },
  },
});
