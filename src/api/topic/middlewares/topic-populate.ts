/** What a topic looks like to a reader: the one place that says so. */
import { ARTICLE_SUMMARY, EVENT_SUMMARY, defaultPopulate } from '../../../lib/shapes/default-populate';

export const TOPIC_SHAPE = {
  articles: ARTICLE_SUMMARY,
  events: EVENT_SUMMARY,
};

export default () => defaultPopulate(TOPIC_SHAPE);
