/**
 * Owns what the calendar (.ics) and JSON-LD answers read about an event: the published version
 * in one locale, with exactly the public fields and relations they show. Private fields
 * (sourcePartner, externalId, a person's email) are never selected, so they cannot leak into
 * either format; filters may still use them server-side.
 */
import type { Core } from '@strapi/strapi';

const EVENT_UID = 'api::event.event';

export interface CalendarVenue {
  name: string;
  code?: string | null;
  area?: string | null;
  address?: string | null;
  city?: string | null;
  latitude?: number | string | null;
  longitude?: number | string | null;
}

/** A venue's position, or null unless both coordinates are numbers. */
export function coordinatesOf(venue: CalendarVenue): { lat: number; lon: number } | null {
  const number = (value: number | string | null | undefined) =>
    value === null || value === undefined || value === '' || !Number.isFinite(Number(value)) ? null : Number(value);
  const lat = number(venue.latitude);
  const lon = number(venue.longitude);
  return lat !== null && lon !== null ? { lat, lon } : null;
}

export interface CalendarEvent {
  documentId: string;
  locale: string;
  title: string;
  slug: string;
  summary?: string | null;
  startsAt: string;
  endsAt?: string | null;
  timeZone: string;
  kind: string;
  eventStatus: 'scheduled' | 'cancelled' | 'postponed' | 'rescheduled' | 'moved_online';
  attendanceMode: 'offline' | 'online' | 'mixed';
  programmeUrl?: string | null;
  updatedAt: string;
  venue?: CalendarVenue | null;
  parent?: Pick<CalendarEvent, 'documentId' | 'locale' | 'title' | 'slug' | 'startsAt' | 'endsAt' | 'timeZone' | 'programmeUrl'> | null;
  organisers?: Array<{ name: string; shortName?: string | null; website?: string | null }>;
  participants?: Array<{ part: string; person?: { documentId: string; name: string; slug: string } | null }>;
  topics?: Array<{ name: string; slug: string }>;
}

export const CALENDAR_EVENT_FIELDS = [
  'title',
  'slug',
  'summary',
  'startsAt',
  'endsAt',
  'timeZone',
  'kind',
  'eventStatus',
  'attendanceMode',
  'programmeUrl',
  'updatedAt',
  'locale',
];

export const CALENDAR_EVENT_POPULATE = {
  venue: { fields: ['name', 'code', 'area', 'address', 'city', 'latitude', 'longitude'] },
  parent: { fields: ['title', 'slug', 'startsAt', 'endsAt', 'timeZone', 'programmeUrl', 'locale'] },
  organisers: { fields: ['name', 'shortName', 'website'] },
  participants: { populate: { person: { fields: ['name', 'slug'] } } },
  topics: { fields: ['name', 'slug'] },
};

/** A programme is rarely more than a few hundred events; this only stops a runaway answer. */
export const MAX_CALENDAR_EVENTS = 2000;

type Documents = {
  findMany(params: Record<string, unknown>): Promise<unknown[]>;
  findFirst(params: Record<string, unknown>): Promise<unknown>;
};

const events = (strapi: Core.Strapi) => strapi.documents(EVENT_UID) as Documents;

/** Published events in a locale matching `filters`, soonest first. */
export async function findCalendarEvents(
  strapi: Core.Strapi,
  options: { locale: string; filters?: Record<string, unknown> },
): Promise<CalendarEvent[]> {
  return (await events(strapi).findMany({
    locale: options.locale,
    status: 'published',
    filters: options.filters ?? {},
    fields: CALENDAR_EVENT_FIELDS,
    populate: CALENDAR_EVENT_POPULATE,
    sort: ['startsAt:asc', 'title:asc'],
    limit: MAX_CALENDAR_EVENTS,
  })) as CalendarEvent[];
}

/** One published event in a locale, or null. */
export async function findCalendarEvent(strapi: Core.Strapi, documentId: string, locale: string): Promise<CalendarEvent | null> {
  return ((await events(strapi).findFirst({
    locale,
    status: 'published',
    filters: { documentId },
    fields: CALENDAR_EVENT_FIELDS,
    populate: CALENDAR_EVENT_POPULATE,
  })) ?? null) as CalendarEvent | null;
}
