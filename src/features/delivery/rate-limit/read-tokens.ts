/**
 * Which Strapi API token a public request reads with, for its own budget: a front-end server
 * rendering for many readers sends them all from one address, so it reads with an API token
 * (Settings → API Tokens, read-only) and is charged apart from its IP. Looked up the way Strapi
 * authenticates it (the admin api-token service: HMAC of the key, expiry), and remembered for
 * 30 s either way, so a burst of misses costs one lookup. A token Strapi does not know, or an
 * expired one, gets no budget: the request is charged to its IP, and Strapi answers it 401.
 */
import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';

interface ApiTokenService {
  hash(accessKey: string): string;
  getByAccessKey(hash: string): Promise<{ id: number | string; kind?: string | null; expiresAt?: string | Date | null } | null>;
}

/** Strapi's content API token service, as its own authentication strategy uses it. */
function apiTokens(strapi: Core.Strapi): ApiTokenService {
  const service = strapi.service('admin::api-token-content-api') as unknown as Partial<ApiTokenService> | undefined;
  if (typeof service?.hash !== 'function' || typeof service.getByAccessKey !== 'function') {
    throw new Error('Strapi\'s admin::api-token-content-api service has no hash/getByAccessKey: read-token budgets need updating for this Strapi version');
  }
  return service as ApiTokenService;
}

const REMEMBER_MS = 30_000;

export interface ReadTokens {
  /** The budget key of the request's API token, or undefined when it sends none Strapi knows. */
  keyOf(authorization: string | undefined): Promise<string | undefined>;
}

export function createReadTokens(strapi: Core.Strapi): ReadTokens {
  // By the token's SHA-256, never the token: this map may end up in a memory dump.
  const known = new LRUCache<string, { key: string | null }>({ max: 10_000, ttl: REMEMBER_MS });
  return {
    async keyOf(authorization) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      if (!token) return undefined;
      const digest = createHash('sha256').update(token).digest('hex');
      let entry = known.get(digest);
      if (!entry) {
        const tokens = apiTokens(strapi);
        const found = await tokens.getByAccessKey(tokens.hash(token));
        const expired = found?.expiresAt ? new Date(found.expiresAt).getTime() <= Date.now() : false;
        const contentApi = found && (found.kind ?? 'content-api') === 'content-api';
        entry = { key: found && contentApi && !expired ? `apitoken:${found.id}` : null };
        known.set(digest, entry);
      }
      return entry.key ?? undefined;
    },
  };
}
