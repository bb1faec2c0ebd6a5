/**
 * Owns shutdown on SIGTERM/SIGINT: drain, then stop. Strapi's own handler
 * (@strapi/core utils/signals.js, installed by createStrapi) calls strapi.destroy() at once,
 * which destroys every open socket, so requests in flight are dropped. This replaces it with:
 *
 *  1. stop accepting connections and answer /_ready with 503 (draining);
 *  2. let requests in flight finish; every response from now on says `Connection: close`, so
 *     keep-alive clients reconnect elsewhere; wait until the open connections are gone, at most
 *     `server.shutdown.drainTimeoutMs` (SHUTDOWN_DRAIN_TIMEOUT_MS, default 10 s);
 *  3. stopStrapi (./stop.ts): the webhook worker and Strapi's unawaited after-commit queries
 *     finish, then strapi.destroy() (plugins, what is left of the sockets, database pools);
 *     then exit 0.
 */
import type { Server, ServerResponse } from 'http';
import type { Socket } from 'net';
import net from 'net';
import type { Core } from '@strapi/strapi';
import { stopStrapi } from './stop';
import { DEFAULT_DRAIN_TIMEOUT_MS } from './settings';
import { removeStrapiSignalHandlers, SIGNALS } from '../../strapi-seam/signal-handlers';

// On the strapi instance under a registry symbol, so /_ready (src/features/delivery/health/) sees it.
const DRAINING = Symbol.for('innovation-hub.lifecycle.draining');
type WithDraining = Core.Strapi & { [DRAINING]?: boolean };

export const isDraining = (strapi: Core.Strapi): boolean => (strapi as WithDraining)[DRAINING] === true;

export interface DrainReport {
  /** Requests being answered when the drain began. */
  inFlightAtStart: number;
  /** Open connections when the drain began (busy and idle keep-alive). */
  connectionsAtStart: number;
  /** Connections still open at the deadline, and so cut. */
  cut: number;
}

/** Tracks connections and responses on Strapi's HTTP server and drains them on request. */
export function trackConnections(server: Server) {
  const connections = new Set<Socket>();
  const responses = new Set<ServerResponse>();
  let draining = false;

  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (_request, response: ServerResponse) => {
    // A request that arrives on a kept-alive connection during the drain is served, then the
    // connection ends.
    if (draining) response.shouldKeepAlive = false;
    responses.add(response);
    response.once('close', () => responses.delete(response));
  });

  return {
    async drain(timeoutMs: number): Promise<DrainReport> {
      draining = true;
      const report = { inFlightAtStart: responses.size, connectionsAtStart: connections.size, cut: 0 };
      for (const response of responses) if (!response.headersSent) response.shouldKeepAlive = false;
      // net's close, not http's: http.Server#close also drops "idle" keep-alive connections at
      // once, and under load most of those hold a request that has arrived but is not parsed yet
      // (measured: every one of 8 busy connections was cut that way). Each connection here ends
      // after its next answer (Connection: close) or, when nothing comes, at the server's
      // keep-alive timeout (Node's 5 s), as it would without a shutdown.
      if (server.listening) net.Server.prototype.close.call(server);
      const deadline = Date.now() + timeoutMs;
      while (connections.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      report.cut = connections.size;
      return report;
    },
  };
}

/**
 * Replaces Strapi's signal handler with the drain; call from register(), after createStrapi
 * installed Strapi's. A second signal while draining is ignored (npx and process groups
 * deliver one twice), as Strapi's own handler does.
 */
export function drainOnSignal(strapi: Core.Strapi): void {
  const tracker = trackConnections(strapi.server.httpServer);
  removeStrapiSignalHandlers(strapi);

  let started = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    (strapi as WithDraining)[DRAINING] = true;
    const timeoutMs = strapi.config.get('server.shutdown.drainTimeoutMs', DEFAULT_DRAIN_TIMEOUT_MS);
    strapi.log.info(`[shutdown] ${signal}: no new connections; draining for up to ${timeoutMs} ms`);
    let code = 0;
    try {
      const report = await tracker.drain(timeoutMs);
      const line = `[shutdown] drained: ${report.inFlightAtStart} requests in flight and ${report.connectionsAtStart} connections open at ${signal}, ${report.cut} cut at the deadline`;
      if (report.cut > 0) strapi.log.warn(line);
      else strapi.log.info(line);
      await stopStrapi(strapi);
    } catch (error) {
      strapi.log.error(`[shutdown] failed: ${(error as Error)?.stack ?? error}`);
      code = 1;
    }
    process.exit(code);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    void shutdown(signal);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
}
