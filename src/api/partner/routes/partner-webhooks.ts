// A partner's own webhook subscriptions (src/lib/webhooks/), behind the partner token like
// /partner/me. Another partner's subscription id answers 404, as if it did not exist.
const partnerOnly = { auth: false as const, middlewares: ['api::partner.partner-auth'] };

export default {
  routes: [
    { method: 'GET', path: '/partner/webhooks', handler: 'api::partner.partner-webhook.list', config: partnerOnly },
    { method: 'POST', path: '/partner/webhooks', handler: 'api::partner.partner-webhook.create', config: partnerOnly },
    {
      method: 'POST',
      path: '/partner/webhooks/:id/rotate-secret',
      handler: 'api::partner.partner-webhook.rotateSecret',
      config: partnerOnly,
    },
    { method: 'DELETE', path: '/partner/webhooks/:id', handler: 'api::partner.partner-webhook.delete', config: partnerOnly },
  ],
};
