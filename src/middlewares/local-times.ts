/** Global middleware: content-API JSON answers get `<field>Local` beside each datetime (src/lib/time/local-fields.ts). */
import { isRestApiPath } from '../lib/http/zones';
import type { Core } from '@strapi/strapi';
import { addLocalTimes } from '../lib/time/local-fields';

export default (): Core.MiddlewareHandler => async (ctx, next) => {
  await next();
  if (!isRestApiPath(ctx.path) || ctx.status >= 300) return;
  const body = ctx.body as { data?: unknown } | undefined;
  if (body && typeof body === 'object' && !Buffer.isBuffer(body) && 'data' in body) {
    ctx.body = { ...body, data: addLocalTimes(body.data) };
  }
};
