/**
 * Owns one Koa detail: headers a middleware set before `next()` are dropped when something
 * downstream throws, because Koa's error answer (`ctx.onerror`) starts from fresh headers and keeps
 * only those on the error's own `headers`. CORS and RateLimit-* headers must reach error answers too.
 */
import type { Context, Next } from 'koa';

/** `ctx.set(headers)`, then `next()`; a thrown error carries the headers into Koa's error answer. */
export async function setHeadersThrough(ctx: Context, headers: Record<string, string>, next: Next): Promise<void> {
  ctx.set(headers);
  try {
    await next();
  } catch (error) {
    const withHeaders = error as { headers?: Record<string, string> };
    withHeaders.headers = { ...withHeaders.headers, ...headers };
    throw error;
  }
}
