/**
 * Answers with Strapi's JSON error shape (`{ data: null, error: { status, name, message, details } }`)
 * for statuses Strapi's error helpers do not cover (412, 422, 409...), so every error a client
 * sees looks the same.
 */
import type { Context } from 'koa';

export function sendJsonError(ctx: Context, status: number, name: string, message: string, details: Record<string, unknown> = {}): void {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name, message, details } };
}
