/**
 * Surrogate keys: what a CDN (Varnish xkey, Fastly `Surrogate-Key`, Cloudflare `Cache-Tag`) may
 * purge an answer by, and which keys a public change purges.
 *
 * An answer carries `type:<plural>` for every public type whose change could alter it, and
 * `doc:<documentId>` for the documents it contains. The type keys are what keeps a CDN exact:
 * a change can alter an answer that did not contain the changed document before (a new event
 * in a list, a new participant in a person's events), so an answer is tagged with every type
 * it can reach from its own through relations, components and dynamic zones, both ways through
 * components (a person's events are found through events' participants). The document keys
 * let an operator purge one document by hand. GraphQL answers and feed pages carry `graphql`
 * and `sync`, which every change purges; `hub` purges everything.
 */
import type { Core } from '@strapi/strapi';
import { PUBLIC_CONTENT_TYPES } from '../access/content-types';
import type { LoggedChange } from '../sync/change-store';
import type { CachePlan } from './request-plan';

/** Header size stays under the 8 kB a proxy usually allows; type keys alone keep answers exact. */
const MAX_KEYS_LENGTH = 4000;

type Attribute = { type: string; target?: string; component?: string; components?: string[] };
type Schema = { attributes: Record<string, Attribute> };

export interface TypeGraph {
  /** Plural API name of each public type, by uid. */
  pluralOf: Map<string, string>;
  /** Plural names of the public types an answer about a type (by plural) can depend on. */
  dependsOn: Map<string, string[]>;
}

export function buildTypeGraph(strapi: Core.Strapi): TypeGraph {
  const pluralOf = new Map<string, string>();
  for (const uid of PUBLIC_CONTENT_TYPES) pluralOf.set(uid, strapi.contentType(uid).info.pluralName);

  const contentTypes = strapi.contentTypes as unknown as Record<string, Schema>;
  const components = strapi.components as unknown as Record<string, Schema>;
  const schemaOf = (uid: string): Schema | undefined => contentTypes[uid] ?? components[uid];

  /** Relation targets of a schema, looking inside its components; `throughComponent` marks those found there. */
  const targetsOf = (uid: string, seen = new Set<string>(), throughComponent = false): Array<{ target: string; throughComponent: boolean }> => {
    if (seen.has(uid)) return [];
    seen.add(uid);
    const found: Array<{ target: string; throughComponent: boolean }> = [];
    for (const attribute of Object.values(schemaOf(uid)?.attributes ?? {})) {
      if (attribute.type === 'relation' && attribute.target) found.push({ target: attribute.target, throughComponent });
      if (attribute.type === 'component' && attribute.component) found.push(...targetsOf(attribute.component, seen, true));
      if (attribute.type === 'dynamiczone') for (const component of attribute.components ?? []) found.push(...targetsOf(component, seen, true));
    }
    return found;
  };

  const edges = new Map<string, Set<string>>();
  const link = (from: string, to: string) => {
    if (!pluralOf.has(from) || !pluralOf.has(to)) return;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)!.add(to);
  };
  for (const uid of PUBLIC_CONTENT_TYPES) {
    for (const { target, throughComponent } of targetsOf(uid)) {
      link(uid, target);
      // Reverse sides through components are read by querying the pointing type.
      if (throughComponent) link(target, uid);
    }
  }

  const dependsOn = new Map<string, string[]>();
  for (const uid of PUBLIC_CONTENT_TYPES) {
    const reached = new Set<string>([uid]);
    const queue: string[] = [uid];
    while (queue.length > 0) {
      for (const next of edges.get(queue.shift()!) ?? []) {
        if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    dependsOn.set(pluralOf.get(uid)!, [...reached].map((reachedUid) => pluralOf.get(reachedUid)!).sort());
  }
  return { pluralOf, dependsOn };
}

/** Every `documentId` in a JSON answer, in order of appearance. */
function documentIdsIn(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) documentIdsIn(item, found);
  } else if (value && typeof value === 'object') {
    const documentId = (value as { documentId?: unknown }).documentId;
    if (typeof documentId === 'string') found.add(documentId);
    for (const item of Object.values(value)) if (item && typeof item === 'object') documentIdsIn(item, found);
  }
}

export function surrogateKeysFor(plan: CachePlan, parsed: unknown, graph: TypeGraph): string[] {
  const keys = ['hub'];
  if (plan.kind === 'graphql') keys.push('graphql');
  else if (plan.kind === 'sync') keys.push('sync');
  else if (plan.kind === 'openapi') keys.push('openapi');
  else if (plan.primaryType) {
    for (const type of graph.dependsOn.get(plan.primaryType) ?? [plan.primaryType]) keys.push(`type:${type}`);
  }
  if (plan.kind === 'rest' || plan.kind === 'graphql') {
    const documentIds = new Set<string>();
    documentIdsIn(parsed, documentIds);
    let length = keys.join(' ').length;
    for (const documentId of documentIds) {
      length += documentId.length + 5;
      if (length > MAX_KEYS_LENGTH) break;
      keys.push(`doc:${documentId}`);
    }
  }
  return keys;
}

/** The keys a batch of committed changes purges. */
export function purgeKeysFor(changes: LoggedChange[], graph: TypeGraph): string[] {
  const keys = new Set<string>(['graphql', 'sync']);
  for (const change of changes) {
    const plural = graph.pluralOf.get(change.contentType);
    if (plural) keys.add(`type:${plural}`);
    keys.add(`doc:${change.documentId}`);
  }
  return [...keys];
}
