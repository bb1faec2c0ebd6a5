/**
 * An event as a front end would show it: title, summary, the time in the event's own zone
 * (Europe/Copenhagen by default, with its offset), venue, festival, organisers, description and
 * participants with their roles. Reads the document populated with EVENT_SHAPE.
 */
import { toLocalIso } from '../../../lib/time/format';
import { DEFAULT_TIME_ZONE } from '../../../lib/time/zones';
import { renderBlocks } from './blocks';
import { html, type SafeHtml } from './html';
import { intlLocale, labelsFor } from './labels';
import { personWithRole, type OrganisationView, type PersonView } from './people';

export interface VenueView {
  name?: string | null;
  code?: string | null;
  address?: string | null;
  city?: string | null;
}

export interface EventView {
  title: string;
  summary?: string | null;
  description?: unknown;
  startsAt?: string | null;
  endsAt?: string | null;
  timeZone?: string | null;
  eventStatus?: string | null;
  venue?: VenueView | null;
  parent?: { title?: string | null } | null;
  organisers?: OrganisationView[] | null;
  participants?: Array<{ part?: string | null; person?: PersonView | null }> | null;
}

function dayLabel(instant: string, zone: string, locale: string): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    timeZone: zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(instant));
}

/**
 * `<time datetime="2023-06-16T11:30:00+02:00">fredag den 16. juni 2023 11:30</time>–<time …>12:30</time> (UTC+02:00)`:
 * wall-clock times and offset come from toLocalIso, so they match the API's `startsAtLocal`.
 */
export function formatWhen(event: Pick<EventView, 'startsAt' | 'endsAt' | 'timeZone'>, locale: string): SafeHtml {
  const zone = event.timeZone || DEFAULT_TIME_ZONE;
  const start = toLocalIso(event.startsAt, zone);
  if (!start || !event.startsAt) return html``;
  const end = toLocalIso(event.endsAt, zone);
  const sameDay = end !== null && end.slice(0, 10) === start.slice(0, 10);
  const endText = end && event.endsAt ? (sameDay ? end.slice(11, 16) : `${dayLabel(event.endsAt, zone, locale)} ${end.slice(11, 16)}`) : null;
  return html`<p class="when"><time datetime="${start}">${dayLabel(event.startsAt, zone, locale)} ${start.slice(11, 16)}</time>${
    endText ? html`–<time datetime="${end!}">${endText}</time>` : ''
  } <span class="time-zone">(UTC${start.slice(19)})</span></p>`;
}

function venueLine(venue: VenueView): string {
  const name = venue.code ? `${venue.name ?? ''} (${venue.code})` : venue.name ?? '';
  return [name, venue.address, venue.city].filter(Boolean).join(', ');
}

export function renderEvent(event: EventView, locale: string): SafeHtml {
  const labels = labelsFor(locale);
  const status = event.eventStatus && labels.eventStatus[event.eventStatus];
  const organisers = (event.organisers ?? []).map((organisation) => organisation.name).filter(Boolean);
  const participants = (event.participants ?? []).filter((participant) => participant.person?.name);
  return html`<article class="event">
<header>
<h1>${event.title}</h1>
${status ? html`<p class="event-status">${status}</p>` : ''}
${event.summary ? html`<p class="lead">${event.summary}</p>` : ''}
</header>
<dl class="event-facts">
<dt>${labels.when}</dt><dd>${formatWhen(event, locale)}</dd>
${event.venue ? html`<dt>${labels.venue}</dt><dd class="venue">${venueLine(event.venue)}</dd>` : ''}
${event.parent?.title ? html`<dt>${labels.partOf}</dt><dd class="parent-event">${event.parent.title}</dd>` : ''}
${organisers.length > 0 ? html`<dt>${labels.organisers}</dt><dd class="organisers">${organisers.join(', ')}</dd>` : ''}
</dl>
<div class="description">${renderBlocks(event.description)}</div>
${
  participants.length > 0
    ? html`<section class="participants"><h2>${labels.participants}</h2><ul>${participants.map(
        (participant) =>
          html`<li>${personWithRole(participant.person)}${
            participant.part ? html` <span class="part">(${labels.parts[participant.part] ?? participant.part})</span>` : ''
          }</li>`
      )}</ul></section>`
    : ''
}
</article>`;
}
