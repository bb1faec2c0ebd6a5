/**
 * An article as a front end would show it: title, lead, cover, byline, the body blocks (rich
 * text, quotes with the person's name and role, images, fact boxes, event teasers) and topics.
 * Reads the document populated with ARTICLE_SHAPE, the article's public shape.
 */
import { renderBlocks } from './blocks';
import { html, type SafeHtml } from './html';
import { labelsFor, type PreviewLabels } from './labels';
import { image, personWithRole, type MediaView, type PersonView } from './people';
import { formatWhen, type EventView } from './render-event';

type BodyBlock =
  | { __component: 'blocks.rich-text'; body?: unknown }
  | { __component: 'blocks.quote'; quote?: { text?: string | null; person?: PersonView | null } | null }
  | { __component: 'blocks.image'; image?: MediaView | null; caption?: string | null; credit?: string | null; alternativeText?: string | null }
  | { __component: 'blocks.fact-box'; title?: string | null; facts?: Array<{ label?: string | null; value?: string | null }> | null }
  | { __component: 'blocks.event-teaser'; event?: EventView | null; heading?: string | null; callToAction?: string | null };

export interface ArticleView {
  title: string;
  lead?: string | null;
  body?: BodyBlock[] | null;
  cover?: MediaView | null;
  coverCaption?: string | null;
  coverCredit?: string | null;
  authors?: PersonView[] | null;
  topics?: Array<{ name?: string | null }> | null;
}

function credit(labels: PreviewLabels, text: string | null | undefined): SafeHtml {
  return text ? html` <small class="credit">${labels.photo}: ${text}</small>` : html``;
}

function renderBlock(block: BodyBlock, locale: string, labels: PreviewLabels): SafeHtml {
  switch (block.__component) {
    case 'blocks.rich-text':
      return html`<section class="rich-text">${renderBlocks(block.body)}</section>`;
    case 'blocks.quote':
      if (!block.quote?.text) return html``;
      return html`<blockquote class="quote"><p>${block.quote.text}</p><footer><cite>${personWithRole(block.quote.person)}</cite></footer></blockquote>`;
    case 'blocks.image':
      if (!block.image?.url) return html``;
      return html`<figure class="image">${image(block.image, block.alternativeText)}${
        block.caption || block.credit ? html`<figcaption>${block.caption ?? ''}${credit(labels, block.credit)}</figcaption>` : ''
      }</figure>`;
    case 'blocks.fact-box':
      return html`<aside class="fact-box">${block.title ? html`<h2>${block.title}</h2>` : ''}<dl>${(block.facts ?? []).map(
        (fact) => html`<dt>${fact.label ?? ''}</dt><dd>${fact.value ?? ''}</dd>`
      )}</dl></aside>`;
    case 'blocks.event-teaser':
      if (!block.event) return html``;
      return html`<aside class="event-teaser">${block.heading ? html`<h2>${block.heading}</h2>` : ''}<p class="event-title">${
        block.event.title
      }</p>${formatWhen(block.event, locale)}${block.callToAction ? html`<p class="call-to-action">${block.callToAction}</p>` : ''}</aside>`;
    default:
      return html``;
  }
}

export function renderArticle(article: ArticleView, locale: string): SafeHtml {
  const labels = labelsFor(locale);
  const authors = (article.authors ?? []).filter((person) => person.name);
  const topics = (article.topics ?? []).filter((topic) => topic.name);
  return html`<article class="article">
<header>
<h1>${article.title}</h1>
${article.lead ? html`<p class="lead">${article.lead}</p>` : ''}
${authors.length > 0 ? html`<p class="byline">${labels.by} ${authors.map((person, index) => html`${index > 0 ? ', ' : ''}${personWithRole(person)}`)}</p>` : ''}
</header>
${
  article.cover?.url
    ? html`<figure class="cover">${image(article.cover)}${
        article.coverCaption || article.coverCredit
          ? html`<figcaption>${article.coverCaption ?? ''}${credit(labels, article.coverCredit)}</figcaption>`
          : ''
      }</figure>`
    : ''
}
<div class="body">
${(article.body ?? []).map((block) => html`${renderBlock(block, locale, labels)}\n`)}</div>
${topics.length > 0 ? html`<p class="topics">${labels.topics}: ${topics.map((topic) => topic.name).join(', ')}</p>` : ''}
</article>`;
}
