/** Global middleware: requests that fail because the database is unreachable get a 503 with Retry-After (src/lib/db/unavailable.ts). */
import type { Core } from '@strapi/strapi';
import { databaseUnavailableMiddleware } from '../lib/db/unavailable';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler =>
  databaseUnavailableMiddleware(strapi) as Core.MiddlewareHandler;
