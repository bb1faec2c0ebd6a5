import type { Core } from '@strapi/strapi';
import { GRAPHQL_LIMITS, armorProtection } from '../src/lib/graphql/limits';
import { apolloLogger } from '../src/lib/graphql/apollo-logger';

const allowedMediaTypes = [
  'image/*',
  'video/*',
  'audio/*',
  'application/pdf',
  'text/plain',
  'text/csv',
];

const deniedTypes = [
  'image/svg+xml',
  'application/vnd.microsoft.portable-executable',
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/x-executable',
  'application/x-dosexec',
  'application/x-sh',
  'text/x-shellscript',
  'application/x-mach-binary',
];

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Plugin => {
  const production = env('NODE_ENV') === 'production';
  return {
    'users-permissions': {
      config: {
        jwtManagement: 'refresh',
        sessions: { httpOnly: true },
        register: { allowedFields: [] },
      },
    },
    upload: {
      config: {
        security: { allowedTypes: allowedMediaTypes, deniedTypes },
      },
    },
    graphql: {
      config: {
        endpoint: '/graphql',
        shadowCRUD: true,
        // Bounded lists, nesting and cost (src/lib/graphql/limits.ts): an anonymous query
        // cannot ask for everything at once.
        defaultLimit: GRAPHQL_LIMITS.defaultListSize,
        maxLimit: GRAPHQL_LIMITS.maxListSize,
        depthLimit: GRAPHQL_LIMITS.depth,
        landingPage: !production,
        apolloServer: {
          introspection: !production,
          // No second CORS layer: global::cors (src/features/delivery/cors/) already answers /graphql with `*`.
          cors: false,
          // Apollo's own logger, less the warning about the plugin's Apollo 4 default (src/lib/graphql/apollo-logger.ts).
          logger: apolloLogger(),
          // Arrays here are appended to the plugin's own plugins and validation rules.
          ...armorProtection(production),
        },
      },
    },
  };
};

export default config;
