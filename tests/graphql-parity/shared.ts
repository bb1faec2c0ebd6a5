/** What the GraphQL parity tests share: reading the change feed over either transport. */
import type { TestApp } from '../helpers/app';

/** One item of the change feed, as both transports give it. */
export interface FeedItem {
  position: number | null;
  action: string;
  type: string;
  documentId: string;
  locale: string;
  occurredAt: string | null;
  occurredAtLocal: string | null;
  entry: Record<string, unknown> | null;
}

export interface FeedPage {
  items: FeedItem[];
  nextCursor: string;
  hasMore: boolean;
}

export const SYNC_QUERY = `query ($cursor: String, $types: [String!], $locale: String, $limit: Int) {
  syncChanges(cursor: $cursor, types: $types, locale: $locale, limit: $limit) {
    items { position action type documentId locale occurredAt occurredAtLocal entry }
    nextCursor hasMore
  }
}`;

export interface FeedQuery {
  cursor?: string;
  types?: string[];
  locale?: string;
  limit?: number;
}

/** One page of `GET /api/sync`. */
export async function restPage(app: TestApp, query: FeedQuery): Promise<FeedPage> {
  const { types, ...rest } = query;
  const response = await app.http().get('/api/sync').query({ ...rest, ...(types ? { type: types.join(',') } : {}) });
  if (response.status !== 200) throw new Error(`/api/sync answered ${response.status}: ${JSON.stringify(response.body)}`);
  // GraphQL answers every field it is asked for: REST leaves `occurredAtLocal` out where
  // `occurredAt` is null (the first listing), GraphQL says null.
  const items = response.body.data.map((item: Omit<FeedItem, 'occurredAtLocal'> & { occurredAtLocal?: string | null }) => ({ ...item, occurredAtLocal: item.occurredAtLocal ?? null }));
  return { items, ...response.body.meta };
}

/** One page of GraphQL `syncChanges`. */
export async function graphqlPage(app: TestApp, query: FeedQuery): Promise<FeedPage> {
  const { status, body } = await app.graphql(SYNC_QUERY, { ...query });
  if (status !== 200 || body.errors) throw new Error(`syncChanges answered ${status}: ${JSON.stringify(body.errors)}`);
  return body.data.syncChanges;
}

/** Follows cursors to the end, each page from `pageOf(n)`'s transport. */
export async function readAll(app: TestApp, query: FeedQuery, pageOf: (n: number) => typeof restPage): Promise<{ pages: FeedPage[]; cursor: string }> {
  const pages: FeedPage[] = [];
  let cursor = query.cursor;
  for (let n = 0; ; n++) {
    const page = await pageOf(n)(app, { ...query, cursor });
    pages.push(page);
    cursor = page.nextCursor;
    if (!page.hasMore) return { pages, cursor };
  }
}
