/**
 * What an answer depends on and what a change touches, as one set of keys shared by the
 * in-process cache (which drops the answers whose keys a change touches) and by a CDN (the same
 * keys as surrogate keys: Varnish xkey, Fastly `Surrogate-Key`, Cloudflare `Cache-Tag`).
 *
 * A change to document D of type T touches `doc:D`, `type:T`, and what the change log recorded
 * for it (src/lib/sync/touched.ts): `doc:` keys of the documents related to D before and after,
 * `slug:` keys of its slugs. An answer depends on:
 * - `doc:<documentId>` for every document it contains, at any depth;
 * - a list (`/api/<plural>`): `type:<plural>`, since any document of its type may join, leave
 *   or move; filtered or sorted through a relation or component, every type that reaches;
 * - a slug lookup: `slug:<plural>:<slug>`, which another document may take;
 * - what the controller that made it declared (`declareAnswerDependencies`): a search's answer
 *   depends on the types whose text is in the rows it searched (src/api/search/);
 * - other REST answers whose documents cannot be read off their JSON (calendars, JSON-LD):
 *   every type their type reaches;
 * - GraphQL answers (which need not show a documentId), feed pages and the contract: `all`,
 *   which every change touches.
 * Answers without a documentId in their JSON still carry the keys above; a CDN header too long
 * for all `doc:` keys falls back to the `type:` keys its type reaches, which stays exact.
 */
import type { Core } from '@strapi/strapi';
import { PUBLIC_CONTENT_TYPES } from '../../../lib/access/content-types';
import type { LoggedChange } from '../../../lib/sync/change-store';
import type { CachePlan } from './request-plan';
import { documentIdsIn } from '../../../lib/json/document-ids';

/** The key of every document of a type (by its plural API name). */
export const typeKey = (plural: string) => `type:${plural}`;

/** Where a controller leaves the keys its answer depends on, when it knows them better than the URL does. */
const DECLARED = 'answerDependsOn';

/** Called by a controller whose answer depends on exactly these keys (see answerDependencies). */
export function declareAnswerDependencies(ctx: { state: Record<string, unknown> }, keys: string[]): void {
  ctx.state[DECLARED] = keys;
}

export function declaredAnswerDependencies(ctx: { state: Record<string, unknown> }): string[] | undefined {
  const keys = ctx.state[DECLARED];
  return Array.isArray(keys) ? (keys as string[]) : undefined;
}

/** The key every change touches. */
export const ALL = 'all';
/** Invalidates everything: a change logged before `touched` existed, a media library write. */
export const EVERYTHING = Symbol('everything');
export type Touched = ReadonlySet<string> | typeof EVERYTHING;

/** Header size stays under the 8 kB a proxy usually allows; type keys alone keep answers exact. */
const MAX_KEYS_LENGTH = 4000;

type Attribute = { type: string; target?: string; component?: string; components?: string[] };
type Schema = { attributes: Record<string, Attribute> };

export interface TypeGraph {
  /** Plural API name of each public type, by uid. */
  pluralOf: Map<string, string>;
  /** Plural names of the public types an answer about a type (by plural) can depend on. */
  dependsOn: Map<string, string[]>;
  /** Attributes of each type (by plural) that lead to other documents: relations, components, dynamic zones. */
  nestedAttributes: Map<string, Set<string>>;
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

  const nestedAttributes = new Map<string, Set<string>>();
  for (const uid of PUBLIC_CONTENT_TYPES) {
    const names = Object.entries(contentTypes[uid]?.attributes ?? {})
      .filter(([, attribute]) => ['relation', 'component', 'dynamiczone', 'media'].includes(attribute.type))
      .map(([name]) => name);
    nestedAttributes.set(pluralOf.get(uid)!, new Set(names));
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
  return { pluralOf, dependsOn, nestedAttributes };
}


/** The names in a bracketed query key (`filters[$or][0][events][title]` → $or, 0, events, title). */
const bracketNames = (key: string) => [...key.matchAll(/\[([^\]]*)\]/g)].map((match) => match[1]!);

/**
 * Whether a list's membership or order can depend on other types than its own: a filter or a
 * sort that names a relation, component or dynamic zone of the type.
 */
