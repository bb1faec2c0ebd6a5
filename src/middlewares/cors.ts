/** Global middleware: cross-origin rules per zone (src/lib/cors/policy.ts), configured by config/cors.ts. */
import type { Core } from '@strapi/strapi';
import { corsMiddleware } from '../lib/cors/policy';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  corsMiddleware((strapi.config.get('cors') as { origins: string[] }).origins);
