import type { Core } from '@strapi/strapi';

const config: Core.Config.Middlewares = [
  'strapi::logger',
  'strapi::errors',
  'global::database-unavailable', // database unreachable: 503 with Retry-After, not a 500
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'strapi::query',
  // Partner batches carry up to 500 events in one JSON body.
  { name: 'strapi::body', config: { jsonLimit: '10mb' } },
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
  // Ours: local times with offset beside every datetime in /api answers, and locale fallback.
  'global::local-times',
  'global::locale-fallback',
];

export default config;
