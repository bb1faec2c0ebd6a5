import { factories } from '@strapi/strapi';

// Reads get the type's default public shape (middlewares/article-populate.ts) unless they ask otherwise.
export default factories.createCoreRouter('api::article.article', {
  config: {
    find: { middlewares: ['api::article.article-populate'] },
    findOne: { middlewares: ['api::article.article-populate'] },
  },
});
