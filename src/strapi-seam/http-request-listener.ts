/**
 * Patch "http-request-listener": the response cache's front door (src/features/delivery/cache/front-door.ts)
 * takes the place of Strapi's request listener on the HTTP server Strapi made, so cache hits are
 * answered before Koa. Strapi has no hook before its Koa app. Expects: the server's first
 * 'request' listener is @strapi/core's `handleRequest(req, res)` (services/server/http-server.js).
 * Other listeners (the shutdown drain's bookkeeping) stay where they are.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Core } from '@strapi/strapi';
import { expectShape, describeValue, markInstalled } from './seam';

export const PATCH = 'http-request-listener';

export type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/** Strapi's own request listener on `server`, checked; throws a SeamError when it is not there as expected. */
export function checkHttpRequestListener(strapi: Core.Strapi, server: unknown): RequestListener {
  const listeners = (server as Partial<Server> | undefined)?.listeners;
  expectShape(strapi, PATCH, typeof listeners === 'function', "Strapi's HTTP server to be an EventEmitter", () => describeValue(server));
  const [first] = (server as Server).listeners('request');
  expectShape(
    strapi,
    PATCH,
    typeof first === 'function' && first.name === 'handleRequest' && first.length === 2,
    'the first \'request\' listener to be Strapi\'s function "handleRequest" of 2 parameter(s)',
    () => `it is ${describeValue(first)}`,
  );
  return first as RequestListener;
}

/** Moves Strapi's request listener behind `makeListener(strapiListener)`. */
export function takeOverRequestListener(strapi: Core.Strapi, makeListener: (strapiListener: RequestListener) => RequestListener): void {
  const server = strapi.server.httpServer as Server;
  const strapiListener = checkHttpRequestListener(strapi, server);
  server.removeListener('request', strapiListener);
  server.on('request', makeListener(strapiListener));
  markInstalled(strapi, PATCH);
}
