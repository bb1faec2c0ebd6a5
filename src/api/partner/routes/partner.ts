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
  ],
};
