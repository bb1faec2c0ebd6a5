/**
 * Owns time-zone facts: which IANA zone names are real, and the site's default zone.
 * Times are stored as UTC instants; a zone says how to show them.
 */
export const DEFAULT_TIME_ZONE = 'Europe/Copenhagen';

/** Answers so far: asked for every object of every answer, and building a formatter is slow. */
const known = new Map<string, boolean>();
const KNOWN_LIMIT = 1000;

export function isValidTimeZone(zone: string): boolean {
  const cached = known.get(zone);
  if (cached !== undefined) return cached;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    valid = true;
  } catch {
    valid = false;
  }
  if (known.size >= KNOWN_LIMIT) known.clear();
  known.set(zone, valid);
  return valid;
}
