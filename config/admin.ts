import type { Core } from '@strapi/strapi';
import { assertProductionSecrets } from '../src/lib/env/secrets';
import { appBaseUrl, previewLink } from '../src/features/editorial/preview/link';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Admin => {
  // Config files load in no promised order: each one that reads secrets checks them.
  assertProductionSecrets();
  // The preview page is served by this app (src/features/editorial/preview/), so links point at its own URL.
  const baseUrl = appBaseUrl(env('PUBLIC_URL', ''), env.int('PORT', 1337));
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
    // "Open preview" in the edit view of articles and events: Strapi calls the handler on the
    // server and frames the signed link it returns; other types get null, so no button.
    preview: {
      enabled: true,
      config: {
        allowedOrigins: [new URL(baseUrl).origin],
        // Runs while Strapi serves the admin's request, so the global `strapi` is loaded.
        handler: (uid, { documentId, locale, status }) => previewLink(strapi, baseUrl, uid, { documentId, locale, status }),
      },
    },
    flags: {
      nps: false,
      promoteEE: false,
      docLinks: env.bool('FLAG_DOC_LINKS', true),
    },
  };
};

export default config;
