/**
 * Strapi's own `entry.*` events for writes that bypass the Document Service (issue 26, item 3),
 * so that a webhook set in the admin (Settings → Webhooks, such as a static site's rebuild hook)
 * hears of a partner's new event, a merge's moved references, and whatever else writes rows
 * directly, exactly as it hears of an editor's publish.
 *
 * A change-log listener (after commit, src/index.ts). The Document Service raises its own events,
 * and its changes say so (`viaDocumentService`, public-changes.ts): those are left alone, so no
 * document gets two. For every other change it sends what the Document Service would have sent
 * for the same result (@strapi/core document-service/repository.js), per locale:
 * - a version published where there was none (`published`): `entry.publish` with the published
 *   version; before it `entry.create` with the draft when the two rows were made together (a
 *   one-pass create: `create` with status published sends both);
 * - a public version changed in place (`updated`): `entry.update` with the draft, then
 *   `entry.publish` with the published version (`update` then `publish`);
 * - a type without drafts: `entry.create` (`created`) or `entry.update` (`updated`);
 * - `unpublished`, `deleted`: `entry.unpublish`, `entry.delete`; the rows are gone by then, so the
 *   entry carries only `documentId` and `locale` (no writer outside the Document Service
 *   unpublishes or deletes today).
 * Each entry is shaped as the Document Service's event manager shapes it (events.js): the row
 * read after commit with every relation, media, component and dynamic zone populated, then
 * `sanitize.sanitizers.defaultSanitizeOutput`. Drafts nobody published are not in the change log,
 * so a partner's draft-only creation sends no `entry.create` (see docs/partner-api.md).
 *
 * Only events that an enabled webhook of this instance listens to are raised (the webhook
 * runner's registry, src/strapi-seam/webhook-runner.ts): without one nothing is read and a push
 * costs what it did. Emitted one after another in commit order, in the background: the writer's
 * answer never waits, and a failure is logged, never thrown.
 */
import type { Core, UID } from '@strapi/strapi';
import { sanitize } from '@strapi/utils';
import { webhookEvents } from '../../strapi-seam/webhook-runner';
import type { LoggedChange } from '../sync/change-store';

export type EntryEvent = 'entry.create' | 'entry.update' | 'entry.publish' | 'entry.unpublish' | 'entry.delete';

/** Which row an event carries: the draft, the published version, the one row (no drafts), or none left. */
type Version = 'draft' | 'published' | 'only' | 'gone';

interface PlannedEvent {
  event: EntryEvent;
  version: Version;
  /** Sent only when the draft was made together with the published version. */
  ifCreatedTogether?: boolean;
}

/** What the Document Service sends for a change with this action. */
export function plannedEvents(action: LoggedChange['action'], draftAndPublish: boolean): PlannedEvent[] {
  if (!draftAndPublish) {
    if (action === 'created' || action === 'published') return [{ event: 'entry.create', version: 'only' }];
    if (action === 'updated') return [{ event: 'entry.update', version: 'only' }];
    return [{ event: 'entry.delete', version: 'gone' }];
  }
  switch (action) {
    case 'published':
    case 'created':
      return [
        { event: 'entry.create', version: 'draft', ifCreatedTogether: true },
        { event: 'entry.publish', version: 'published' },
      ];
    case 'updated':
      return [
        { event: 'entry.update', version: 'draft' },
        { event: 'entry.publish', version: 'published' },
      ];
    case 'unpublished':
      return [{ event: 'entry.unpublish', version: 'gone' }];
    case 'deleted':
      return [{ event: 'entry.delete', version: 'gone' }];
  }
}

type Populate = Record<string, unknown>;
interface ModelAttribute {
  type: string;
  component?: string;
  components?: string[];
  unstable_virtual?: boolean;
}

const POPULATES = Symbol.for('hub.strapiEvents.populates');
type WithPopulates = Core.Strapi & { [POPULATES]?: Map<string, Populate> };

/**
 * The populate the Document Service's event manager reads an entry with (its getDeepPopulate
 * with no options, @strapi/core document-service/utils/populate.js): every relation, media with
 * all its fields, components and dynamic-zone components, all the way down.
 */
export function deepPopulate(strapi: Core.Strapi, uid: string): Populate {
  const cache = ((strapi as WithPopulates)[POPULATES] ??= new Map());
  const cached = cache.get(uid);
  if (cached) return cached;
  const populate: Populate = {};
  for (const [name, attribute] of Object.entries(strapi.getModel(uid as UID.Schema).attributes as Record<string, ModelAttribute>)) {
    if (attribute.type === 'relation' && !attribute.unstable_virtual) populate[name] = { select: undefined };
    else if (attribute.type === 'media') populate[name] = { select: ['*'] };
    else if (attribute.type === 'component' && attribute.component) populate[name] = { populate: deepPopulate(strapi, attribute.component) };
    else if (attribute.type === 'dynamiczone') {
      populate[name] = { on: Object.fromEntries((attribute.components ?? []).map((component) => [component, { populate: deepPopulate(strapi, component) }])) };
    }
  }
  cache.set(uid, populate);
  return populate;
}

