// GET /api/organisations/slug/:slug?locale= : one published organisation by its slug, in the default shape.
// Reading by slug is reading one organisation: it takes the findOne permission.
export default {
  routes: [
    {
      method: 'GET',
      path: '/organisations/slug/:slug',
      handler: 'api::organisation.organisation.findBySlug',
      config: {
        middlewares: ['api::organisation.organisation-populate'],
        auth: { scope: ['api::organisation.organisation.findOne'] },
      },
    },
  ],
};
