/** What an organisation looks like to a reader: the one place that says so. */
import { EVENT_SUMMARY, ORGANISATION_SUMMARY, defaultPopulate } from '../../../lib/shapes/default-populate';
import { boundedLists } from '../../../lib/shapes/bounded-lists';

export const ORGANISATION_SHAPE = {
  logo: true,
  parent: ORGANISATION_SUMMARY,
  units: ORGANISATION_SUMMARY,
};

/** The events it organises grow with the years: the latest-starting 10, with `organisedEventsTotal` (bounded-lists.ts). */
export const ORGANISATION_LISTS = boundedLists('api::organisation.organisation', [{ attribute: 'organisedEvents', newestBy: 'startsAt', limit: 10, summary: EVENT_SUMMARY }]);

export default () => defaultPopulate(ORGANISATION_SHAPE);
