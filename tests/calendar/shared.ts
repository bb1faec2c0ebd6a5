/**
 * What the calendar and JSON-LD tests share: events written through the Document Service in
 * both locales, and an iCalendar reader built on a real parser (ical.js).
 */
import ICAL from 'ical.js';
import type { TestApp } from '../helpers/app';
import { looseDocuments } from '../helpers/documents';

/** The development default of PUBLIC_SITE_URL (config/site.ts); tests do not set it. */
export const SITE = 'http://localhost:3000';
export const SITE_HOST = 'localhost';
export const ZONE = 'Europe/Copenhagen';

/** Seed documents the tests refer to. */
export const SEED = {
  festival: { da: 'folkemoedet-2023', en: 'folkemoedet-2023', title: 'Folkemødet 2023' },
  debate: { da: 'spaend-innovation-for-den-offentlige-indkoebsvogn', en: 'hitch-innovation-to-the-public-shopping-trolley' },
  topic: { da: 'innovative-offentlige-indkoeb', en: 'innovative-public-procurement' },
  copi: 'center-for-offentlig-privat-innovation',
  danskErhverv: 'dansk-erhverv',
};

type Localised<T> = { da: T; en: T };

export interface EventInput {
  title: Localised<string>;
  summary?: Localised<string>;
  startsAt: string;
  endsAt?: string;
  eventStatus?: 'scheduled' | 'cancelled' | 'postponed' | 'rescheduled' | 'moved_online';
  attendanceMode?: 'offline' | 'online' | 'mixed';
  kind?: 'debate' | 'conference' | 'workshop' | 'webinar' | 'festival';
  programmeUrl?: string;
  venue?: string;
  parent?: string;
  organisers?: string[];
  topics?: string[];
  participants?: Array<{ person: string; part: 'moderator' | 'panelist' | 'speaker' }>;
  sourcePartner?: string;
  externalId?: string;
  /** Which locales to publish; the others stay drafts. Default both. */
  publish?: Array<'da' | 'en'>;
}

const docs = (app: TestApp, uid: string) => looseDocuments(app.strapi, uid);

/** documentId of a published seed document by its Danish slug. */
export async function seedId(app: TestApp, uid: string, slug: string): Promise<string> {
  const found = await docs(app, uid).findFirst({ locale: 'da', status: 'published', filters: { slug } });
  if (!found) throw new Error(`no ${uid} with slug ${slug}`);
  return found.documentId;
}

/** Writes an event in da and en (same non-localised fields and relations), then publishes. */
export async function createEvent(app: TestApp, input: EventInput): Promise<string> {
  const events = docs(app, 'api::event.event');
  const data = (locale: 'da' | 'en') => ({
    title: input.title[locale],
    summary: input.summary?.[locale] ?? null,
    startsAt: input.startsAt,
    endsAt: input.endsAt ?? null,
    timeZone: ZONE,
    kind: input.kind ?? 'debate',
    eventStatus: input.eventStatus ?? 'scheduled',
    attendanceMode: input.attendanceMode ?? 'offline',
    programmeUrl: input.programmeUrl ?? null,
    venue: input.venue ?? null,
    parent: input.parent ?? null,
    organisers: input.organisers ?? [],
    topics: input.topics ?? [],
    participants: input.participants ?? [],
    sourcePartner: input.sourcePartner ?? null,
    externalId: input.externalId ?? null,
  });
  const { documentId } = await events.create({ locale: 'da', data: data('da') });
  await events.update({ documentId, locale: 'en', data: data('en') });
  for (const locale of input.publish ?? ['da', 'en']) await events.publish({ documentId, locale });
  return documentId;
}

/** A venue (no drafts) in both locales. */
export async function createVenue(
  app: TestApp,
  venue: { name: Localised<string>; code?: string; address?: string; city?: string; latitude?: number; longitude?: number },
): Promise<string> {
  const venues = docs(app, 'api::venue.venue');
  const shared = { code: venue.code, address: venue.address, city: venue.city, latitude: venue.latitude, longitude: venue.longitude };
  const { documentId } = await venues.create({ locale: 'da', data: { name: venue.name.da, ...shared } });
  await venues.update({ documentId, locale: 'en', data: { name: venue.name.en, ...shared } });
  return documentId;
}

