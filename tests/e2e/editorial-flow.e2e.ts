/**
 * The editorial flow in a real browser (Debian's Chromium through playwright-core) against the
 * real app (`strapi build`, then `strapi start` on a fresh, seeded SQLite database):
 * an Author writes a Danish draft with a rich-text block and a quote block, previews it and
 * cannot publish; an Editor adds the English version and publishes both; the public REST and
 * GraphQL APIs then serve both. Screenshots land in test-artifacts/e2e/.
 */
import { mkdirSync } from 'fs';
import path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminLogin, createUserWithRole, type AdminUser } from './admin-api';
import { ARTIFACTS, buildAdmin, e2eEnv, removeDatabase, seed, startApp, type E2eEnv, type RunningApp } from './app-process';
import { clickAndWaitFor, launchChromium, logIn, regenerateSlug, waitForButton, waitForValue } from './browser';
import {
  ARTICLES,
  BLOCK_NAME,
  BODY_LABEL,
  DANISH,
  ENGLISH,
  PUBLISH_BUTTON,
  SEEDED_QUOTE,
  adminArticleCreate,
  adminArticleEdit,
  adminArticleList,
} from './shared';

let setup: E2eEnv;
let app: RunningApp | undefined;
let browser: Browser | undefined;
/** One browser session: the Author logs out of it and the Editor logs in. */
let context: BrowserContext | undefined;
let page: Page;
let author: AdminUser;
let editor: AdminUser;
let documentId: string;
const started = Date.now();

const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
const isContentManagerWrite = (url: string, method: string) =>
  url.includes(ARTICLES) && !url.includes('/actions/') && (method === 'POST' || method === 'PUT');
const isPublish = (locale: string) => (url: string, method: string) =>
  method === 'POST' && url.includes(`${ARTICLES}/${documentId}/actions/publish`) && url.includes(`locale=${locale}`);

/** Keeps a screenshot of whatever the page shows when a step fails. */
async function step<T>(page: Page, name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    await screenshot(page, `failed-${name}.png`).catch(() => undefined);
    throw error;
  }
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  setup = await e2eEnv();
  // Built once by the global setup; builds here only when a spec runs without it.
  buildAdmin(setup.env);
  seed(setup.env);
  app = await startApp(setup.env, setup.baseUrl);
  const superAdmin = await adminLogin(setup.baseUrl, setup.admin.email, setup.admin.password);
  author = await createUserWithRole(setup.baseUrl, superAdmin, 'author', 'Anna');
  editor = await createUserWithRole(setup.baseUrl, superAdmin, 'editor', 'Erik');
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
}, 360000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.stop();
  if (setup) removeDatabase(setup.dbFile);
  console.log(`e2e: whole run took ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${ARTIFACTS}`);
});

