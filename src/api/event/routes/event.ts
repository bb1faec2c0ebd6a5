import { factories } from '@strapi/strapi';

// Reads get the type's default public shape (middlewares/event-populate.ts) unless they ask otherwise;
// lists also take when=upcoming|past and from/to (middlewares/event-time-filter.ts).
export default factories.createCoreRouter('api::event.event', {
  config: {
    find: { middlewares: ['api::event.event-time-filter', 'api::event.event-populate'] },
    findOne: { middlewares: ['api::event.event-populate'] },
  },
});
