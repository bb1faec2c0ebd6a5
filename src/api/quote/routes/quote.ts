import { factories } from '@strapi/strapi';

// Reads get the type's default public shape (middlewares/quote-populate.ts) unless they ask otherwise.
export default factories.createCoreRouter('api::quote.quote', {
  config: {
    find: { middlewares: ['api::quote.quote-populate'] },
    findOne: { middlewares: ['api::quote.quote-populate'] },
  },
});
