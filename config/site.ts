import type { Core } from '@strapi/strapi';

/**
 * The public web site that shows this content: event pages (`<url>/<locale>/events/<slug>`) in
 * calendars and JSON-LD, and the host in iCalendar UIDs. PUBLIC_SITE_URL in production; the
 * default is a front end running locally.
 */
export default ({ env }: Core.Config.Shared.ConfigParams) => {
  const raw = env('PUBLIC_SITE_URL', '') || 'http://localhost:3000';
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error(`PUBLIC_SITE_URL must be an absolute http(s) URL such as https://www.example.dk; got "${raw}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`PUBLIC_SITE_URL must be an http(s) URL; got "${raw}"`);
  }
  return { url: raw.replace(/\/+$/, '') };
};
