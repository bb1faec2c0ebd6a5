// Partner endpoints authenticate with partner tokens (middlewares/partner-auth.ts), not with
// Strapi's users or API tokens. No core CRUD routes: partners are managed in the admin and CLI.
export default {
  routes: [
    {
      method: 'GET',
      path: '/partner/me',
      handler: 'api::partner.partner.me',
      config: { auth: false, middlewares: ['api::partner.partner-auth'] },
    },
    ...(
      [
        ['POST', '/partner/events/batch', 'batch'],
        ['GET', '/partner/events/:externalId', 'findOne'],
        ['PUT', '/partner/events/:externalId', 'upsert'],
        ['DELETE', '/partner/events/:externalId', 'withdraw'],
      ] as const
    ).map(([method, path, action]) => ({
      method,
      path,
      handler: `api::partner.partner-event.${action}`,
      config: { auth: false as const, middlewares: ['api::partner.partner-auth'] },
    })),
  ],
};
