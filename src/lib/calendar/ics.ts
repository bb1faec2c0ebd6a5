/**
 * Owns the iCalendar (RFC 5545) form of events: one VCALENDAR for a programme or a single event.
 *
 * - UID `<documentId>@<site host>`: the same event keeps its UID through every edit.
 * - SEQUENCE: how many public changes the event has had (change log), so it grows on each one.
 * - LAST-MODIFIED and DTSTAMP: the published version's updatedAt (no METHOD, so DTSTAMP is
 *   "last revised in the calendar store"); the same content gives the same bytes.
 * - DTSTART/DTEND in the event's own zone (TZID=Europe/Copenhagen) with a VTIMEZONE for each
 *   zone used, so clients show 11:30 local on both sides of a DST change.
 * - STATUS: CANCELLED for cancelled events, TENTATIVE for postponed ones, else CONFIRMED.
 * - No ORGANIZER: it must be a mailto address, and organisations have none; organisers are
 *   named in DESCRIPTION instead.
 */
import ical, { ICalEventStatus, type ICalLuxonDateTimeStub } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { toLocalIso } from '../time/format';
import { coordinatesOf, type CalendarEvent } from './events';
import { eventUrl, type Site } from './site';

const STATUS: Record<CalendarEvent['eventStatus'], ICalEventStatus> = {
  scheduled: ICalEventStatus.CONFIRMED,
  rescheduled: ICalEventStatus.CONFIRMED,
  moved_online: ICalEventStatus.CONFIRMED,
  postponed: ICalEventStatus.TENTATIVE,
  cancelled: ICalEventStatus.CANCELLED,
};

const LABELS = {
  da: { organisers: 'Arrangører', events: 'Arrangementer', programme: 'program' },
  en: { organisers: 'Organisers', events: 'Events', programme: 'programme' },
} as const;

export type CalendarLocale = keyof typeof LABELS;

export function calendarLabels(locale: string) {
  return LABELS[(locale in LABELS ? locale : 'da') as CalendarLocale];
}

/**
 * ical-generator writes a TZID time from a plain Date in the *server's* time zone. This stub
 * (the Luxon shape it also accepts) formats the instant in whichever zone it is asked for.
 */
function instantForIcal(instant: Date, zone = 'UTC'): ICalLuxonDateTimeStub {
  const local = toLocalIso(instant, zone)!; // 2023-06-16T11:30:00+02:00
  return {
    isValid: true,
    zone: { type: 'iana' },
    setZone: (other?: string) => instantForIcal(instant, other ?? zone),
    toJSDate: () => instant,
    toJSON: () => instant.toISOString(),
    toFormat(format: string) {
      if (format === 'yyyyLLdd') return local.slice(0, 10).replace(/-/g, '');
      if (format === 'HHmmss') return local.slice(11, 19).replace(/:/g, '');
      throw new Error(`unexpected iCalendar date format "${format}"`);
    },
  };
}


function location(event: CalendarEvent) {
  const venue = event.venue;
  if (!venue) return null;
  const name = venue.code ? `${venue.name} (${venue.code})` : venue.name;
  const title = [name, venue.address, venue.city].filter(Boolean).join(', ');
  const geo = coordinatesOf(venue);
  return geo ? { title, geo } : { title };
}

function description(event: CalendarEvent, url: string): string {
  const labels = calendarLabels(event.locale);
  const organisers = (event.organisers ?? []).map((organisation) => organisation.name);
  return [
    event.summary,
    organisers.length > 0 ? `${labels.organisers}: ${organisers.join(', ')}` : null,
    url,
  ]
    .filter(Boolean)
    .join('\n\n');
}

export interface CalendarOptions {
  /** X-WR-CALNAME / NAME: what a subscriber sees the calendar called. */
  name: string;
  locale: string;
  site: Site;
  /** SEQUENCE per documentId; a missing one is 0. */
  sequences: Map<string, number>;
  /** Suggested refresh interval for subscribed feeds, in seconds. */
  refreshSeconds?: number;
}

export function eventUid(event: Pick<CalendarEvent, 'documentId'>, site: Site): string {
  return `${event.documentId}@${site.host}`;
}

/** The VCALENDAR text (CRLF line endings, folded at 75 octets) for these events. */
export function buildCalendar(events: CalendarEvent[], options: CalendarOptions): string {
  const calendar = ical({
    prodId: `//${options.site.host}//Events//${options.locale.toUpperCase()}`,
    name: options.name,
    // name null: no calendar-wide zone (DTSTAMP etc. stay UTC); the generator still adds a
    // VTIMEZONE for every zone an event uses.
    timezone: { name: null, generator: getVtimezoneComponent },
    ttl: options.refreshSeconds ?? null,
  });

  for (const event of events) {
    const url = eventUrl(options.site, event);
    const updatedAt = new Date(event.updatedAt);
    calendar.createEvent({
      id: eventUid(event, options.site),
      sequence: options.sequences.get(event.documentId) ?? 0,
      stamp: updatedAt,
      lastModified: updatedAt,
      timezone: event.timeZone,
      start: instantForIcal(new Date(event.startsAt)),
      end: event.endsAt ? instantForIcal(new Date(event.endsAt)) : null,
      summary: event.title,
      description: description(event, url),
      location: location(event),
      url,
      status: STATUS[event.eventStatus] ?? ICalEventStatus.CONFIRMED,
      categories: (event.topics ?? []).map((topic) => ({ name: topic.name })),
    });
  }
  return calendar.toString();
}
