import type { Core } from '@strapi/strapi';
import { assertProductionSecrets } from '../src/lib/env/secrets';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => {
  assertProductionSecrets();
  return {
    host: env('HOST', '0.0.0.0'),
    port: env.int('PORT', 1337),
    url: env('PUBLIC_URL', ''),
    // Koa reads `proxy.koa` (a bare boolean here is ignored by Strapi 5): behind a proxy, ctx.ip
    // (and the rate limits' client IP, src/lib/rate-limit/client-ip.ts) come from X-Forwarded-For.
    proxy: { koa: env.bool('IS_PROXIED', false) },
    // Where uploads and static files live; tests point it at a throwaway folder.
    dirs: { public: env('PUBLIC_DIR', './public') },
    app: {
      keys: env.array('APP_KEYS')!,
    },
    // The REST contract, served at /api/openapi.json (committed copy: types/contract/openapi.json).
    openapi: {
      'content-api': {
        access: 'public',
        cache: { enabled: env('NODE_ENV') === 'production', filePath: '.tmp/openapi/content-api.json' },
      },
    },
    webhooks: {
      populateRelations: env.bool('WEBHOOKS_POPULATE_RELATIONS', false),
    },
  };
};

export default config;
