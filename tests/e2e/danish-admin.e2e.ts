/**
 * The admin in Danish all the way (src/admin/translations/da.json), in a real browser against
 * the real app: an Editor goes through the main flow (login, home, the article list with its
 * filters and publish dialog, the edit view with a relation picker, save, unpublish and
 * publish, the preview, the media library, the user menu) and no view shows Strapi's English.
 * Each view's visible text (and its inputs' placeholders) is checked, and screenshotted to
 * test-artifacts/e2e/da-<view>.png. English still works for an editor who chooses it.
 */
import { mkdirSync } from 'fs';
import path from 'path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminLogin, createUserWithRole, type AdminUser } from './admin-api';
import { ARTIFACTS, buildAdmin, e2eEnv, removeDatabase, seed, startApp, type E2eEnv, type RunningApp } from './app-process';
import { clickAndWaitFor, launchChromium, logIn, visibleText, waitForButton, waitForValue } from './browser';
import { ARTICLES, ENGLISH_IN_DANISH_ADMIN, adminArticleEdit, adminArticleList } from './shared';
import type { InBrowser } from './dom';
import { SEARCH_TOTAL_SHOWN } from '../../src/features/editorial/admin/search-total-text';

let setup: E2eEnv;
let app: RunningApp | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
let editor: AdminUser;
/** The seeded article (src/lib/seed/demo-content.ts), published in Danish and English. */
let article: { documentId: string; title: string; lead: string };
const started = Date.now();

const screenshot = (name: string, target: Page = page) =>
  target.screenshot({ path: path.join(ARTIFACTS, `da-${name}.png`), fullPage: true });


