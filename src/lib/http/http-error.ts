/**
 * The one error a feature throws when it decides the answer is a 4xx (or a 503): a status, a
 * stable `code` a client can branch on, a message that says what is wrong, and details (the
 * parameter or field at fault...). Mapped in one place, the `global::http-errors` middleware, to
 * Strapi's JSON error shape (`{ data: null, error: { status, name, message, details } }`, with
 * `details.code`), so no feature catches and maps its own error class. Strapi's own errors
 * (@strapi/utils `errors.*`) stay Strapi's: its `strapi::errors` middleware maps them.
 */
import type { Core } from '@strapi/strapi';
import { sendJsonError } from './json-error';

/** The error names Strapi's shape uses for each status. */
const NAMES: Record<number, string> = {
  400: 'ValidationError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  409: 'ConflictError',
  410: 'GoneError',
  412: 'PreconditionFailedError',
  413: 'PayloadTooLargeError',
  415: 'UnsupportedMediaTypeError',
  422: 'UnprocessableEntityError',
  429: 'RateLimitError',
  503: 'ServiceUnavailableError',
};

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = NAMES[status] ?? 'ApplicationError';
  }
}

/** Koa middleware (config/middlewares.ts, right after strapi::errors): HttpError to JSON. */
export function httpErrors(): Core.MiddlewareHandler {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      sendJsonError(ctx, error.status, error.name, error.message, { code: error.code, ...error.details });
    }
  };
}
