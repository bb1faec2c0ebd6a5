import type { Core } from '@strapi/strapi';

/** One knob for log volume: LOG_LEVEL (error, warn, info, http, verbose, debug). Tests use "warn". */
export default ({ env }: Core.Config.Shared.ConfigParams) => ({
  level: env('LOG_LEVEL', 'http'),
});
