/** What a topic looks like to a reader: the one place that says so. */
import { ARTICLE_SUMMARY, EVENT_SUMMARY, defaultPopulate } from '../../../lib/shapes/default-populate';
import { boundedLists } from '../../../lib/shapes/bounded-lists';

/** Nothing populated: a topic's lists grow with the archive, so they come bounded (TOPIC_LISTS). */
export const TOPIC_SHAPE = {};

/**
 * The newest articles (by publication) and events (by start, the furthest ahead first), each
 * with `articlesTotal`/`eventsTotal`; the rest are paged from /api/articles and /api/events with
 * `filters[topics][documentId][$eq]` (docs/api.md).
 */
export const TOPIC_LISTS = boundedLists('api::topic.topic', [
  { attribute: 'articles', newestBy: 'publishedAt', limit: 10, summary: ARTICLE_SUMMARY },
  { attribute: 'events', newestBy: 'startsAt', limit: 10, summary: EVENT_SUMMARY },
]);

export default () => defaultPopulate(TOPIC_SHAPE);
