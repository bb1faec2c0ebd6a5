/**
 * The two reverse sides that run through components, which Strapi's populate cannot follow:
 * a person's events (through events' `participants`) and an organisation's people (through
 * people's `affiliations`). Added to the default REST shape of people and organisations with
 * one query per page and locale, whatever the page size. GraphQL's `Person.events` and
 * `Organisation.people` use the same query (src/lib/graphql/reverse-relations.ts).
 */
import type { Core, UID } from '@strapi/strapi';
import { EVENT_SUMMARY, PERSON_SUMMARY } from './default-populate';

type Fields = Record<string, unknown>;
/** The Document Service's findMany params for a content type known only at run time. */
type FindManyParams = Parameters<ReturnType<Core.Strapi['documents']>['findMany']>[0];
type Doc = { documentId: string; locale?: string; [field: string]: unknown };

/** How to find the documents that point at an owner from inside one of their components. */
export interface ThroughComponent {
  target: UID.ContentType;
  sort: string;
  fields: readonly string[];
  populate: Record<string, unknown>;
  /** The repeatable component on the target, and its relation to the owner. */
  component: string;
  link: string;
  /** Where the list goes on the owner, and what each entry shows. */
  as: string;
  entry(summary: Doc, links: Fields[]): Doc;
}

export const EVENTS_OF_PEOPLE: ThroughComponent = {
  target: 'api::event.event',
  sort: 'startsAt:asc',
  fields: EVENT_SUMMARY.fields,
  populate: { venue: true },
  component: 'participants',
  link: 'person',
  as: 'events',
  entry: (summary, links) => ({ ...summary, part: links[0]!.part }),
};

export const PEOPLE_OF_ORGANISATIONS: ThroughComponent = {
  target: 'api::person.person',
  sort: 'name:asc',
  fields: PERSON_SUMMARY.fields,
  populate: { photo: true },
  component: 'affiliations',
  link: 'organisation',
  as: 'people',
  entry: (summary, links) => ({ ...summary, roles: links.map(({ title, kind, current }) => ({ title, kind, current })) }),
};

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

/**
 * The documents that point at some owners (all served in one locale) from inside their component,
 * in one query: for each owner, the documents in `spec.sort` order with the component entries
 * that name it. `fields` narrows the documents (REST summaries); without it they come whole.
 */
export async function findThrough(
  strapi: Core.Strapi,
  spec: ThroughComponent,
  locale: string | undefined,
  ownerIds: string[],
  fields?: readonly string[]
): Promise<Map<string, Array<{ item: Doc; links: Fields[] }>>> {
  const items = (await strapi.documents(spec.target).findMany({
    locale,
    status: 'published',
    sort: spec.sort,
    filters: { [spec.component]: { [spec.link]: { documentId: { $in: ownerIds } } } },
    ...(fields ? { fields } : {}),
    populate: { ...(fields ? spec.populate : {}), [spec.component]: { populate: { [spec.link]: { fields: ['documentId'] } } } },
  } as FindManyParams)) as Doc[];
  const found = new Map<string, Array<{ item: Doc; links: Fields[] }>>();
  for (const ownerId of ownerIds) {
    found.set(
      ownerId,
      items.flatMap((item) => {
        const entries = (item[spec.component] ?? []) as Fields[];
        const links = entries.filter((entry) => (entry[spec.link] as { documentId?: unknown } | null | undefined)?.documentId === ownerId);
        if (links.length === 0) return [];
        const { [spec.component]: _component, ...rest } = item;
        return [{ item: rest as Doc, links }];
      })
    );
  }
  return found;
}

async function attachThrough(strapi: Core.Strapi, data: unknown, spec: ThroughComponent): Promise<void> {
  for (const [locale, owners] of byLocale(asList(data))) {
    const found = await findThrough(strapi, spec, locale, owners.map((owner) => owner.documentId), spec.fields);
    for (const owner of owners) {
      owner[spec.as] = (found.get(owner.documentId) ?? []).map(({ item, links }) => spec.entry(item, links));
    }
  }
}

/** Adds `events` (each with this person's `part`) to each person, soonest first. */
export const attachEventsToPeople = (strapi: Core.Strapi, data: unknown) => attachThrough(strapi, data, EVENTS_OF_PEOPLE);

/** Adds `people` (each with the titles they hold there) to each organisation, by name. */
export const attachPeopleToOrganisations = (strapi: Core.Strapi, data: unknown) =>
  attachThrough(strapi, data, PEOPLE_OF_ORGANISATIONS);
