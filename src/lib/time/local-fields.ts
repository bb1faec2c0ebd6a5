/**
 * Adds `<field>Local` beside every datetime in a content-API answer: the same instant as ISO
 * 8601 with the offset of the object's own `timeZone` (events) or Europe/Copenhagen. The UTC
 * value stays where Strapi put it, so filters and sorting keep working on instants.
 */
import { toLocalIso } from './format';
import { DEFAULT_TIME_ZONE, isValidTimeZone } from './zones';

const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** Datetime attributes in our model and Strapi's own: createdAt, updatedAt, publishedAt, startsAt, endsAt. */
const DATETIME_KEY = /At$/;

export function addLocalTimes(value: unknown, zone: string = DEFAULT_TIME_ZONE): unknown {
  if (Array.isArray(value)) return value.map((item) => addLocalTimes(item, zone));
  if (value === null || typeof value !== 'object') return value;

  const object = value as Record<string, unknown>;
  const ownZone = typeof object.timeZone === 'string' && isValidTimeZone(object.timeZone) ? object.timeZone : zone;
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(object)) {
    result[key] = addLocalTimes(field, ownZone);
    if (DATETIME_KEY.test(key) && typeof field === 'string' && UTC_INSTANT.test(field)) {
      result[`${key}Local`] = toLocalIso(field, ownZone);
    }
  }
  return result;
}
