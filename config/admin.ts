import type { Core } from '@strapi/strapi';
import { assertProductionSecrets } from '../src/lib/env/secrets';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Admin => {
  // Config files load in no promised order: each one that reads secrets checks them.
  assertProductionSecrets();
  return {
    // Off for API-only deployments (and the production-start test, which has no admin build).
    serveAdminPanel: env.bool('SERVE_ADMIN_PANEL', true),
    auth: {
      secret: env('ADMIN_JWT_SECRET')!,
    },
    apiToken: {
      salt: env('API_TOKEN_SALT')!,
    },
    transfer: {
      token: {
        salt: env('TRANSFER_TOKEN_SALT')!,
      },
    },
    secrets: {
      encryptionKey: env('ENCRYPTION_KEY')!,
    },
    flags: {
      nps: false,
      promoteEE: false,
      docLinks: env.bool('FLAG_DOC_LINKS', true),
    },
  };
};

export default config;
