/**
 * A person as a front end would show their page: portrait, name, current role, bio, every
 * affiliation (former ones marked), what they are quoted saying and what they wrote. Reads the
 * document populated with PERSON_SHAPE, the person's public shape. An editor checks a merge of
 * two people here (the name of one, the photo of the other) before anyone else sees it.
 */
import { html, type SafeHtml } from './html';
import { labelsFor } from './labels';
import { currentRole, image, type AffiliationView, type MediaView } from './people';

export interface PersonPageView {
  name: string;
  bio?: string | null;
  photo?: MediaView | null;
  affiliations?: AffiliationView[] | null;
  quotes?: Array<{ text?: string | null; articles?: Array<{ title?: string | null }> | null }> | null;
  authoredArticles?: Array<{ title?: string | null }> | null;
}

function affiliationLine(affiliation: AffiliationView, former: string): SafeHtml {
  const text = [affiliation.title, affiliation.organisation?.name].filter(Boolean).join(', ');
  return html`<li>${text}${affiliation.current === false ? html` <span class="former">(${former})</span>` : ''}</li>`;
}

export function renderPerson(person: PersonPageView, locale: string): SafeHtml {
  const labels = labelsFor(locale);
  const role = currentRole(person);
  const affiliations = (person.affiliations ?? []).filter((affiliation) => affiliation.title || affiliation.organisation?.name);
  const quotes = (person.quotes ?? []).filter((quote) => quote.text);
  const articles = (person.authoredArticles ?? []).filter((article) => article.title);
  return html`<article class="person">
<header>
${person.photo?.url ? html`<figure class="portrait">${image(person.photo, person.name)}</figure>` : ''}
<h1>${person.name}</h1>
${role ? html`<p class="role">${role}</p>` : ''}
</header>
${person.bio ? html`<p class="bio">${person.bio}</p>` : ''}
${
  affiliations.length > 0
    ? html`<section class="affiliations"><h2>${labels.affiliations}</h2><ul>${affiliations.map((affiliation) => affiliationLine(affiliation, labels.former))}</ul></section>`
    : ''
}
${
  quotes.length > 0
    ? html`<section class="quotes"><h2>${labels.quotes}</h2><ul>${quotes.map(
        (quote) => html`<li><q>${quote.text!}</q>${quote.articles?.[0]?.title ? html` <span class="source">(${quote.articles[0].title})</span>` : ''}</li>`
      )}</ul></section>`
    : ''
}
${
  articles.length > 0
    ? html`<section class="articles"><h2>${labels.articles}</h2><ul>${articles.map((article) => html`<li>${article.title!}</li>`)}</ul></section>`
    : ''
}
</article>`;
}
