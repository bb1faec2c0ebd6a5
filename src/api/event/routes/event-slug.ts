// GET /api/events/slug/:slug?locale= : one published event by its slug, in the default shape.
// Reading by slug is reading one event: it takes the findOne permission.
export default {
  routes: [
    {
      method: 'GET',
      path: '/events/slug/:slug',
      handler: 'api::event.event.findBySlug',
      config: {
        middlewares: ['api::event.event-populate'],
        auth: { scope: ['api::event.event.findOne'] },
      },
    },
  ],
};
