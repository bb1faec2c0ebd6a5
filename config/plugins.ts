import type { Core } from '@strapi/strapi';

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
        // Bounded lists and nesting: an anonymous query cannot ask for everything at once.
        defaultLimit: 25,
        maxLimit: 100,
        depthLimit: 10,
        landingPage: !production,
        apolloServer: {
          introspection: !production,
        },
      },
    },
  };
};

export default config;