export function filtersThroughRelations(search: string, nested: ReadonlySet<string>): boolean {
  if (!search) return false;
  for (const [key, value] of new URLSearchParams(search)) {
    if (key.startsWith('filters')) {
      if (key === 'filters' || bracketNames(key).some((name) => nested.has(name))) return true;
    } else if (key === 'sort' || key.startsWith('sort[')) {
      const named = [...bracketNames(key), ...value.split(',').map((part) => part.split(':')[0]!.trim())];
      if (named.some((name) => name.includes('.') || nested.has(name))) return true;
    }
  }
  return false;
}

/** Every type the plan's type reaches, as `type:` keys. */
const reachedTypeKeys = (plan: CachePlan, graph: TypeGraph): string[] =>
  (graph.dependsOn.get(plan.primaryType ?? '') ?? [...graph.pluralOf.values()]).map((type) => `type:${type}`);

/** What an answer depends on (see the top of this file); `declared`: what its controller said. */
export function answerDependencies(plan: CachePlan, parsed: unknown, graph: TypeGraph, declared?: string[]): string[] {
  if (declared) return declared;
  if (plan.kind !== 'rest' || !plan.primaryType || !plan.scope) return [ALL];
  const keys = new Set<string>();
  if (plan.scope.kind === 'list') {
    const throughRelations = filtersThroughRelations(plan.scope.search, graph.nestedAttributes.get(plan.primaryType) ?? new Set());
    for (const key of throughRelations ? reachedTypeKeys(plan, graph) : [`type:${plan.primaryType}`]) keys.add(key);
  } else if (plan.scope.kind === 'slug') {
    keys.add(`slug:${plan.primaryType}:${plan.scope.slug}`);
  } else if (plan.scope.kind === 'document') {
    keys.add(`doc:${plan.scope.documentId}`);
  } else {
    for (const key of reachedTypeKeys(plan, graph)) keys.add(key);
  }
  const documentIds = new Set<string>();
  documentIdsIn(parsed, documentIds);
  for (const documentId of documentIds) keys.add(`doc:${documentId}`);
  return [...keys];
}

/** What a committed change touches: every answer depending on one of these keys is stale. */
export function changeTouches(change: LoggedChange, graph: TypeGraph): Touched {
  if (!change.touched) return EVERYTHING;
  const plural = graph.pluralOf.get(change.contentType);
  return new Set([ALL, `doc:${change.documentId}`, ...(plural ? [`type:${plural}`] : []), ...change.touched]);
}

/** What a batch of changes touches, together. */
export function changesTouch(changes: LoggedChange[], graph: TypeGraph): Touched {
  const keys = new Set<string>();
  for (const change of changes) {
    const touched = changeTouches(change, graph);
    if (touched === EVERYTHING) return EVERYTHING;
    for (const key of touched) keys.add(key);
  }
  return keys;
}

/**
 * An answer's surrogate keys: `hub` (purges everything), its kind (`graphql`, `sync`,
 * `openapi`: every change purges the first two) and its dependency keys. When the `doc:` keys
 * would not fit in a header, the types its type reaches stand in for the documents left out.
 */
export function surrogateKeysFor(plan: CachePlan, dependencies: readonly string[], graph: TypeGraph): string[] {
  const keys = ['hub'];
  if (plan.kind !== 'rest') keys.push(plan.kind);
  let length = keys.join(' ').length;
  let truncated = false;
  for (const key of dependencies) {
    if (key === ALL) continue;
    if (length + key.length + 1 > MAX_KEYS_LENGTH) {
      truncated = true;
      continue;
    }
    keys.push(key);
    length += key.length + 1;
  }
  if (truncated && plan.kind === 'rest') {
    for (const key of reachedTypeKeys(plan, graph)) if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** The keys a batch of committed changes purges. */
export function purgeKeysFor(changes: LoggedChange[], graph: TypeGraph): string[] {
  const touched = changesTouch(changes, graph);
  if (touched === EVERYTHING) return ['hub'];
  return ['graphql', 'sync', ...[...touched].filter((key) => key !== ALL)].sort();
}
