import type { Core } from '@strapi/strapi';
import { assertProductionSecrets } from '../src/lib/env/secrets';
import { DEFAULT_DRAIN_TIMEOUT_MS } from '../src/lib/lifecycle/settings';

// Ours beside Strapi's keys: how long SIGTERM waits for requests in flight (src/lib/lifecycle/drain.ts).
type ServerConfig = Core.Config.Server & { shutdown: { drainTimeoutMs: number } };

const config = ({ env }: Core.Config.Shared.ConfigParams): ServerConfig => {
  assertProductionSecrets();
  return {
    host: env('HOST', '0.0.0.0'),
    port: env.int('PORT', 1337),
    url: env('PUBLIC_URL', ''),
    // Koa reads `proxy.koa` (a bare boolean here is ignored by Strapi 5): behind a proxy, ctx.ip
    // (and the rate limits' client IP, src/features/delivery/rate-limit/client-ip.ts) come from X-Forwarded-For.
    // Of that header only the last PROXY_TRUSTED_HOPS entries (default 1: the address our own
    // proxy added) are believed; entries before them are whatever the client sent, and taking
    // the first would let a client choose its rate-limit key (or someone else's).
    proxy: { koa: env.bool('IS_PROXIED', false), maxIpsCount: env.int('PROXY_TRUSTED_HOPS', 1) },
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
    shutdown: {
      drainTimeoutMs: env.int('SHUTDOWN_DRAIN_TIMEOUT_MS', DEFAULT_DRAIN_TIMEOUT_MS),
    },
  };
};

export default config;
