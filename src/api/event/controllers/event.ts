import { factories, type Core } from '@strapi/strapi';
import { findBySlugAction } from '../../../lib/slug/lookup';
import { changeCounts } from '../../../lib/sync/change-log';
import { findCalendarEvent, findCalendarEvents } from '../../../lib/calendar/events';
import { buildCalendar } from '../../../lib/calendar/ics';
import { eventJsonLd } from '../../../lib/calendar/json-ld';
import { CalendarQueryError, readFeedQuery, readSingleEventQuery } from '../../../lib/calendar/feed-query';
import { siteOf } from '../../../lib/calendar/site';

const EVENT_UID = 'api::event.event';
/** Subscribed programme feeds are asked to refresh hourly (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
const FEED_REFRESH_SECONDS = 3600;

function sendCalendar(ctx: any, body: string, fileName: string, disposition: 'inline' | 'attachment') {
  ctx.body = body;
  ctx.type = 'text/calendar; charset=utf-8';
  ctx.set('Content-Disposition', `${disposition}; filename="${fileName}.ics"`);
}

/** A bad query is a 400 naming the parameter, like the other event endpoints. */
async function answeringBadQueries(ctx: any, action: () => Promise<void>) {
  try {
    await action();
  } catch (error) {
    if (error instanceof CalendarQueryError) return ctx.badRequest(error.message, { param: error.param });
    throw error;
  }
}

/**
 * Single-event answers in the default shape carry the event's schema.org JSON-LD as
 * `data.jsonLd`, built from the served document's locale (which may be a fallback locale).
 */
async function withJsonLd(strapi: Core.Strapi, ctx: any, response: any) {
  const data = response?.data;
  if (!ctx.state.defaultShape || !data || typeof data.documentId !== 'string') return response;
  const event = await findCalendarEvent(strapi, data.documentId, data.locale);
  if (!event) return response;
  return { ...response, data: { ...data, jsonLd: eventJsonLd(event, siteOf(strapi)) } };
}

export default factories.createCoreController(EVENT_UID, ({ strapi }) => {
  const findBySlug = findBySlugAction(strapi, EVENT_UID);

  return {
    async findOne(ctx: any) {
      return withJsonLd(strapi, ctx, await super.findOne(ctx));
    },

    async findBySlug(ctx: any) {
      return withJsonLd(strapi, ctx, await findBySlug.call(this as any, ctx));
    },

    /** GET /api/events.ics: the published programme in one locale, optionally filtered. */
    async calendar(ctx: any) {
      await answeringBadQueries(ctx, async () => {
        const selection = await readFeedQuery(strapi, ctx.query);
        const events = await findCalendarEvents(strapi, { locale: selection.locale, filters: selection.filters });
        const sequences = await changeCounts(strapi.db.connection, EVENT_UID, events.map((event) => event.documentId));
        const body = buildCalendar(events, {
          name: selection.name,
          locale: selection.locale,
          site: siteOf(strapi),
          sequences,
          refreshSeconds: FEED_REFRESH_SECONDS,
        });
        sendCalendar(ctx, body, selection.fileName, 'inline');
      });
    },

    /** GET /api/events/:documentId/calendar.ics: one published event, to add to a calendar. */
    async eventCalendar(ctx: any) {
      await answeringBadQueries(ctx, async () => {
        const { locale } = readSingleEventQuery(ctx.query);
        const event = await findCalendarEvent(strapi, ctx.params.documentId, locale);
        if (!event) return ctx.notFound(`No published event "${ctx.params.documentId}" in locale ${locale}`);
        const sequences = await changeCounts(strapi.db.connection, EVENT_UID, [event.documentId]);
        const body = buildCalendar([event], { name: event.title, locale, site: siteOf(strapi), sequences });
        sendCalendar(ctx, body, `${event.slug}-${locale}`, 'attachment');
      });
    },

    /** GET /api/events/:documentId/json-ld: the schema.org Event alone, as application/ld+json. */
    async jsonLd(ctx: any) {
      await answeringBadQueries(ctx, async () => {
        const { locale } = readSingleEventQuery(ctx.query);
        const event = await findCalendarEvent(strapi, ctx.params.documentId, locale);
        if (!event) return ctx.notFound(`No published event "${ctx.params.documentId}" in locale ${locale}`);
        ctx.body = eventJsonLd(event, siteOf(strapi));
        ctx.type = 'application/ld+json; charset=utf-8';
      });
    },
  };
});
