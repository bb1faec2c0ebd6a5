/** Global middleware: the Koa half of the public response cache (src/lib/cache/). */
import type { Core } from '@strapi/strapi';
import { publicCacheMiddleware } from '../lib/cache/koa-middleware';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => publicCacheMiddleware(strapi);
