/**
 * Owns what a change-feed request is, for every way of asking: the cursor format, the filters,
 * the page-size rule, and the checks that turn a client's parameters into the state the feed
 * service (src/api/sync/services/sync.ts) pages from. REST `GET /api/sync` and GraphQL
 * `syncChanges` both go through `readFeedRequest`, so a cursor from one works in the other and
 * both refuse the same things with the same messages.
 */
import type { Core, UID } from '@strapi/strapi';
import { PUBLIC_CONTENT_TYPES } from '../access/content-types';
import type { ChangeAction } from './change-store';

export const FEED_LOCALES = ['da', 'en'] as const;
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export interface FeedFilters {
  /** Content type uids, in feed order. */
  types: string[];
  locale: string | null;
}

/** Where a reader is: in the first full listing (type index, last row id), or in the log. */
export type FeedPosition =
  | { phase: 'snapshot'; head: number; typeIndex: number; afterId: number }
  | { phase: 'changes'; position: number };

export interface FeedItem {
  position: number | null;
  action: ChangeAction | 'current';
  type: string;
  documentId: string;
  locale: string;
  occurredAt: string | null;
  entry: Record<string, unknown> | null;
  /** Only on the tombstone of a merged document: the documentId it was merged into. */
  mergedInto?: string;
}

export interface FeedState {
  at: FeedPosition | null;
  filters: FeedFilters;
}

export interface FeedPage {
  items: FeedItem[];
  nextCursor: string;
  hasMore: boolean;
}

/** The feed service's own type (`strapi.service('api::sync.sync')`). */
export interface FeedService {
  page(state: FeedState, limit: number): Promise<FeedPage>;
}

export const feedService = (strapi: Core.Strapi) => strapi.service('api::sync.sync') as FeedService;

interface CursorState {
  v: 1;
  at: FeedPosition;
  filters: FeedFilters;
}

export const pluralOf = (strapi: Core.Strapi, uid: string) => strapi.contentType(uid as UID.ContentType).info.pluralName;

export function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

/** The cursor's state, or null when it is not one of ours. */
export function decodeCursor(cursor: string): CursorState | null {
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorState;
    const at = state?.at;
    const validAt =
      (at?.phase === 'changes' && Number.isSafeInteger(at.position) && at.position >= 0) ||
      (at?.phase === 'snapshot' && [at.head, at.typeIndex, at.afterId].every((n) => Number.isSafeInteger(n) && n >= 0));
    const validFilters =
      Array.isArray(state.filters?.types) &&
      state.filters.types.every((uid) => (PUBLIC_CONTENT_TYPES as readonly string[]).includes(uid)) &&
      (state.filters.locale === null || (FEED_LOCALES as readonly string[]).includes(state.filters.locale));
    return state.v === 1 && validAt && validFilters ? state : null;
  } catch {
    return null;
  }
}

/** A feed request's parameters, already taken apart from their transport (query string, GraphQL arguments). */
export interface FeedParameters {
  cursor?: string;
  /** Plural type names (`events`, `articles`); absent means every public type. */
  types?: string[];
  locale?: string;
  limit?: number;
}

export type FeedRequest = { ok: true; state: FeedState; limit: number } | { ok: false; param: 'cursor' | 'type' | 'locale' | 'limit'; message: string };

/** Checks a request's parameters; a bad one names itself (`param`) and says what would do. */
export function readFeedRequest(strapi: Core.Strapi, parameters: FeedParameters): FeedRequest {
  const bad = (param: 'cursor' | 'type' | 'locale' | 'limit', message: string): FeedRequest => ({ ok: false, param, message });
  const byPlural = new Map<string, string>(PUBLIC_CONTENT_TYPES.map((uid) => [pluralOf(strapi, uid), uid]));
  let types: string[] = [...PUBLIC_CONTENT_TYPES];
  if (parameters.types !== undefined) {
    const wanted = parameters.types.map((name) => name.trim());
    const unknown = wanted.filter((name) => !byPlural.has(name));
    if (unknown.length > 0) return bad('type', `type must be a comma-separated list of ${[...byPlural.keys()].join(', ')}; unknown: ${unknown.join(', ')}`);
    types = types.filter((uid) => wanted.includes(pluralOf(strapi, uid)));
  }
  const locale = parameters.locale ?? null;
  if (locale !== null && !(FEED_LOCALES as readonly string[]).includes(locale)) return bad('locale', `locale must be one of ${FEED_LOCALES.join(', ')}`);
  const limit = parameters.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) return bad('limit', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);

  if (parameters.cursor === undefined) return { ok: true, state: { at: null, filters: { types, locale } }, limit };
  const decoded = decodeCursor(parameters.cursor);
  if (!decoded) return bad('cursor', 'cursor is not one this feed gave out');
  // A cursor keeps the filters it was made with; asking for others with it is a mistake.
  const same =
    (parameters.types === undefined || decoded.filters.types.join() === types.join()) &&
    (parameters.locale === undefined || decoded.filters.locale === locale);
  if (!same) return bad('cursor', 'cursor was made with other type/locale filters: start a new sync for those');
  return { ok: true, state: { at: decoded.at, filters: decoded.filters }, limit };
}
