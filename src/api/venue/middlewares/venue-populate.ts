/** What a venue looks like to a reader: the one place that says so. */
import { EVENT_SUMMARY, defaultPopulate } from '../../../lib/shapes/default-populate';
import { boundedLists } from '../../../lib/shapes/bounded-lists';

/** Nothing populated: a venue's events grow with the years, so they come bounded (VENUE_LISTS). */
export const VENUE_SHAPE = {};

/** The latest-starting 10 events, with `eventsTotal` (bounded-lists.ts). */
export const VENUE_LISTS = boundedLists('api::venue.venue', [{ attribute: 'events', newestBy: 'startsAt', limit: 10, summary: EVENT_SUMMARY }]);

export default () => defaultPopulate(VENUE_SHAPE);
