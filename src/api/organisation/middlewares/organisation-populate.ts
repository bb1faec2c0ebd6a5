/** What an organisation looks like to a reader: the one place that says so. */
import { EVENT_SUMMARY, ORGANISATION_SUMMARY, defaultPopulate } from '../../../lib/shapes/default-populate';

export const ORGANISATION_SHAPE = {
  logo: true,
  parent: ORGANISATION_SUMMARY,
  units: ORGANISATION_SUMMARY,
  organisedEvents: EVENT_SUMMARY,
};

export default () => defaultPopulate(ORGANISATION_SHAPE);
