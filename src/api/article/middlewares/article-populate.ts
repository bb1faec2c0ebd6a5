/** What an article looks like to a reader: the one place that says so. */
import {
  EVENT_SUMMARY,
  PERSON_SUMMARY,
  TOPIC_SUMMARY,
  defaultPopulate,
} from '../../../lib/shapes/default-populate';

export const ARTICLE_SHAPE = {
  cover: true,
  authors: PERSON_SUMMARY,
  topics: TOPIC_SUMMARY,
  events: EVENT_SUMMARY,
  seo: { populate: { shareImage: true } },
  externalLinks: true,
  body: {
    on: {
      'blocks.rich-text': true,
      'blocks.image': { populate: { image: true } },
      'blocks.fact-box': { populate: { facts: true } },
      'blocks.quote': {
        populate: { quote: { fields: ['text', 'saidOn', 'locale'], populate: { person: PERSON_SUMMARY } } },
      },
      'blocks.event-teaser': { populate: { event: EVENT_SUMMARY } },
    },
  },
};

export default () => defaultPopulate(ARTICLE_SHAPE);
