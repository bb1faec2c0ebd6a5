/** What a quote looks like to a reader: the one place that says so. */
import { ARTICLE_SUMMARY, EVENT_SUMMARY, PERSON_SUMMARY, defaultPopulate } from '../../../lib/shapes/default-populate';

export const QUOTE_SHAPE = {
  person: PERSON_SUMMARY,
  articles: ARTICLE_SUMMARY,
  event: EVENT_SUMMARY,
};

export default () => defaultPopulate(QUOTE_SHAPE);
