/**
 * `Person.events` and `Organisation.people` in GraphQL: the two reverse sides that run through
 * components (events' `participants`, people's `affiliations`), which Strapi's schema cannot
 * express as relations. The same lookup as the REST default shapes (src/lib/shapes/
 * reverse-relations.ts), batched with a DataLoader per request and locale: a page of 5 or 100
 * people costs the same statements. Items come in their parent's locale, published only, in the
 * REST order (events soonest first, people by name); their own relations resolve as usual (and
 * batched, src/lib/graphql/batched-relations.ts). Which part a person plays, or which title they
 * hold, is on the item: `Event.participants { part person { documentId } }`,
 * `Person.affiliations { title organisation { documentId } }`.
 */
import DataLoader from 'dataloader';
import type { Core } from '@strapi/strapi';
import type { Nexus, ObjectDefinition } from './nexus';
import { EVENTS_OF_PEOPLE, PEOPLE_OF_ORGANISATIONS, findThrough, type ThroughComponent } from '../shapes/reverse-relations';

type Owner = { documentId: string; locale?: string | null };

const FIELDS: Array<{ owner: 'Person' | 'Organisation'; field: string; item: 'Event' | 'Person'; spec: ThroughComponent; description: string }> = [
  { owner: 'Person', field: 'events', item: 'Event', spec: EVENTS_OF_PEOPLE, description: 'Events this person takes part in (as a participant), soonest first' },
  { owner: 'Organisation', field: 'people', item: 'Person', spec: PEOPLE_OF_ORGANISATIONS, description: 'People affiliated with this organisation, by name' },
];

/** Loaders live as long as the request's GraphQL context. */
const loadersByContext = new WeakMap<object, Map<string, DataLoader<string, unknown[]>>>();

function loaderFor(strapi: Core.Strapi, context: object, spec: ThroughComponent, locale: string | undefined) {
  let loaders = loadersByContext.get(context);
  if (!loaders) loadersByContext.set(context, (loaders = new Map()));
  const key = `${spec.target}|${spec.component}|${locale ?? ''}`;
  let loader = loaders.get(key);
  if (!loader) {
    loader = new DataLoader<string, unknown[]>(async (ownerIds) => {
      const found = await findThrough(strapi, spec, locale, [...ownerIds]);
      return ownerIds.map((ownerId) => (found.get(ownerId) ?? []).map(({ item }) => item));
    });
    loaders.set(key, loader);
  }
  return loader;
}

export function registerReverseRelationFields(strapi: Core.Strapi): void {
  const extension = strapi.plugin('graphql').service('extension');
  extension.use(({ nexus }: { nexus: Nexus }) => ({
    types: FIELDS.map(({ owner, field, item, spec, description }) =>
      nexus.extendType({
        type: owner,
        definition(t: ObjectDefinition) {
          t.nonNull.list.field(field, {
            type: nexus.nonNull(item),
            description,
            resolve(parent: Owner, _args: unknown, context: object) {
              return loaderFor(strapi, context, spec, parent.locale ?? undefined).load(parent.documentId);
            },
          });
        },
      })
    ),
    // The items are read with the permission to list their own type, as Strapi's relations are.
    resolversConfig: Object.fromEntries(FIELDS.map(({ owner, field, spec }) => [`${owner}.${field}`, { auth: { scope: [`${spec.target}.find`] } }])),
  }));
}
