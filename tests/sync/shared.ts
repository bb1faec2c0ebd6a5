/** Shared by the feed tests: one item of GET /api/sync, and a reader that follows its cursors to the end. */
import type { TestApp } from '../helpers/app';

export interface Item {
  position: number | null;
  action: string;
  type: string;
  documentId: string;
  locale: string;
  entry: Record<string, unknown> | null;
}

/** Follows cursors until the feed says it has no more; returns every item, the last cursor and the pages read. */
export async function readFeed(app: TestApp, query: Record<string, string | number>, cursor?: string): Promise<{ items: Item[]; cursor: string; pages: number }> {
  const items: Item[] = [];
  let pages = 0;
  for (;;) {
    const response = await app.http().get('/api/sync').query({ ...query, ...(cursor ? { cursor } : {}) });
    expect(response.status).toBe(200);
    items.push(...response.body.data);
    cursor = response.body.meta.nextCursor as string;
    pages += 1;
    if (!response.body.meta.hasMore) return { items, cursor, pages };
  }
}