interface EntryRow {
  id: number;
  documentId: string;
  locale?: string | null;
  createdAt?: unknown;
  publishedAt?: unknown;
  [field: string]: unknown;
}

const time = (value: unknown): number => (value === null || value === undefined ? NaN : new Date(value as string).getTime());

interface State {
  /** The emissions not yet done, one after another. */
  queue: Promise<void>;
  /** Events handed to Strapi's event hub, and rows read for them (for tests and logs). */
  emitted: number;
  reads: number;
}

const STATE = Symbol.for('hub.strapiEvents.state');
type WithState = Core.Strapi & { [STATE]?: State };

function stateOf(strapi: Core.Strapi): State {
  return ((strapi as WithState)[STATE] ??= { queue: Promise.resolve(), emitted: 0, reads: 0 });
}

/** One row of a document's locale in one version, read as the Document Service's event manager reads it. */
async function readEntry(strapi: Core.Strapi, change: LoggedChange, version: 'draft' | 'published' | 'only', populate?: Populate): Promise<EntryRow | null> {
  const uid = change.contentType as UID.ContentType;
  const localized = Boolean((strapi.contentType(uid).pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized);
  stateOf(strapi).reads += 1;
  return (await strapi.db.query(uid).findOne({
    where: {
      documentId: change.documentId,
      ...(localized ? { locale: change.locale } : {}),
      ...(version === 'only' ? {} : { publishedAt: version === 'published' ? { $notNull: true } : { $null: true } }),
    },
    ...(populate ? { populate } : {}),
  })) as EntryRow | null;
}

async function emit(strapi: Core.Strapi, change: LoggedChange, event: EntryEvent, entry: Record<string, unknown>): Promise<void> {
  const model = strapi.getModel(change.contentType as UID.ContentType);
  type Data = Parameters<typeof sanitize.sanitizers.defaultSanitizeOutput>[1];
  const context = { schema: model, getModel: (uid: string) => strapi.getModel(uid as UID.Schema) };
  const sanitized = await sanitize.sanitizers.defaultSanitizeOutput(context, entry as Data);
  await strapi.eventHub.emit(event, { model: model.modelName, uid: model.uid, entry: sanitized });
  stateOf(strapi).emitted += 1;
}

/** Raises the events of one change that a webhook listens to. */
async function raiseFor(strapi: Core.Strapi, change: LoggedChange, listened: Set<string>): Promise<void> {
  const contentType = strapi.contentType(change.contentType as UID.ContentType);
  if (!contentType) return;
  const planned = plannedEvents(change.action, Boolean(contentType.options?.draftAndPublish)).filter((item) => listened.has(item.event));
  if (planned.length === 0) return;
  const populate = deepPopulate(strapi, change.contentType);
  for (const item of planned) {
    if (item.version === 'gone') {
      await emit(strapi, change, item.event, { documentId: change.documentId, locale: change.locale });
      continue;
    }
    const entry = await readEntry(strapi, change, item.version, populate);
    // Changed again, or gone, since it committed: the later change says so itself.
    if (!entry) continue;
    if (item.ifCreatedTogether) {
      const published = await readEntry(strapi, change, 'published');
      if (!published || time(published.createdAt) !== time(entry.createdAt)) continue;
    }
    await emit(strapi, change, item.event, entry);
  }
}

/**
 * The change-log listener (after commit): queues the events of the changes the Document
 * Service did not make, when a webhook listens to any of them.
 */
export function raiseEntryEvents(strapi: Core.Strapi, changes: LoggedChange[]): void {
  const direct = changes.filter((change) => !change.viaDocumentService);
  if (direct.length === 0) return;
  const listened = webhookEvents(strapi);
  if (![...listened].some((event) => event.startsWith('entry.'))) return;
  const state = stateOf(strapi);
  state.queue = state.queue.then(async () => {
    for (const change of direct) {
      try {
        await raiseFor(strapi, change, listened);
      } catch (error) {
        strapi.log.error(`[strapi-events] entry events for ${change.contentType} ${change.documentId} (${change.locale}) failed: ${(error as Error).message}`);
      }
    }
  });
}

/** For tests and shutdown: resolves once every queued event has been handed to Strapi's event hub. */
export async function entryEventsIdle(strapi: Core.Strapi): Promise<void> {
  for (;;) {
    const queue = stateOf(strapi).queue;
    await queue;
    if (stateOf(strapi).queue === queue) return;
  }
}

/** How many events were raised and rows read on this instance so far. */
export function entryEventCounts(strapi: Core.Strapi): { emitted: number; reads: number } {
  const { emitted, reads } = stateOf(strapi);
  return { emitted, reads };
}
