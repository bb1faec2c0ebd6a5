/** Global middleware: the Koa half of the public response cache (src/features/delivery/cache/). */
import type { Core } from '@strapi/strapi';
import { publicCacheMiddleware } from '../features/delivery/cache/koa-middleware';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => publicCacheMiddleware(strapi);
