import { factories } from '@strapi/strapi';

// Reads get the type's default public shape (middlewares/person-populate.ts) unless they ask otherwise.
export default factories.createCoreRouter('api::person.person', {
  config: {
    find: { middlewares: ['api::person.person-populate'] },
    findOne: { middlewares: ['api::person.person-populate'] },
  },
});
