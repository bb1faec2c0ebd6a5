/**
 * The sync feed (after Contentful's sync API). A first call without a cursor pages through
 * everything published now (`action: "current"`), then continues with the change log from the
 * position it started at; later calls page through the log. Each page ends with an opaque
 * cursor; following cursors from any page sees every change once, in commit order (the log
 * hands out positions in commit order: lib/sync/change-store.ts).
 *
 * Items for a live entry carry its current public version (one level populated, private fields
 * removed); tombstones (`unpublished`, `deleted`) and changes superseded by a later
 * unpublish carry `entry: null`.
 *
 * "One level populated" is what the document holds: its relations, media, components and zones,
 * not the lists other documents hold to it (a topic's `articles` are the articles' `topics`).
 * Those lists change without a change of the document (linking an article logs the article), so
 * a reader could not keep them fresh from the feed, and they grow with the archive: a page of
 * 100 topics carried 126 MB at 100,000 articles (docs/scale.md).
 */
import type { Core, UID } from '@strapi/strapi';
import { changesAfter, headPosition } from '../../../lib/sync/change-store';
import { expiredBefore } from '../../../lib/sync/compaction';
import { HttpError } from '../../../lib/http/http-error';
import { encodeCursor, pluralOf, type FeedFilters, type FeedItem, type FeedPage, type FeedPosition, type FeedState } from '../../../lib/sync/feed-request';

type Attribute = { type: string; mappedBy?: string };
const POPULATED_TYPES = new Set(['relation', 'media', 'component', 'dynamiczone']);

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const populates = new Map<string, Record<string, true>>();
  /** What `populate: '*'` reaches, less the relations whose links another type holds (mappedBy). */
  function ownPopulate(uid: string): Record<string, true> {
    let populate = populates.get(uid);
    if (!populate) {
      const attributes = strapi.getModel(uid as UID.ContentType).attributes as Record<string, Attribute>;
      populate = Object.fromEntries(
        Object.entries(attributes)
          .filter(([, attribute]) => POPULATED_TYPES.has(attribute.type) && !(attribute.type === 'relation' && attribute.mappedBy))
          .map(([name]) => [name, true as const]),
      );
      populates.set(uid, populate);
    }
    return populate;
  }

  /** Current public versions of some documents of one type and locale, sanitized for the public. */
  async function publicEntries(uid: string, locale: string, documentIds: string[]): Promise<Map<string, Record<string, unknown>>> {
    if (documentIds.length === 0) return new Map();
    const documents = await strapi.documents(uid as UID.ContentType).findMany({
      filters: { documentId: { $in: documentIds } },
      locale,
      status: 'published',
      populate: ownPopulate(uid),
      limit: documentIds.length,
    });
    const schema = strapi.getModel(uid as UID.ContentType);
    const entries = new Map<string, Record<string, unknown>>();
    for (const document of documents as Array<Record<string, unknown>>) {
      const sanitized = (await strapi.contentAPI.sanitize.output(document, schema, { auth: undefined })) as Record<string, unknown>;
      entries.set(String(document.documentId), sanitized);
    }
    return entries;
  }

  /** Fills `entry` for items whose entry is live, one query per (type, locale). */
  async function attachEntries(items: FeedItem[], uidOf: Map<string, string>): Promise<void> {
    const groups = new Map<string, FeedItem[]>();
    for (const item of items) {
      if (item.action === 'unpublished' || item.action === 'deleted') continue;
      const key = `${uidOf.get(item.type)}|${item.locale}`;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    for (const [key, group] of groups) {
      const [uid = '', locale = ''] = key.split('|');
      const entries = await publicEntries(uid, locale, [...new Set(group.map((item) => item.documentId))]);
      for (const item of group) item.entry = entries.get(item.documentId) ?? null;
    }
  }

  async function snapshotPage(at: Extract<FeedPosition, { phase: 'snapshot' }>, filters: FeedFilters, limit: number) {
    const items: FeedItem[] = [];
    let { typeIndex, afterId } = at;
    while (items.length < limit && typeIndex < filters.types.length) {
      const uid = filters.types[typeIndex]!;
      const rows = (await strapi.db.query(uid as UID.ContentType).findMany({
        select: ['id', 'documentId', 'locale', 'publishedAt'],
        where: { publishedAt: { $notNull: true }, id: { $gt: afterId }, ...(filters.locale ? { locale: filters.locale } : {}) },
        orderBy: { id: 'asc' },
        limit: limit - items.length,
      })) as Array<{ id: number; documentId: string; locale: string }>;
      for (const row of rows) {
        items.push({ position: null, action: 'current', type: pluralOf(strapi, uid), documentId: row.documentId, locale: row.locale, occurredAt: null, entry: null });
        afterId = row.id;
      }
      if (items.length < limit) {
        typeIndex += 1;
        afterId = 0;
      }
    }
    const next: FeedPosition =
      typeIndex >= filters.types.length ? { phase: 'changes', position: at.head } : { phase: 'snapshot', head: at.head, typeIndex, afterId };
    return { items, next };
  }

  async function changesPage(at: Extract<FeedPosition, { phase: 'changes' }>, filters: FeedFilters, limit: number) {
    const changes = await changesAfter(strapi.db.connection, at.position, {
      limit,
      contentTypes: filters.types,
      locale: filters.locale ?? undefined,
    });
    const items: FeedItem[] = changes.map((change) => ({
      position: change.position,
      action: change.action,
      type: pluralOf(strapi, change.contentType),
      documentId: change.documentId,
      locale: change.locale,
      occurredAt: change.occurredAt.toISOString(),
      entry: null,
      ...(change.mergedInto ? { mergedInto: change.mergedInto } : {}),
    }));
    const last = changes[changes.length - 1];
    return { items, next: { phase: 'changes', position: last ? last.position : at.position } as FeedPosition };
  }

  return {
    /** One page of the feed and the cursor to continue from. */
    async page(state: FeedState, limit: number): Promise<FeedPage> {
      if (state.at) {
        // A tombstone this reader has not seen may have been dropped (lib/sync/compaction.ts).
        const position = state.at.phase === 'changes' ? state.at.position : state.at.head;
        const floor = await expiredBefore(strapi.db.connection);
        if (position < floor) {
          throw new HttpError(410, 'cursor-expired', `cursor is older than the change log keeps (position ${position}, log kept from ${floor}): start a new sync without a cursor`, {
            param: 'cursor',
          });
        }
      }
      const at: FeedPosition = state.at ?? { phase: 'snapshot', head: await headPosition(strapi.db.connection), typeIndex: 0, afterId: 0 };
      const page = at.phase === 'snapshot' ? await snapshotPage(at, state.filters, limit) : await changesPage(at, state.filters, limit);
      const uidOf = new Map(state.filters.types.map((uid) => [pluralOf(strapi, uid), uid]));
      await attachEntries(page.items, uidOf);
      // A full page may have more behind it; a short one has reached the end for now. The
      // listing is always followed by one call into the log, for what changed meanwhile.
      const hasMore = at.phase === 'snapshot' || page.items.length === limit;
      return {
        items: page.items,
        nextCursor: encodeCursor({ v: 1, at: page.next, filters: state.filters }),
        hasMore,
      };
    },
  };
};
