/**
 * REDIS_URL, read once for everything that uses Redis (readiness, rate limits): a malformed one
 * stops the boot with a message naming the variable, never its value (it may hold a password).
 */

export class InvalidRedisUrlError extends Error {
  constructor(why: string) {
    super(`REDIS_URL is not usable (${why}): give a redis:// or rediss:// URL such as redis://127.0.0.1:6379/0, or unset it.`);
    this.name = 'InvalidRedisUrlError';
  }
}

/** null for unset/empty; the URL itself when it is a redis:// or rediss:// URL with a host; else throws. */
export function parseRedisUrl(value: string | undefined): string | null {
  const text = value?.trim();
  if (!text) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidRedisUrlError('not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new InvalidRedisUrlError(`scheme ${url.protocol} is not redis: or rediss:`);
  if (!url.hostname) throw new InvalidRedisUrlError('no host');
  const db = url.pathname.replace(/^\//, '');
  if (db && !/^\d+$/.test(db)) throw new InvalidRedisUrlError('the database after the host must be a number');
  return text;
}
