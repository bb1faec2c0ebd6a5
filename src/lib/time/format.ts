/**
 * Shows UTC instants as local ISO 8601 with the zone's offset at that instant, so
 * 2023-06-16T09:30:00.000Z in Europe/Copenhagen is 2023-06-16T11:30:00+02:00, and
 * 2023-01-16T09:30:00.000Z is 2023-01-16T10:30:00+01:00. The offset comes from the IANA
 * database through Intl, so DST changes are right on both sides of the switch.
 */
import { DEFAULT_TIME_ZONE } from './zones';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/**
 * Recent answers by zone and instant: every answer shows the same few instants (publishedAt,
 * event times) over and over, and formatToParts is slow. Bounded; cleared when full.
 */
const recent = new Map<string, string | null>();
const RECENT_LIMIT = 20000;

/** `2023-06-16T11:30:00+02:00` for an instant; null for null/undefined or an invalid date. */
export function toLocalIso(instant: string | Date | null | undefined, zone: string = DEFAULT_TIME_ZONE): string | null {
  if (instant === null || instant === undefined) return null;
  if (typeof instant !== 'string') return formatLocalIso(instant, zone);
  const key = `${zone} ${instant}`;
  let local = recent.get(key);
  if (local === undefined) {
    local = formatLocalIso(new Date(instant), zone);
    if (recent.size >= RECENT_LIMIT) recent.clear();
    recent.set(key, local);
  }
  return local;
}

function formatLocalIso(date: Date, zone: string): string | null {
  if (Number.isNaN(date.getTime())) return null;

  const parts = Object.fromEntries(formatterFor(zone).formatToParts(date).map((part) => [part.type, part.value]));
  // longOffset is "GMT+02:00", or plain "GMT" at offset zero.
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName!.replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

/** Minutes the zone is ahead of UTC at an instant (120 for Copenhagen in June). */
export function offsetMinutes(instant: Date, zone: string): number {
  const local = toLocalIso(instant, zone)!;
  const [, sign, hours, minutes] = local.match(/([+-])(\d{2}):(\d{2})$/)!;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

/** The UTC instant at which a local calendar day (YYYY-MM-DD) starts in the zone. */
export function startOfLocalDay(day: string, zone: string = DEFAULT_TIME_ZONE): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  return localDateTimeToInstant(`${day}T00:00:00`, zone);
}

/**
 * The UTC instant of a local wall-clock time (`YYYY-MM-DDTHH:mm[:ss[.sss]]`, no offset) in a
 * zone; null when it is not a real date-time or does not exist there (the hour skipped when
 * summer time starts).
 */
export function localDateTimeToInstant(local: string, zone: string = DEFAULT_TIME_ZONE): Date | null {
  const match = local.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/);
  if (!match) return null;
  const [, year, month, day, hour, minute, second = '0', fraction = '0'] = match;
  const millis = Number(fraction.padEnd(3, '0'));
  const asUtc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), millis);
  const wall = new Date(asUtc).toISOString().slice(0, 19);
  if (Number.isNaN(asUtc) || wall !== `${year}-${month}-${day}T${hour}:${minute}:${second.padStart(2, '0')}`) return null;
  // Shift by the offset, then once more in case that crossed a DST change.
  let instant = new Date(asUtc - offsetMinutes(new Date(asUtc), zone) * 60000);
  instant = new Date(asUtc - offsetMinutes(instant, zone) * 60000);
  // A wall time in the skipped hour maps to a different wall time: it does not exist.
  if (toLocalIso(instant, zone)!.slice(0, 19) !== wall) return null;
  return instant;
}
