/**
 * Delivery: how public answers leave the app. The response cache and its front door (cache/),
 * rate limits (rate-limit/), CORS (cors/) and the load balancer's readiness probe `GET /_ready`
 * (health/). Their Koa middlewares are global::public-cache, global::rate-limit and global::cors
 * (src/middlewares/), placed by config/middlewares.ts.
 */
import type { Core } from '@strapi/strapi';
import type { Feature } from '../../lib/feature';
import { createPublicCache, invalidateOnMediaChanges, learnPublicTypes, publicCache } from './cache/public-cache';
import { installFrontDoor } from './cache/front-door';
import { rateLimits, stopRateLimits } from './rate-limit/limits';
import { registerHealthRoutes } from './health/readiness';

/** The response cache this instance created in register(); the change log's listener tells it what changed (src/index.ts). */
export { publicCache };

const delivery: Feature = {
  name: 'delivery',

  register(strapi: Core.Strapi) {
    createPublicCache(strapi); // before the change log's listeners, one of which is the cache's
    registerHealthRoutes(strapi); // GET /_ready
  },

  /** Last in src/index.ts's bootstrap: the front door answers cache hits before Koa. */
  async bootstrap(strapi: Core.Strapi) {
    const cache = publicCache(strapi);
    learnPublicTypes(cache, cache.typeGraph());
    invalidateOnMediaChanges(strapi, cache);
    // Connects to Redis when REDIS_URL is set; an outage only logs (the limits count in memory).
    await rateLimits(strapi).ready();
    // Last: cache hits are answered before Koa, on the server Strapi listens with.
    installFrontDoor(strapi, cache);
  },

  async destroy(strapi: Core.Strapi) {
    publicCache(strapi).purges.stop();
    await stopRateLimits(strapi);
  },
};

export default delivery;
