/**
 * The client's IP with Koa's `ctx.ip` rules, for code that runs before Koa (the cache's front
 * door) as well as inside it, so a request is keyed the same wherever it is counted:
 * `X-Forwarded-For` (or the configured header) is believed only when the app is behind a proxy
 * (`IS_PROXIED=true` → Koa's `app.proxy`); then the first of its last `maxIpsCount` entries
 * (PROXY_TRUSTED_HOPS, config/server.ts), otherwise the socket's address.
 */
import type { IncomingMessage } from 'node:http';

export interface ProxySettings {
  proxy: boolean;
  proxyIpHeader: string;
  maxIpsCount: number;
}

export function clientIp(request: Pick<IncomingMessage, 'headers' | 'socket'>, settings: ProxySettings): string {
  if (settings.proxy) {
    const value = request.headers[settings.proxyIpHeader.toLowerCase()];
    const header = Array.isArray(value) ? value.join(',') : value;
    if (header) {
      let ips = header.split(',').map((ip) => ip.trim()).filter(Boolean);
      if (settings.maxIpsCount > 0) ips = ips.slice(-settings.maxIpsCount);
      if (ips[0]) return ips[0];
    }
  }
  return request.socket.remoteAddress ?? '';
}
