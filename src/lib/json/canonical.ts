/**
 * Canonical JSON (RFC 8785, the JSON Canonicalization Scheme, from the `canonicalize` package):
 * keys sorted at every depth, `undefined` members left out, so two values that mean the same
 * serialise to the same text. Used for payload hashes (partner sync) and cache keys (GraphQL
 * variables).
 *
 * The payload hashes are stored (unchanged-push detection, Idempotency-Key replays), so these
 * bytes must not change. On every value we hash (JSON parsed from a request, and zod's output,
 * which has no Dates and only finite numbers) the library writes exactly what our own serialiser
 * did before issue 11 (tests/partner-events/payload-hash.test.ts). They differ only outside
 * that: an object with `toJSON` (a Date: ours wrote `{}`, RFC 8785 its JSON) and NaN/Infinity
 * (ours wrote `null`, the library throws).
 *
 * canonicalize 2.1, not 3+: later versions are ESM only, which jest's CommonJS runtime cannot load.
 */
import canonicalize from 'canonicalize';

export function canonicalJson(value: unknown): string {
  // A missing value is `null`, as before (the library answers undefined for it).
  return canonicalize(value ?? null) ?? 'null';
}
