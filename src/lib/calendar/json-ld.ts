/**
 * Owns the schema.org `Event` (JSON-LD) form of an event, for search engines and link previews:
 * what a front end puts in `<script type="application/ld+json">` on the event's page. Times are
 * local with their offset (2023-06-16T11:30:00+02:00); empty values are left out, not nulled.
 */
import { toLocalIso } from '../time/format';
import { coordinatesOf, type CalendarEvent } from './events';
import { eventUrl, type Site } from './site';

const EVENT_STATUS: Record<CalendarEvent['eventStatus'], string> = {
  scheduled: 'https://schema.org/EventScheduled',
  cancelled: 'https://schema.org/EventCancelled',
  postponed: 'https://schema.org/EventPostponed',
  rescheduled: 'https://schema.org/EventRescheduled',
  moved_online: 'https://schema.org/EventMovedOnline',
};

const ATTENDANCE_MODE: Record<CalendarEvent['attendanceMode'], string> = {
  offline: 'https://schema.org/OfflineEventAttendanceMode',
  online: 'https://schema.org/OnlineEventAttendanceMode',
  mixed: 'https://schema.org/MixedEventAttendanceMode',
};

export type JsonLd = { [key: string]: JsonLdValue };
type JsonLdValue = string | number | JsonLd | JsonLd[] | undefined;

/** Drops undefined values and empty lists, so the answer carries only what is known. */
function compact(object: JsonLd): JsonLd {
  const result: JsonLd = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    result[key] = value;
  }
  return result;
}

const orUndefined = <T>(value: T | null | undefined): T | undefined => value ?? undefined;


function place(venue: NonNullable<CalendarEvent['venue']>): JsonLd {
  const geo = coordinatesOf(venue);
  const address = compact({
    '@type': 'PostalAddress',
    streetAddress: orUndefined(venue.address),
    addressLocality: orUndefined(venue.city),
  });
  return compact({
    '@type': 'Place',
    name: venue.name,
    identifier: orUndefined(venue.code),
    address: Object.keys(address).length > 1 ? address : undefined,
    geo: geo ? { '@type': 'GeoCoordinates', latitude: geo.lat, longitude: geo.lon } : undefined,
  });
}

/** Where it happens: the venue, the programme page for online attendance, or both. */
function locations(event: CalendarEvent): JsonLd[] {
  const result: JsonLd[] = [];
  const online = event.attendanceMode !== 'offline' || event.eventStatus === 'moved_online';
  if (event.venue && event.eventStatus !== 'moved_online') result.push(place(event.venue));
  if (online && event.programmeUrl) result.push({ '@type': 'VirtualLocation', url: event.programmeUrl });
  return result;
}

export function eventJsonLd(event: CalendarEvent, site: Site): JsonLd {
  const location = locations(event);
  const seen = new Set<string>();
  const performers: JsonLd[] = [];
  for (const participant of event.participants ?? []) {
    const person = participant.person;
    if (!person || seen.has(person.documentId)) continue;
    seen.add(person.documentId);
    performers.push({ '@type': 'Person', name: person.name });
  }
  const parent = event.parent;

  return compact({
    '@context': 'https://schema.org',
    '@type': 'Event',
    name: event.title,
    description: orUndefined(event.summary),
    startDate: orUndefined(toLocalIso(event.startsAt, event.timeZone)),
    endDate: orUndefined(toLocalIso(event.endsAt, event.timeZone)),
    eventStatus: EVENT_STATUS[event.eventStatus],
    eventAttendanceMode: ATTENDANCE_MODE[event.attendanceMode],
    location: location.length === 1 ? location[0] : location,
    organizer: (event.organisers ?? []).map((organisation) =>
      compact({ '@type': 'Organization', name: organisation.name, url: orUndefined(organisation.website) }),
    ),
    performer: performers,
    superEvent: parent
      ? compact({
          '@type': 'Event',
          name: parent.title,
          url: eventUrl(site, parent),
          startDate: orUndefined(toLocalIso(parent.startsAt, parent.timeZone)),
          endDate: orUndefined(toLocalIso(parent.endsAt, parent.timeZone)),
        })
      : undefined,
    inLanguage: event.locale,
    url: eventUrl(site, event),
  });
}
