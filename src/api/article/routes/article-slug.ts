// GET /api/articles/slug/:slug?locale= : one published article by its slug, in the default shape.
// Reading by slug is reading one article: it takes the findOne permission.
export default {
  routes: [
    {
      method: 'GET',
      path: '/articles/slug/:slug',
      handler: 'api::article.article.findBySlug',
      config: {
        middlewares: ['api::article.article-populate'],
        auth: { scope: ['api::article.article.findOne'] },
      },
    },
  ],
};
