// GET /api/topics/slug/:slug?locale= : one published topic by its slug, in the default shape.
// Reading by slug is reading one topic: it takes the findOne permission.
export default {
  routes: [
    {
      method: 'GET',
      path: '/topics/slug/:slug',
      handler: 'api::topic.topic.findBySlug',
      config: {
        middlewares: ['api::topic.topic-populate'],
        auth: { scope: ['api::topic.topic.findOne'] },
      },
    },
  ],
};
