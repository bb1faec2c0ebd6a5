/**
 * How the preview names people and organisations, and the loose shapes of the populated
 * documents it reads (what ARTICLE_SHAPE / EVENT_SHAPE populate; fields may be absent).
 */
import { html, type SafeHtml } from './html';

export interface OrganisationView {
  name?: string | null;
  shortName?: string | null;
}

export interface AffiliationView {
  title?: string | null;
  kind?: string | null;
  current?: boolean | null;
  organisation?: OrganisationView | null;
}

export interface PersonView {
  name?: string | null;
  affiliations?: AffiliationView[] | null;
}

export interface MediaView {
  url?: string | null;
  alternativeText?: string | null;
  width?: number | null;
  height?: number | null;
}

/** "Konstitueret direktør, Center for IT og Medicoteknologi": the person's current main role. */
export function currentRole(person: PersonView): string | null {
  const current = (person.affiliations ?? []).filter((affiliation) => affiliation.current !== false);
  const main = current.find((affiliation) => affiliation.kind === 'employment') ?? current[0];
  if (!main) return null;
  return [main.title, main.organisation?.name].filter(Boolean).join(', ') || null;
}

/** A person's name with their current role, as a citation or a participant line shows it. */
export function personWithRole(person: PersonView | null | undefined): SafeHtml {
  if (!person?.name) return html``;
  const role = currentRole(person);
  return html`<span class="person-name">${person.name}</span>${role ? html`, <span class="person-role">${role}</span>` : ''}`;
}

export function image(media: MediaView | null | undefined, alt?: string | null): SafeHtml {
  if (!media?.url) return html``;
  return html`<img src="${media.url}" alt="${alt ?? media.alternativeText ?? ''}"${
    media.width && media.height ? html` width="${media.width}" height="${media.height}"` : ''
  }>`;
}
