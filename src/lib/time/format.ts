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

/** `2023-06-16T11:30:00+02:00` for an instant; null for null/undefined or an invalid date. */
export function toLocalIso(instant: string | Date | null | undefined, zone: string = DEFAULT_TIME_ZONE): string | null {
  if (instant === null || instant === undefined) return null;
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) return null;

  const parts = Object.fromEntries(formatterFor(zone).formatToParts(date).map((part) => [part.type, part.value]));
  // longOffset is "GMT+02:00", or plain "GMT" at offset zero.
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.replace('GMT', '');
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
  const match = day.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!match) return null;
  const midnightAsUtc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(midnightAsUtc) || new Date(midnightAsUtc).toISOString().slice(0, 10) !== day) return null;
  // Shift by the offset, then once more in case that crossed a DST change.
  let instant = new Date(midnightAsUtc - offsetMinutes(new Date(midnightAsUtc), zone) * 60000);
  instant = new Date(midnightAsUtc - offsetMinutes(instant, zone) * 60000);
  return instant;
}
