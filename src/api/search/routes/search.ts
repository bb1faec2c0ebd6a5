// GET /api/search?q=&locale=&types=&when=&page=&pageSize= : one search over published content
// (services/search.ts). Public like the content it finds: it never shows drafts or private fields.
export default {
  routes: [
    {
      method: 'GET',
      path: '/search',
      handler: 'api::search.search.search',
      config: { auth: false },
    },
  ],
};