describe('an Author writes a Danish draft', () => {
  it('logs in on the admin login form', async () => {
    await step(page, 'author-login', () => logIn(page, setup.baseUrl, author.email, author.password));
  });

  it('saves an article with a title, a lead, a rich-text block and a quote block as a draft', async () => {
    await step(page, 'author-edit', async () => {
      await page.goto(`${setup.baseUrl}${adminArticleCreate('da')}`);
      await page.locator('input[name="title"]').fill(DANISH.title);
      // No slug typed: saving turns Strapi's placeholder into the title's slug, the API's way
      // (æ → ae, ø → oe; src/features/editorial/slug/document-slugs.ts), checked on the saved answer below.
      await page.locator('textarea[name="lead"]').fill(DANISH.lead);

      const addBlock = page.getByRole('button', { name: new RegExp(BODY_LABEL) });
      await addBlock.click();
      await page.getByRole('button', { name: BLOCK_NAME.richText, exact: true }).click();
      const editor = page.locator('[role="textbox"][contenteditable="true"]').first();
      await editor.click();
      await page.keyboard.type(DANISH.paragraph);

      await addBlock.click();
      await page.getByRole('button', { name: BLOCK_NAME.quote, exact: true }).click();
      const quotePicker = page.locator('input[name="body.1.quote"]');
      await quotePicker.click();
      await quotePicker.fill(SEEDED_QUOTE.search);
      await page.getByRole('option', { name: new RegExp(SEEDED_QUOTE.search) }).click();

      const saved = await clickAndWaitFor(page, () => page.locator('button[type="submit"]').click(), isContentManagerWrite);
      expect(saved.status()).toBe(201);
      const created = (await saved.json()).data;
      expect(created.slug).toBe(DANISH.slug);
      documentId = created.documentId;
      await page.waitForURL((url) => url.pathname.endsWith(`/${documentId}`));
      // The saved document's edit view has loaded again (blocks collapsed, preview link shown).
      await waitForValue(page, 'textarea[name="lead"]', DANISH.lead);
      await page.locator('a[href*="/preview"]').first().waitFor();
      await screenshot(page, 'edit-view.png');
    });
  });

  it('offers the Author no enabled Publish button', async () => {
    await waitForValue(page, 'input[name="title"]', DANISH.title);
    // The document actions have rendered (Gem is one of them): Strapi shows Udgiv, disabled
    // (DocumentActions' PublishAction: disabled without the publish permission).
    await waitForButton(page, 'Gem');
    const publish = page.getByRole('button', { name: PUBLISH_BUTTON });
    expect(await publish.count()).toBe(1);
    expect(await publish.isDisabled()).toBe(true);
  });

  it('refuses to publish for the Author through the admin API too', async () => {
    const client = await adminLogin(setup.baseUrl, author.email, author.password);
    const response = await client.request('POST', `${ARTICLES}/${documentId}/actions/publish?locale=da`, {});
    expect(response.status).toBe(403);
  });

  it('shows the draft in the admin preview: title, rich text, and the quote with its person', async () => {
    await step(page, 'preview', async () => {
      await page.locator('a[href*="/preview"]').first().click();
      await page.waitForURL((url) => url.pathname.endsWith(`/${documentId}/preview`));
      const frame = page.frameLocator('iframe');
      await frame.locator('h1').waitFor();
      expect(await frame.locator('h1').textContent()).toBe(DANISH.title);
      expect(await frame.locator('p.preview-banner.draft').count()).toBe(1);
      expect(await frame.locator('body').textContent()).toContain(DANISH.paragraph);
      expect(await frame.locator('blockquote.quote cite').textContent()).toContain(SEEDED_QUOTE.person);
      await screenshot(page, 'preview.png');
    });
  });

  it('lists the draft in the list view', async () => {
    await step(page, 'list-view', async () => {
      await page.goto(`${setup.baseUrl}${adminArticleList('da')}`);
      await page.getByRole('gridcell', { name: DANISH.title }).first().waitFor();
      await screenshot(page, 'list-view.png');
    });
  });

  it('logs out from the user menu', async () => {
    await step(page, 'author-logout', async () => {
      await page.getByRole('button', { name: new RegExp(`${author.firstname} E2E`) }).click();
      await page.getByRole('menuitem', { name: /^(Log out|Log ud)$/ }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/admin/auth/login'));
    });
  });
});

describe('an Editor adds the English version and publishes both', () => {
  const localeOf = (url: URL) => url.searchParams.get('plugins[i18n][locale]');

  /** The i18n locale picker in the edit view's header. */
  async function switchLocale(from: string, to: string): Promise<void> {
    await page.getByRole('combobox').filter({ hasText: `(${from})` }).click();
    await page.getByRole('option', { name: new RegExp(`\\(${to}\\)`) }).click();
    await page.waitForURL((url) => localeOf(url) === to);
  }

  async function publish(locale: string): Promise<void> {
    const button = await waitForButton(page, 'Udgiv');
    const response = await clickAndWaitFor(page, () => button.click(), isPublish(locale));
    expect(response.status()).toBe(200);
  }

  it('logs in as the Editor and opens the Author\'s draft', async () => {
    await step(page, 'editor-open', async () => {
      await logIn(page, setup.baseUrl, editor.email, editor.password);
      await page.goto(`${setup.baseUrl}${adminArticleEdit(documentId, 'da')}`);
      await waitForValue(page, 'input[name="title"]', DANISH.title);
    });
  });

  it('adds the English version through the locale picker', async () => {
    await step(page, 'editor-english', async () => {
      await switchLocale('da', 'en');
      await page.locator('input[name="title"]').fill(ENGLISH.title);
      await regenerateSlug(page, ENGLISH.slug);
      await page.locator('textarea[name="lead"]').fill(ENGLISH.lead);
      const saved = await clickAndWaitFor(page, () => page.locator('button[type="submit"]').click(), isContentManagerWrite);
      expect([200, 201]).toContain(saved.status());
      expect((await saved.json()).data).toMatchObject({ documentId, locale: 'en', title: ENGLISH.title });
    });
  });

  it('publishes the English and then the Danish version', async () => {
    await step(page, 'editor-publish', async () => {
      await publish('en');
      await switchLocale('en', 'da');
      await waitForValue(page, 'input[name="title"]', DANISH.title);
      await publish('da');
      await screenshot(page, 'published.png');
    });
  });
});

describe('the public APIs serve both versions', () => {
  const rest = async (locale: string) => {
    const response = await fetch(`${setup.baseUrl}/api/articles?locale=${locale}&filters[documentId][$eq]=${documentId}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: Array<Record<string, unknown>> }).data;
  };

  it('REST answers the Danish version with its rich text and quote, and the English version', async () => {
    const [danish] = await rest('da');
    expect(danish).toMatchObject({ documentId, locale: 'da', title: DANISH.title, slug: DANISH.slug, lead: DANISH.lead });
    expect(JSON.stringify(danish!.body)).toContain(DANISH.paragraph);
    expect(JSON.stringify(danish!.body)).toContain(SEEDED_QUOTE.person);
    const [english] = await rest('en');
    expect(english).toMatchObject({ documentId, locale: 'en', title: ENGLISH.title, slug: ENGLISH.slug, lead: ENGLISH.lead });
  });

  it('GraphQL answers both versions', async () => {
    const query = async (locale: string) => {
      const response = await fetch(`${setup.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ articles(locale: "${locale}", filters: { documentId: { eq: "${documentId}" } }) { documentId title } }` }),
      });
      const body = (await response.json()) as { data?: { articles: { documentId: string; title: string }[] }; errors?: unknown };
      expect(body.errors).toBeUndefined();
      return body.data!.articles;
    };
    expect(await query('da')).toEqual([{ documentId, title: DANISH.title }]);
    expect(await query('en')).toEqual([{ documentId, title: ENGLISH.title }]);
  });
});
