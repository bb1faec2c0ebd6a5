/**
 * `GET /preview/:type/:documentId?locale=&status=&token=`: the server-rendered preview page.
 *
 * Registered on Strapi's own router (not under src/api/), because every router in src/api/ is a
 * content-API router: it would sit under /api, join the public OpenAPI contract, and have its
 * reads pinned to published content by src/lib/access/published-only.ts. This route is neither
 * public API nor admin API: it takes no Strapi credentials (`auth: false`); the signed token
 * from the admin's preview link (token.ts) is its only key, and it must match the path, locale
 * and status exactly. Articles, events and people have a page. Reads go through the Document Service, so drafts are visible here.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { ARTICLE_SHAPE } from '../../../api/article/middlewares/article-populate';
import { EVENT_SHAPE } from '../../../api/event/middlewares/event-populate';
import { PERSON_SHAPE } from '../../../api/person/middlewares/person-populate';
import { DEFAULT_LOCALE, isLocaleCode } from '../../../lib/i18n/locales';
import type { SafeHtml } from './html';
import type { PreviewErrorKind } from './labels';
import { PREVIEW_CONTENT_TYPES, isPreviewType } from './link';
import { renderErrorPage, renderPage, setPreviewHeaders } from './page';
import { renderArticle, type ArticleView } from './render-article';
import { renderEvent, type EventView } from './render-event';
import { renderPerson, type PersonPageView } from './render-person';
import { PreviewNotConfiguredError, previewTokenSettings, verifyPreviewToken, type PreviewTokenSettings, type PreviewType } from './token';

export const PREVIEW_PATH = '/preview/:type/:documentId';

const ERROR_STATUS: Record<PreviewErrorKind, number> = {
  'missing-token': 401,
  'invalid-token': 401,
  'expired-token': 401,
  'wrong-document': 403,
  'not-found': 404,
  'not-configured': 503,
  failed: 500,
};

/** Each preview type: what to populate, how to render it, and the page's title. */
interface PreviewPage {
  shape: object;
  render(document: unknown, locale: string): SafeHtml;
  title(document: Record<string, unknown>): unknown;
}
const PAGES: Record<PreviewType, PreviewPage> = {
  article: { shape: ARTICLE_SHAPE, render: (document, locale) => renderArticle(document as ArticleView, locale), title: (document) => document.title },
  event: { shape: EVENT_SHAPE, render: (document, locale) => renderEvent(document as EventView, locale), title: (document) => document.title },
  person: { shape: PERSON_SHAPE, render: (document, locale) => renderPerson(document as PersonPageView, locale), title: (document) => document.name },
};

/** Origins besides this server that may frame the page: the admin's, when it is served elsewhere. */
function adminOrigins(strapi: Core.Strapi): string[] {
  const adminUrl = strapi.config.get<string>('admin.url', '');
  if (!/^https?:\/\//i.test(adminUrl)) return [];
  const origin = new URL(adminUrl).origin;
  const ownUrl = strapi.config.get<string>('server.url', '');
  return /^https?:\/\//i.test(ownUrl) && new URL(ownUrl).origin === origin ? [] : [origin];
}

function sendHtml(ctx: Context, status: number, body: string): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = body;
}

const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function createPreviewHandler(strapi: Core.Strapi) {
  // The admin's origin is configuration: read once, not per request.
  const frameAncestors = adminOrigins(strapi);
  return async (ctx: Context): Promise<void> => {
    setPreviewHeaders(ctx, frameAncestors);
    const { type, documentId } = ctx.params as { type: string; documentId: string };
    const locale = single(ctx.query.locale);
    const status = single(ctx.query.status);
    const token = single(ctx.query.token);
    // Error pages speak the requested language when it is one of ours.
    const pageLocale = isLocaleCode(locale) ? locale : DEFAULT_LOCALE;
    const fail = (kind: PreviewErrorKind) => sendHtml(ctx, ERROR_STATUS[kind], renderErrorPage(pageLocale, kind));

    if (!isPreviewType(type)) return fail('not-found');
    if (!token) return fail('missing-token');

    let settings: PreviewTokenSettings;
    try {
      settings = previewTokenSettings(strapi.config.get('preview'));
    } catch (error) {
      if (error instanceof PreviewNotConfiguredError) {
        strapi.log.error(`[preview] ${error.message}`);
        return fail('not-configured');
      }
      throw error;
    }

    const check = await verifyPreviewToken(token, settings);
    if (!check.valid) return fail(check.reason === 'expired' ? 'expired-token' : 'invalid-token');
    const { claims } = check;
    if (claims.type !== type || claims.documentId !== documentId || claims.locale !== locale || claims.status !== status) {
      return fail('wrong-document');
    }

    try {
      const document = await strapi.documents(PREVIEW_CONTENT_TYPES[claims.type]).findOne({
        documentId: claims.documentId,
        locale: claims.locale,
        status: claims.status,
        populate: PAGES[claims.type].shape as never,
      });
      if (!document) return fail('not-found');

      const page = PAGES[claims.type];
      const content = page.render(document, claims.locale);
      const title = String(page.title(document as Record<string, unknown>) ?? '');
      sendHtml(ctx, 200, renderPage({ locale: claims.locale, status: claims.status, title, content }));
    } catch (error) {
      // A clear page, never a stack: the details go to the log.
      strapi.log.error(`[preview] ${type} ${documentId} (${locale}, ${status}) failed: ${(error as Error)?.stack ?? error}`);
      fail('failed');
    }
  };
}

/** Adds the preview page to Strapi's router; call from register(). */
export function registerPreviewRoutes(strapi: Core.Strapi): void {
  strapi.server.routes([
    {
      method: 'GET',
      path: PREVIEW_PATH,
      handler: createPreviewHandler(strapi),
      config: { auth: false },
    },
  ]);
}
