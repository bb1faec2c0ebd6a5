import { factories, type Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { findBySlugAction } from '../../../features/editorial/slug/lookup';
import { changeCounts } from '../../../lib/sync/change-store';
import { findCalendarEvent, findCalendarEvents } from '../../../lib/calendar/events';
import { buildCalendar } from '../../../lib/calendar/ics';
import { eventJsonLd } from '../../../lib/calendar/json-ld';
import { readFeedQuery, readSingleEventQuery } from '../../../lib/calendar/feed-query';
import { siteOf } from '../../../lib/calendar/site';
import { redirectOf } from '../../partner/merge/redirects';
import { defaultShapeController } from '../../../lib/shapes/default-shape-reads';

const EVENT_UID = 'api::event.event';
/** Subscribed programme feeds are asked to refresh hourly (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
const FEED_REFRESH_SECONDS = 3600;

function sendCalendar(ctx: Context, body: string, fileName: string, disposition: 'inline' | 'attachment') {
  ctx.body = body;
  ctx.type = 'text/calendar; charset=utf-8';
  ctx.set('Content-Disposition', `${disposition}; filename="${fileName}.ics"`);
}

/**
 * One published event for .ics and JSON-LD; a merged event's old documentId reads the event it
 * was merged into (`document_redirects`), served under the kept documentId, as REST single reads
 * and GraphQL do (src/api/partner/merge/redirects.ts).
 */
async function findCalendarEventOrMergedInto(strapi: Core.Strapi, documentId: string, locale: string) {
  const event = await findCalendarEvent(strapi, documentId, locale);
  if (event) return event;
  const target = await redirectOf(strapi.db.connection, EVENT_UID, documentId);
  return target && target !== documentId ? findCalendarEvent(strapi, target, locale) : null;
}

/**
 * Event answers in the default shape (lists, single reads, slug reads alike, so a single read
 * is still the list item) carry the event's schema.org JSON-LD as `jsonLd`, built from each
 * served document's own locale (which may be a fallback locale). One read per locale served,
 * whatever the page size. A request that names `fields` or `populate` gets exactly that.
 */
async function attachJsonLd(strapi: Core.Strapi, sanitized: unknown): Promise<void> {
  const items = (Array.isArray(sanitized) ? sanitized : [sanitized]).filter(
    (item): item is Record<string, unknown> & { documentId: string; locale: string } =>
      !!item && typeof item === 'object' && 'documentId' in item && typeof item.documentId === 'string' && 'locale' in item && typeof item.locale === 'string',
  );
  const site = siteOf(strapi);
  for (const locale of new Set(items.map((item) => item.locale))) {
    const served = items.filter((item) => item.locale === locale);
    const events = await findCalendarEvents(strapi, {
      locale,
      filters: { documentId: { $in: served.map((item) => item.documentId) } },
    });
    const byId = new Map(events.map((event) => [event.documentId, event]));
    for (const item of served) {
      const event = byId.get(item.documentId);
      if (event) item.jsonLd = eventJsonLd(event, site);
    }
  }
}

// Every read (list, single, slug) in the default shape carries the event's JSON-LD.
export default factories.createCoreController(EVENT_UID, ({ strapi }) => {
  return Object.assign(defaultShapeController(strapi, EVENT_UID, { decorate: (sanitized) => attachJsonLd(strapi, sanitized) }), {
    findBySlug: findBySlugAction(strapi, EVENT_UID),

    // A bad parameter is a 400 naming it: readFeedQuery and readSingleEventQuery throw an
    // HttpError, which global::http-errors answers.

    /** GET /api/events.ics: the published programme in one locale, optionally filtered. */
    async calendar(ctx: Context) {
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
    },

    /** GET /api/events/:documentId/calendar.ics: one published event, to add to a calendar. */
    async eventCalendar(ctx: Context) {
      const { locale } = readSingleEventQuery(ctx.query);
      const event = await findCalendarEventOrMergedInto(strapi, ctx.params.documentId, locale);
      if (!event) return void ctx.notFound(`No published event "${ctx.params.documentId}" in locale ${locale}`);
      const sequences = await changeCounts(strapi.db.connection, EVENT_UID, [event.documentId]);
      const body = buildCalendar([event], { name: event.title, locale, site: siteOf(strapi), sequences });
      sendCalendar(ctx, body, `${event.slug}-${locale}`, 'attachment');
    },

    /** GET /api/events/:documentId/json-ld: the schema.org Event alone, as application/ld+json. */
    async jsonLd(ctx: Context) {
      const { locale } = readSingleEventQuery(ctx.query);
      const event = await findCalendarEventOrMergedInto(strapi, ctx.params.documentId, locale);
      if (!event) return void ctx.notFound(`No published event "${ctx.params.documentId}" in locale ${locale}`);
      ctx.body = eventJsonLd(event, siteOf(strapi));
      ctx.type = 'application/ld+json; charset=utf-8';
    },
  });
});
