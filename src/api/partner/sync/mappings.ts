/**
 * `partner_events`: which event each partner's externalId points at (database/migrations), with
 * `role` `origin` (the partner's push created it) or `linked` (matched to an event the hub had).
 * Written by the partner event service (src/api/partner/services/partner-event.ts); read also by
 * the calendar's partner filter and by merges.
 */
export const MAPPING_TABLE = 'partner_events';
