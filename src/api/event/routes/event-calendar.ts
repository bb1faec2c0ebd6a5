// Calendars (iCalendar, RFC 5545) and schema.org JSON-LD for published events:
//   GET /api/events.ics?locale=&festival=&topic=&organiser=&partner=   the programme feed
//   GET /api/events/:documentId/calendar.ics?locale=                   one event
//   GET /api/events/:documentId/json-ld?locale=                        one event's JSON-LD
// A feed is a list read (the find permission), one event a single read (findOne). A merged
// event's old documentId answers with the event it was merged into, as REST single reads do.
export default {
  routes: [
    {
      method: 'GET',
      path: '/events.ics',
      handler: 'api::event.event.calendar',
      config: { auth: { scope: ['api::event.event.find'] } },
    },
    {
      method: 'GET',
      path: '/events/:documentId/calendar.ics',
      handler: 'api::event.event.eventCalendar',
      config: { auth: { scope: ['api::event.event.findOne'] } },
    },
    {
      method: 'GET',
      path: '/events/:documentId/json-ld',
      handler: 'api::event.event.jsonLd',
      config: { auth: { scope: ['api::event.event.findOne'] } },
    },
  ],
};
