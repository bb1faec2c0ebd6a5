/**
 * GET (and HEAD) /graphql is a public read: one answer per URL and Accept, whoever asks, so the
 * origin, the response cache and any CDN or Varnish in front (which key it by URL) all give the
 * same one. Apollo's CSRF prevention would refuse a GET without one of its preflight headers
 * (`apollo-require-preflight`, `x-apollo-operation-name`) with a 400, while a shared cache
 * filled by a GET that carried one answers every later GET with a 200: the answer depended on
 * whether the cache was warm.
 *
 * Leaving out the preflight check for GET is safe here:
 * - CSRF prevention protects cookie-authenticated side effects. The content API never
 *   authenticates with cookies: users-permissions and API tokens read only the `Authorization`
 *   header (a cross-site GET cannot set it), and the admin's cookies are not content-API
 *   credentials.
 * - Apollo runs only queries over GET (a mutation is a 405 "GET requests only support query
 *   operations"), with or without the header.
 * - Anonymous GET answers are public data, cached and served to anyone anyway.
 * POST keeps Apollo's CSRF prevention unchanged: a POST with a content type a form or a simple
 * `fetch` can send (text/plain, application/x-www-form-urlencoded, multipart/form-data) and no
 * preflight header is still a 400. A GET with a content type other than application/json is
 * still refused by Apollo (415), before any cache (request-plan.ts `graphqlGetIsServed`).
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { isGraphqlPath } from '../http/zones';

/**
 * Relies on Apollo Server's default csrfPrevention (any non-empty `apollo-require-preflight`
 * counts as preflighted: @apollo/server preventCsrf.js) and on @as-integrations/koa handing
 * Apollo the request's headers and method from `ctx.headers` and `ctx.method` (the plugin's
 * koaMiddleware, @strapi/plugin-graphql bootstrap). HEAD is shown to Apollo as the GET it
 * stands for (Apollo knows only GET and POST, so it was a 405 on a miss while the response cache
 * and Varnish answer it from the GET's entry); Koa still sends no body, since the method is
 * HEAD again by the time it responds.
 */
function showAsPreflightedGet(ctx: Context): 'GET' | 'HEAD' {
  const method = ctx.method as 'GET' | 'HEAD';
  ctx.req.headers['apollo-require-preflight'] = 'graphql-get-is-a-public-read';
  if (method === 'HEAD') ctx.method = 'GET';
  return method;
}

/** Koa middleware: GET and HEAD of /graphql reach Apollo as preflighted GETs (see above). */
export function graphqlGetAsPublicRead(): Core.MiddlewareHandler {
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !isGraphqlPath(ctx.path)) return next();
    const method = showAsPreflightedGet(ctx);
    try {
      await next();
    } finally {
      ctx.method = method;
    }
  };
}