/** A published person in both locales. */
export async function createPerson(app: TestApp, person: { name: string; email?: string }): Promise<string> {
  const people = docs(app, 'api::person.person');
  const { documentId } = await people.create({ locale: 'da', data: { name: person.name, email: person.email } });
  await people.update({ documentId, locale: 'en', data: { name: person.name, email: person.email } });
  await people.publish({ documentId, locale: '*' });
  return documentId;
}

export interface ParsedEvent {
  uid: string;
  summary: string;
  sequence: number;
  status: string | null;
  url: string | null;
  location: string | null;
  geo: [number, number] | null;
  description: string | null;
  categories: string[];
  lastModified: string | null;
  /** TZID parameter of DTSTART / DTEND. */
  startZone: string | null;
  endZone: string | null;
  /** Local wall-clock time as written, e.g. 2023-03-25T11:30:00 */
  startLocal: string;
  endLocal: string | null;
  /** The instant the parser computes with the VTIMEZONE, e.g. 2023-03-25T10:30:00.000Z */
  startUtc: string;
  endUtc: string | null;
}

export interface ParsedCalendar {
  version: string;
  prodId: string;
  name: string | null;
  timezones: string[];
  events: ParsedEvent[];
}

/** Parses an iCalendar text with ical.js, resolving TZIDs through the calendar's own VTIMEZONEs. */
export function parseCalendar(text: string): ParsedCalendar {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const timezones = calendar.getAllSubcomponents('vtimezone');
  ICAL.TimezoneService.reset();
  for (const timezone of timezones) ICAL.TimezoneService.register(timezone);

  const local = (time: ICAL.Time | null) => (time ? time.toString() : null);
  const events = calendar.getAllSubcomponents('vevent').map((vevent): ParsedEvent => {
    const event = new ICAL.Event(vevent);
    const geo = vevent.getFirstPropertyValue('geo') as [number, number] | null;
    const lastModified = vevent.getFirstPropertyValue('last-modified') as ICAL.Time | null;
    return {
      uid: event.uid,
      summary: event.summary,
      sequence: event.sequence,
      status: (vevent.getFirstPropertyValue('status') as string | null) ?? null,
      url: (vevent.getFirstPropertyValue('url') as string | null) ?? null,
      location: event.location ?? null,
      geo: geo ?? null,
      description: event.description ?? null,
      categories: vevent.getAllProperties('categories').flatMap((property) => property.getValues() as string[]),
      lastModified: lastModified ? lastModified.toJSDate().toISOString() : null,
      startZone: (vevent.getFirstProperty('dtstart')?.getParameter('tzid') as string | undefined) ?? null,
      endZone: (vevent.getFirstProperty('dtend')?.getParameter('tzid') as string | undefined) ?? null,
      startLocal: local(event.startDate)!,
      endLocal: vevent.hasProperty('dtend') ? local(event.endDate) : null,
      startUtc: event.startDate.toJSDate().toISOString(),
      endUtc: vevent.hasProperty('dtend') ? event.endDate.toJSDate().toISOString() : null,
    };
  });
  return {
    version: calendar.getFirstPropertyValue('version') as string,
    prodId: calendar.getFirstPropertyValue('prodid') as string,
    name: (calendar.getFirstPropertyValue('x-wr-calname') as string | null) ?? null,
    timezones: timezones.map((timezone) => timezone.getFirstPropertyValue('tzid') as string),
    events,
  };
}

/** GETs an .ics anonymously; fails the test on anything but 200 text/calendar. */
export async function getCalendar(app: TestApp, path: string) {
  const response = await app.http().get(path).buffer(true);
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${response.text}`);
  return { response, text: response.text, calendar: parseCalendar(response.text) };
}
