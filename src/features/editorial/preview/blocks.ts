/**
 * Renders Strapi's `blocks` rich text (paragraphs, headings, lists, quotes, code, images, links,
 * bold/italic/underline/strikethrough/code text) as escaped HTML. Unknown node types render
 * their text children, so content is never lost silently.
 */
import { html, safeHref, SafeHtml } from './html';

interface TextNode {
  type: 'text';
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  code?: boolean;
}

interface ElementNode {
  type: string;
  children?: Node[];
  level?: number;
  format?: 'ordered' | 'unordered';
  url?: string;
  image?: { url?: string; alternativeText?: string | null };
}

type Node = TextNode | ElementNode;

function renderText(node: TextNode): SafeHtml {
  let out = html`${node.text}`;
  if (node.code) out = html`<code>${out}</code>`;
  if (node.bold) out = html`<strong>${out}</strong>`;
  if (node.italic) out = html`<em>${out}</em>`;
  if (node.underline) out = html`<u>${out}</u>`;
  if (node.strikethrough) out = html`<s>${out}</s>`;
  return out;
}

function renderChildren(node: ElementNode): SafeHtml[] {
  return (node.children ?? []).map(renderNode);
}

function renderNode(node: Node): SafeHtml {
  if (node.type === 'text') return renderText(node as TextNode);
  const element = node as ElementNode;
  switch (element.type) {
    case 'paragraph':
      return html`<p>${renderChildren(element)}</p>`;
    case 'heading': {
      // The page title is the only h1: body headings start at h2.
      const level = Math.min(6, Math.max(2, element.level ?? 2));
      const tag = new SafeHtml(`h${level}`);
      return html`<${tag}>${renderChildren(element)}</${tag}>`;
    }
    case 'list':
      return element.format === 'ordered'
        ? html`<ol>${renderChildren(element)}</ol>`
        : html`<ul>${renderChildren(element)}</ul>`;
    case 'list-item':
      return html`<li>${renderChildren(element)}</li>`;
    case 'quote':
      return html`<blockquote><p>${renderChildren(element)}</p></blockquote>`;
    case 'code':
      return html`<pre><code>${renderChildren(element)}</code></pre>`;
    case 'link': {
      const href = safeHref(element.url);
      return href ? html`<a href="${href}">${renderChildren(element)}</a>` : html`${renderChildren(element)}`;
    }
    case 'image':
      return element.image?.url
        ? html`<figure><img src="${element.image.url}" alt="${element.image.alternativeText ?? ''}"></figure>`
        : html``;
    default:
      return html`${renderChildren(element)}`;
  }
}

export function renderBlocks(blocks: unknown): SafeHtml {
  return Array.isArray(blocks) ? html`${(blocks as Node[]).map(renderNode)}` : html``;
}
