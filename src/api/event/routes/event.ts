import { factories } from '@strapi/strapi';

// Reads get the type's default public shape (middlewares/event-populate.ts) unless they ask otherwise.
export default factories.createCoreRouter('api::event.event', {
  config: {
    find: { middlewares: ['api::event.event-populate'] },
    findOne: { middlewares: ['api::event.event-populate'] },
  },
});
