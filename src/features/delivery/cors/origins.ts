/**
 * Parses CORS_ORIGINS: comma-separated absolute origins (`https://host[:port]`), checked at start
 * so a typo stops the app instead of silently locking a front end out (or letting one in).
 */
const ORIGIN_SHAPE = /^https?:\/\/[^/?#@\s]+$/i;

export function parseCorsOrigins(raw: string): string[] {
  const origins: string[] = [];
  for (const entry of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
    let url: URL | undefined;
    try {
      url = ORIGIN_SHAPE.test(entry) ? new URL(entry) : undefined;
    } catch {
      url = undefined;
    }
    // Scheme, host and port only: a path, a trailing slash or credentials would never equal what
    // a browser sends in `Origin`, so such an entry is refused rather than silently never matched.
    if (!url || !url.hostname) {
      throw new Error(`CORS_ORIGINS must list origins like https://app.example.dk or http://localhost:3000; got "${entry}"`);
    }
    // The browser's form: lower-case host, default port left out.
    origins.push(url.origin);
  }
  return origins;
}
