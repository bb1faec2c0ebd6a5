// GET /api/search?q=&locale=&types=&when=&page=&pageSize= : one search over published content
// (services/search.ts); GET /api/search/suggest?q=&locale= : up to 8 titles for a search box. Public like the content it finds: it never shows drafts or private fields.
export default {
  routes: [
    {
      method: 'GET',
      path: '/search',
      handler: 'api::search.search.search',
      config: { auth: false },
    },
    {
      method: 'GET',
      path: '/search/suggest',
      handler: 'api::search.search.suggest',
      config: { auth: false },
    },
  ],
};
