/** Global middleware: cross-origin rules per zone (src/features/delivery/cors/policy.ts), configured by config/cors.ts. */
import type { Core } from '@strapi/strapi';
import { corsMiddleware } from '../features/delivery/cors/policy';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  corsMiddleware((strapi.config.get('cors') as { origins: string[] }).origins);
