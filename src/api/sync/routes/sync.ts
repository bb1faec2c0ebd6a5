// GET /api/sync?cursor=&type=&locale=&limit= : the change feed of public content (services/sync.ts).
// Public like the content it reports: it never shows drafts or private fields.
export default {
  routes: [
    {
      method: 'GET',
      path: '/sync',
      handler: 'api::sync.sync.page',
      config: { auth: false },
    },
  ],
};
