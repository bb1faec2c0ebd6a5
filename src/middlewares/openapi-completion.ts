/**
 * Global middleware: Strapi serves /api/openapi.json from its generator (config/server.ts); this
 * completes the document it answers with what the generator cannot know (src/contract/completion.ts).
 * HEAD too: the response cache keeps a HEAD's answer for later GETs (src/features/delivery/cache/request-plan.ts).
 */
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { completeOpenApi } from '../contract/completion';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const documentPath = `${strapi.config.get<string>('api.rest.prefix', '/api')}/openapi.json`;
  return async (ctx: Context, next: Next) => {
    await next();
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.path !== documentPath || ctx.status !== 200) return;
    if (ctx.body === null || typeof ctx.body !== 'object' || Buffer.isBuffer(ctx.body)) return;
    try {
      ctx.body = completeOpenApi(ctx.body);
    } catch (error) {
      // A route the completion relies on has gone (tests/contract fails on it too): the generated
      // document is still better than none.
      strapi.log.error(`[contract] the OpenAPI document could not be completed: ${(error as Error).message}`);
    }
  };
};
