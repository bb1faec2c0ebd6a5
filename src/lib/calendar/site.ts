/**
 * Owns the links from API content to the public web site: an event's page, and the host that
 * makes iCalendar UIDs globally unique. The site's address is `config/site.ts` (PUBLIC_SITE_URL).
 */
import type { Core } from '@strapi/strapi';

export interface Site {
  /** Without a trailing slash: https://www.example.dk */
  url: string;
  /** Host name only (no port), for UIDs: www.example.dk */
  host: string;
}

export function siteOf(strapi: Core.Strapi): Site {
  const url = strapi.config.get('site.url', 'http://localhost:3000') as string;
  return { url, host: new URL(url).hostname };
}

/** The page a reader should open for an event: its own programme page when it has one, else ours. */
export function eventUrl(site: Site, event: { slug: string; locale: string; programmeUrl?: string | null }): string {
  return event.programmeUrl || `${site.url}/${event.locale}/events/${encodeURIComponent(event.slug)}`;
}
