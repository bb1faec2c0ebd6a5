// GET /api/people/slug/:slug?locale= : one published person by its slug, in the default shape.
// Reading by slug is reading one person: it takes the findOne permission.
export default {
  routes: [
    {
      method: 'GET',
      path: '/people/slug/:slug',
      handler: 'api::person.person.findBySlug',
      config: {
        middlewares: ['api::person.person-populate'],
        auth: { scope: ['api::person.person.findOne'] },
      },
    },
  ],
};
