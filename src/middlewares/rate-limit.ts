/** Global middleware: rate limits for requests the cache's front door did not count (src/lib/rate-limit/). */
import type { Core } from '@strapi/strapi';
import { rateLimitMiddleware } from '../lib/rate-limit/gate';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => rateLimitMiddleware(strapi);
