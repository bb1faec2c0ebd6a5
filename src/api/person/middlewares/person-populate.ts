/** What a person looks like to a reader: the one place that says so. */
import {
  ARTICLE_SUMMARY,
  ORGANISATION_SUMMARY,
  defaultPopulate,
} from '../../../lib/shapes/default-populate';

export const PERSON_SHAPE = {
  photo: true,
  affiliations: { populate: { organisation: ORGANISATION_SUMMARY } },
  quotes: { fields: ['text', 'saidOn', 'locale'], populate: { articles: { fields: ['title', 'slug', 'locale'] } } },
  authoredArticles: ARTICLE_SUMMARY,
};

export default () => defaultPopulate(PERSON_SHAPE);
