import { factories } from '@strapi/strapi';

// Reads get the type's default public shape (middlewares/organisation-populate.ts) unless they ask otherwise.
export default factories.createCoreRouter('api::organisation.organisation', {
  config: {
    find: { middlewares: ['api::organisation.organisation-populate'] },
    findOne: { middlewares: ['api::organisation.organisation-populate'] },
  },
});