/** Strapi's English texts the view shows, as whole words (so "Sortér" is not "Sort"). */
async function englishShown(target: Page = page): Promise<string[]> {
  const text = await visibleText(target);
  return ENGLISH_IN_DANISH_ADMIN.filter((english) => {
    const escaped = english.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^\\p{L}])${escaped}($|[^\\p{L}])`, 'u').test(text);
  });
}

/** Screenshots the view, then expects no English in it (a failure keeps the screenshot). */
async function expectDanish(name: string, target: Page = page): Promise<void> {
  await screenshot(name, target);
  expect({ view: name, english: await englishShown(target) }).toEqual({ view: name, english: [] });
}

/** Runs `use` on a page of its own browser context, logged in as the Editor, the admin in `language`. */
async function asEditorIn(language: 'da' | 'en', use: (target: Page) => Promise<void>): Promise<void> {
  const own = await browser!.newContext({ viewport: { width: 1400, height: 1000 } });
  try {
    await own.addInitScript((chosen) => (globalThis as InBrowser).localStorage.setItem('strapi-admin-language', chosen), language);
    const target = await own.newPage();
    await logIn(target, setup.baseUrl, editor.email, editor.password);
    await use(target);
  } finally {
    await own.close();
  }
}

/** Keeps a screenshot of whatever the page shows when a step fails. */
async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    await page.screenshot({ path: path.join(ARTIFACTS, `failed-da-${name}.png`), fullPage: true }).catch(() => undefined);
    throw error;
  }
}

const isWrite = (url: string, method: string) => url.includes(`${ARTICLES}/${article.documentId}`) && !url.includes('/actions/') && method === 'PUT';
const isAction = (action: string) => (url: string, method: string) =>
  method === 'POST' && url.includes(`${ARTICLES}/${article.documentId}/actions/${action}`);

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  setup = await e2eEnv();
  // Built once by the global setup; builds here only when a spec runs without it.
  buildAdmin(setup.env);
  seed(setup.env);
  app = await startApp(setup.env, setup.baseUrl, 'app-da.log');
  const superAdmin = await adminLogin(setup.baseUrl, setup.admin.email, setup.admin.password);
  editor = await createUserWithRole(setup.baseUrl, superAdmin, 'editor', 'Ebba');
  const seeded = await fetch(`${setup.baseUrl}/api/articles?locale=da&fields[0]=title&fields[1]=lead`);
  const [first] = ((await seeded.json()) as { data: { documentId: string; title: string; lead: string }[] }).data;
  if (!first) throw new Error('the seed published no Danish article');
  article = first;
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
}, 360000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.stop();
  if (setup) removeDatabase(setup.dbFile);
  console.log(`e2e (Danish admin): whole run took ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${ARTIFACTS}`);
});

describe('an Editor works in a Danish admin', () => {
  it('meets a Danish login form', async () => {
    await step('login', async () => {
      await page.goto(`${setup.baseUrl}/admin/auth/login`);
      await page.locator('input[name="password"]').waitFor();
      await page.getByRole('button', { name: 'Log ind' }).waitFor();
      await expectDanish('login');
    });
  });

  it('logs in to a Danish home page', async () => {
    await step('home', async () => {
      await logIn(page, setup.baseUrl, editor.email, editor.password);
      await page.getByRole('heading', { name: `Hej ${editor.firstname}` }).waitFor();
      // The widgets have loaded: the seeded article is among the last edited and published.
      await page.getByText(article.title).first().waitFor();
      await page.waitForLoadState('networkidle');
      await expectDanish('home');
    });
  });

  it('sees the article list and its controls in Danish', async () => {
    await step('list-view', async () => {
      await page.goto(`${setup.baseUrl}${adminArticleList('da')}`);
      await page.getByRole('gridcell', { name: article.title }).first().waitFor();
      await page.getByRole('link', { name: 'Opret nyt indlæg' }).first().waitFor();
      await expectDanish('list-view');
    });
  });

  it('opens the list\'s filters in Danish', async () => {
    await step('list-filters', async () => {
      await page.getByRole('button', { name: 'Filtre' }).click();
      await page.getByRole('dialog').waitFor();
      await expectDanish('list-filters');
      await page.keyboard.press('Escape');
    });
  });

  it('opens the edit view in Danish', async () => {
    await step('edit-view', async () => {
      await page.goto(`${setup.baseUrl}${adminArticleEdit(article.documentId, 'da')}`);
      await waitForValue(page, 'input[name="title"]', article.title);
      await waitForButton(page, 'Gem');
      await page.getByRole('link', { name: 'Åbn forhåndsvisning' }).waitFor();
      await expectDanish('edit-view');
    });
  });

  it('picks a relation in Danish', async () => {
    await step('relations', async () => {
      const picker = page.locator('input[name="topics"]');
      await picker.scrollIntoViewIfNeeded();
      await picker.click();
      await page.getByRole('option').first().waitFor();
      await expectDanish('relations');
      await page.keyboard.press('Escape');
    });
  });

  it('saves and is told so in Danish', async () => {
    await step('saved', async () => {
      await page.locator('textarea[name="lead"]').fill(`${article.lead} Opdateret.`);
      const saved = await clickAndWaitFor(page, () => page.getByRole('button', { name: 'Gem', exact: true }).click(), isWrite);
      expect(saved.status()).toBe(200);
      await page.getByText('Dokumentet er gemt').first().waitFor();
      await expectDanish('saved');
    });
  });

  it('unpublishes through a Danish dialog', async () => {
    await step('unpublish-dialog', async () => {
      // The saved draft must show as modified first: until the edit view has refetched it (a
      // moment after "Dokumentet er gemt"), Afpublicér unpublishes at once, with no dialog (CI, once).
      await page.getByText('Ændret', { exact: true }).first().waitFor();
      await page.getByRole('button', { name: 'Flere handlinger for dokumentet' }).click();
      await page.getByRole('menuitem', { name: 'Afpublicér', exact: true }).click();
      const dialog = page.getByRole('alertdialog').or(page.getByRole('dialog'));
      await dialog.getByText('Afpublicér og behold den seneste kladde').waitFor();
      await expectDanish('unpublish-dialog');
      const unpublished = await clickAndWaitFor(page, () => dialog.getByRole('button', { name: 'Bekræft' }).click(), isAction('unpublish'));
      expect(unpublished.status()).toBe(200);
      await page.getByText('Dokumentet er afpubliceret').first().waitFor();
    });
  });

  it('publishes the selected draft from the list through a Danish dialog', async () => {
    await step('publish-dialog', async () => {
      await page.goto(`${setup.baseUrl}${adminArticleList('da')}`);
      // The list knows the article is a draft now (its status column says Kladde).
      const row = page.getByRole('row').filter({ hasText: article.title }).filter({ hasText: 'Kladde' });
      await row.waitFor();
      await row.getByRole('checkbox').click();
      // The bulk actions bar above the table: "1 indlæg valgt · Udgiv · Slet".
      await page.getByText('1 indlæg valgt').waitFor();
      const publish = await waitForButton(page, 'Udgiv');
      await publish.click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Klar til udgivelse').first().waitFor();
      await expectDanish('publish-dialog');
      await dialog.getByRole('button', { name: 'Udgiv', exact: true }).click();
      const confirm = page.getByRole('alertdialog');
      await confirm.getByText('Er du sikker på, at du vil udgive disse indlæg?').waitFor();
      await expectDanish('publish-confirm');
      const published = await clickAndWaitFor(
        page,
        () => confirm.getByRole('button', { name: /^(Bekræft|Udgiv)$/ }).click(),
        (url, method) => method === 'POST' && url.includes('/actions/bulkPublish')
      );
      expect(published.status()).toBe(200);
    });
  });

  it('publishes a change from the edit view and is told so in Danish', async () => {
    await step('published', async () => {
      await page.goto(`${setup.baseUrl}${adminArticleEdit(article.documentId, 'da')}`);
      await waitForValue(page, 'textarea[name="lead"]', `${article.lead} Opdateret.`);
      await page.locator('textarea[name="lead"]').fill(`${article.lead} Opdateret igen.`);
      const saved = await clickAndWaitFor(page, () => page.getByRole('button', { name: 'Gem', exact: true }).click(), isWrite);
      expect(saved.status()).toBe(200);
      const published = await clickAndWaitFor(page, () => page.getByRole('button', { name: 'Udgiv', exact: true }).click(), isAction('publish'));
      expect(published.status()).toBe(200);
      await page.getByText('Dokumentet er udgivet').first().waitFor();
      await expectDanish('published');
    });
  });

  it('previews in Danish', async () => {
    await step('preview', async () => {
      await page.getByRole('link', { name: 'Åbn forhåndsvisning' }).click();
      await page.waitForURL((url) => url.pathname.endsWith(`/${article.documentId}/preview`));
      await page.frameLocator('iframe').locator('h1').waitFor();
      await expectDanish('preview');
    });
  });

  it('browses the media library in Danish', async () => {
    await step('media-library', async () => {
      await page.goto(`${setup.baseUrl}/admin/plugins/upload`);
      await page.waitForLoadState('networkidle');
      await page.locator('main img').first().waitFor();
      await expectDanish('media-library');
    });
  });

  it('opens the user menu in Danish and logs out', async () => {
    await step('user-menu', async () => {
      await page.getByRole('button', { name: new RegExp(`${editor.firstname} E2E`) }).click();
      await page.getByRole('menuitem', { name: 'Log ud' }).waitFor();
      await expectDanish('user-menu');
      await page.getByRole('menuitem', { name: 'Log ud' }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/admin/auth/login'));
    });
  });
});

describe('an editor who chooses English', () => {
  it('gets Strapi\'s English and our English labels', async () => {
    await asEditorIn('en', async (englishPage) => {
      await englishPage.goto(`${setup.baseUrl}${adminArticleEdit(article.documentId, 'da')}`);
      await englishPage.getByRole('button', { name: 'Save' }).waitFor();
      await englishPage.getByRole('button', { name: 'Publish', exact: true }).waitFor();
      await englishPage.locator('label').filter({ hasText: /^Title\*?$/ }).first().waitFor();
      await englishPage.screenshot({ path: path.join(ARTIFACTS, 'en-edit-view.png'), fullPage: true });
    });
  });
});

describe('a search with more matches than the list states (src/features/editorial/admin/search-total.ts)', () => {
  it('says "Mere end 1.000 indlæg fundet" in Danish and "More than 1,000 entries found" in English', async () => {
    // Drafts written as rows into the app's database: a thousand through the admin would take minutes.
    const sqlite = new Database(setup.dbFile);
    try {
      const { created_at: stamp } = sqlite.prepare('select created_at from articles limit 1').get() as { created_at: unknown };
      const insert = sqlite.prepare('insert into articles (document_id, locale, title, slug, published_at, created_at, updated_at) values (?, ?, ?, ?, null, ?, ?)');
      sqlite.exec('begin');
      for (let index = 0; index <= SEARCH_TOTAL_SHOWN + 10; index++) {
        insert.run(`e2esearch${String(index).padStart(8, '0')}`, 'da', `Vindenergi til øerne, del ${index}`, `vindenergi-${index}`, stamp, stamp);
      }
      sqlite.exec('commit');
    } finally {
      sqlite.close();
    }
    for (const [language, header] of [['da', 'Mere end 1.000 indlæg fundet'], ['en', 'More than 1,000 entries found']] as const) {
      await asEditorIn(language, async (searchPage) => {
        await searchPage.goto(`${setup.baseUrl}${adminArticleList('da')}&_q=energi`);
        await searchPage.getByText(header, { exact: true }).waitFor();
        await searchPage.screenshot({ path: path.join(ARTIFACTS, `${language}-search-total.png`), fullPage: true });
      });
    }
  });
});
