/** What a venue looks like to a reader: the one place that says so. */
import { EVENT_SUMMARY, defaultPopulate } from '../../../lib/shapes/default-populate';

export const VENUE_SHAPE = {
  events: EVENT_SUMMARY,
};

export default () => defaultPopulate(VENUE_SHAPE);
