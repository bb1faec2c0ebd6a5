/** Global middleware: rate limits for requests the cache's front door did not count (src/features/delivery/rate-limit/). */
import type { Core } from '@strapi/strapi';
import { rateLimitMiddleware } from '../features/delivery/rate-limit/gate';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => rateLimitMiddleware(strapi);
