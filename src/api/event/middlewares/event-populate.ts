/** What an event looks like to a reader: the one place that says so. */
import {
  ARTICLE_SUMMARY,
  EVENT_SUMMARY,
  ORGANISATION_SUMMARY,
  PERSON_SUMMARY,
  TOPIC_SUMMARY,
  defaultPopulate,
} from '../../../lib/shapes/default-populate';

export const EVENT_SHAPE = {
  venue: true,
  parent: EVENT_SUMMARY,
  subEvents: EVENT_SUMMARY,
  organisers: ORGANISATION_SUMMARY,
  participants: { populate: { person: PERSON_SUMMARY } },
  topics: TOPIC_SUMMARY,
  articles: ARTICLE_SUMMARY,
  quotes: { fields: ['text', 'locale'], populate: { person: { fields: ['name', 'slug', 'locale'] } } },
};

export default () => defaultPopulate(EVENT_SHAPE);
