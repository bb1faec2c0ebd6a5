/**
 * The two reverse sides that run through components, which Strapi's populate cannot follow:
 * a person's events (through events' `participants`) and an organisation's people (through
 * people's `affiliations`). Added to the default REST shape of people and organisations with
 * one query per page and locale, whatever the page size.
 */
import type { Core } from '@strapi/strapi';
import { EVENT_SUMMARY, PERSON_SUMMARY } from './default-populate';

type Doc = Record<string, any> & { documentId: string };

function asList(data: unknown): Doc[] {
  if (Array.isArray(data)) return data as Doc[];
  return data && typeof data === 'object' && 'documentId' in data ? [data as Doc] : [];
}

/** Items by the locale they are served in (with locale fallback a page may hold two). */
function byLocale(items: Doc[]): Map<string | undefined, Doc[]> {
  const groups = new Map<string | undefined, Doc[]>();
  for (const item of items) groups.set(item.locale, [...(groups.get(item.locale) ?? []), item]);
  return groups;
}

/** Adds `events` (each with this person's `part`) to each person, soonest first. */
export async function attachEventsToPeople(strapi: Core.Strapi, data: unknown): Promise<void> {
  for (const [locale, people] of byLocale(asList(data))) await attachEventsInLocale(strapi, people, locale);
}

async function attachEventsInLocale(strapi: Core.Strapi, people: Doc[], locale: string | undefined): Promise<void> {
  const ids = people.map((person) => person.documentId);
  const events: Doc[] = await strapi.documents('api::event.event').findMany({
    locale,
    status: 'published',
    sort: 'startsAt:asc',
    filters: { participants: { person: { documentId: { $in: ids } } } },
    fields: EVENT_SUMMARY.fields as any,
    populate: { venue: true, participants: { populate: { person: { fields: ['documentId'] } } } } as any,
  });
  for (const person of people) {
    person.events = events.flatMap((event) => {
      const roles = (event.participants ?? []).filter((participant: Doc) => participant.person?.documentId === person.documentId);
      if (roles.length === 0) return [];
      const { participants: _participants, ...summary } = event;
      return [{ ...summary, part: roles[0].part }];
    });
  }
}

/** Adds `people` (each with the titles they hold there) to each organisation, by name. */
export async function attachPeopleToOrganisations(strapi: Core.Strapi, data: unknown): Promise<void> {
  for (const [locale, organisations] of byLocale(asList(data))) await attachPeopleInLocale(strapi, organisations, locale);
}

async function attachPeopleInLocale(strapi: Core.Strapi, organisations: Doc[], locale: string | undefined): Promise<void> {
  const ids = organisations.map((organisation) => organisation.documentId);
  const people: Doc[] = await strapi.documents('api::person.person').findMany({
    locale,
    status: 'published',
    sort: 'name:asc',
    filters: { affiliations: { organisation: { documentId: { $in: ids } } } },
    fields: PERSON_SUMMARY.fields as any,
    populate: { photo: true, affiliations: { populate: { organisation: { fields: ['documentId'] } } } } as any,
  });
  for (const organisation of organisations) {
    organisation.people = people.flatMap((person) => {
      const here = (person.affiliations ?? []).filter((affiliation: Doc) => affiliation.organisation?.documentId === organisation.documentId);
      if (here.length === 0) return [];
      const { affiliations: _affiliations, ...summary } = person;
      return [{ ...summary, roles: here.map(({ title, kind, current }: Doc) => ({ title, kind, current })) }];
    });
  }
}
