/**
 * The preview page's frame: the HTML document around an article or event, the banner that
 * says whether it is a draft, the error page, and the response headers every preview answer
 * carries (never cached, never indexed, no scripts, framable only by the admin).
 */
import { createHash } from 'crypto';
import type { Context } from 'koa';
import { html, SafeHtml } from './html';
import { labelsFor, type PreviewErrorKind } from './labels';
import type { PreviewStatus } from './token';

const STYLESHEET = `
body { font: 17px/1.55 system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; color: #1b1b1b; }
.preview-banner { margin: 0 0 1.5rem; padding: .5rem .75rem; border-radius: 4px; background: #e8eefc; font-size: .9rem; }
.preview-banner.draft { background: #fff1c2; border: 1px solid #d9a400; font-weight: 600; }
.lead { font-size: 1.15rem; font-weight: 500; }
img { max-width: 100%; height: auto; }
figure.portrait img { max-width: 240px; border-radius: 4px; }
figcaption, .byline, .topics { color: #555; font-size: .9rem; }
blockquote { margin: 1.5rem 0; padding-left: 1rem; border-left: 4px solid #1d4ed8; font-size: 1.1rem; }
blockquote footer { font-size: .9rem; margin-top: .25rem; }
cite { font-style: normal; }
.fact-box, .event-teaser { background: #f3f4f6; padding: .75rem 1rem; margin: 1.5rem 0; border-radius: 4px; }
.fact-box h2, .event-teaser h2 { font-size: 1rem; margin: 0 0 .5rem; }
.fact-box dt, .event-facts dt { font-weight: 600; }
.fact-box dd, .event-facts dd { margin: 0 0 .5rem; }
.event-status { font-weight: 700; color: #b91c1c; }
`;

// The stylesheet is allowed by its hash, so the policy can forbid every other style and all scripts.
const STYLE_HASH = createHash('sha256').update(STYLESHEET).digest('base64');

/** The policy for preview pages; `frameAncestors` adds the admin's origin when it is not this server. */
export function contentSecurityPolicy(frameAncestors: string[]): string {
  return [
    "default-src 'none'",
    "img-src 'self' data: https:",
    `style-src 'sha256-${STYLE_HASH}'`,
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${["'self'", ...frameAncestors].join(' ')}`,
  ].join('; ');
}

/**
 * Replaces what `strapi::security` set for this response only: the rest of the app keeps its
 * defaults. Preview pages show drafts, so nothing may keep or index them.
 */
export function setPreviewHeaders(ctx: Context, frameAncestors: string[]): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('X-Robots-Tag', 'noindex, nofollow');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('Content-Security-Policy', contentSecurityPolicy(frameAncestors));
  // X-Frame-Options cannot name another origin; when the admin lives elsewhere, frame-ancestors decides.
  if (frameAncestors.length > 0) ctx.remove('X-Frame-Options');
  else ctx.set('X-Frame-Options', 'SAMEORIGIN');
}

function documentShell(locale: string, title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<style>${new SafeHtml(STYLESHEET)}</style>
</head>
<body>
${body}
</body>
</html>
`.value;
}

export function renderPage(options: { locale: string; status: PreviewStatus; title: string; content: SafeHtml }): string {
  const labels = labelsFor(options.locale);
  const banner =
    options.status === 'draft'
      ? html`<p class="preview-banner draft" role="status">${labels.draftBanner}</p>`
      : html`<p class="preview-banner published" role="status">${labels.publishedBanner}</p>`;
  return documentShell(options.locale, options.title, html`${banner}\n${options.content}`);
}

export function renderErrorPage(locale: string, kind: PreviewErrorKind): string {
  const labels = labelsFor(locale);
  return documentShell(
    locale,
    labels.errorTitle,
    html`<main class="preview-error" data-error="${kind}"><h1>${labels.errorTitle}</h1><p>${labels.errors[kind]}</p></main>`
  );
}
