import { factories } from '@strapi/strapi';

// Reads get the type's default public shape (middlewares/venue-populate.ts) unless they ask otherwise.
export default factories.createCoreRouter('api::venue.venue', {
  config: {
    find: { middlewares: ['api::venue.venue-populate'] },
    findOne: { middlewares: ['api::venue.venue-populate'] },
  },
});
