/**
 * What a rate-limited answer says: the RateLimit-* headers (IETF draft
 * draft-ietf-httpapi-ratelimit-headers, the separate-fields form most clients read) on every
 * counted answer, and for a request over the limit a 429 with Retry-After and Strapi's JSON error
 * shape naming the limit. Used by the front door (raw Node response) and the Koa middleware.
 */
import type { Decision } from './limits';

const WHO: Record<Decision['scope'], string> = {
  public: 'the public API and GraphQL allow per client IP',
  partner: 'the partner API allows per partner token',
  readToken: 'the public API and GraphQL allow per API token',
  partnerAuthFailures: 'the partner API allows per client IP',
};

const WHAT: Record<Decision['scope'], string> = { public: 'points', partner: 'requests', readToken: 'points', partnerAuthFailures: 'failed authentications' };

export function rateLimitHeaders(decision: Decision): Record<string, string> {
  return {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(decision.resetSeconds),
    'ratelimit-policy': `${decision.limit};w=${decision.durationSeconds}`,
  };
}

export function tooManyRequests(decision: Decision): { headers: Record<string, string>; body: unknown } {
  const message =
    `Too many requests: ${WHO[decision.scope]} ${decision.limit} ${WHAT[decision.scope]} per ${decision.durationSeconds} seconds; ` +
    `retry in ${decision.resetSeconds} seconds`;
  return {
    headers: {
      ...rateLimitHeaders(decision),
      'retry-after': String(decision.resetSeconds),
      // Never kept by a browser or CDN: the next request may well be allowed.
      'cache-control': 'no-store',
    },
    body: {
      data: null,
      error: {
        status: 429,
        name: 'TooManyRequestsError',
        message,
        details: {
          limit: decision.scope,
          points: decision.limit,
          durationSeconds: decision.durationSeconds,
          retryAfterSeconds: decision.resetSeconds,
        },
      },
    },
  };
}
