/**
 * Patch "auth-authenticate": src/lib/db/unavailable.ts makes a database outage during
 * authentication a 503 rather than users-permissions' 401. Strapi's auth service
 * (`strapi.get('auth')`, @strapi/core services/auth) is what the router calls per request; it
 * has no hook for a failed authentication. Expects: `authenticate(ctx, next)`, 2 parameters.
 */
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { replaceMethod } from './seam';

export const PATCH = 'auth-authenticate';

export type Authenticate = (ctx: Context, next: Next) => Promise<unknown>;

/** Replaces `authenticate` of `auth` (Strapi's auth service unless given) with `makeReplacement(original)`. */
export function wrapAuthenticate(strapi: Core.Strapi, makeReplacement: (authenticate: Authenticate) => Authenticate, auth: unknown = strapi.get('auth')): void {
  replaceMethod<Authenticate>(strapi, PATCH, auth, "strapi.get('auth')", 'authenticate', { arity: 2 }, makeReplacement);
}
