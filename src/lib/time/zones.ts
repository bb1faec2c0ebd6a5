/**
 * Owns time-zone facts: which IANA zone names are real, and the site's default zone.
 * Times are stored as UTC instants; a zone says how to show them.
 */
export const DEFAULT_TIME_ZONE = 'Europe/Copenhagen';

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
