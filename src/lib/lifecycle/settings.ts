/** Owns the shutdown drain's default, apart from drain.ts so config/server.ts can read it cheaply. */

/** How long SIGTERM waits for requests in flight (SHUTDOWN_DRAIN_TIMEOUT_MS overrides). */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10000;
