/** Debian's Chromium, driven by playwright-core (which never downloads a browser of its own). */
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { InBrowser } from './dom';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** What the page shows: its visible text and the placeholders of its inputs. */
export function visibleText(target: Page): Promise<string> {
  return target.evaluate(() => {
    const doc = (globalThis as InBrowser).document;
    const placeholders = [...doc.querySelectorAll('[placeholder]')].map((element) => element.getAttribute('placeholder'));
    return [doc.body.innerText, ...placeholders].join('\n');
  });
}

/** Logs in on the admin's own login form and waits for the home page. */
export async function logIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/auth/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await Promise.all([
    page.waitForResponse((response) => response.url().endsWith('/admin/login') && response.status() === 200),
    page.locator('button[type="submit"]').click(),
  ]);
  await page.waitForURL((url) => url.pathname.startsWith('/admin') && !url.pathname.includes('/auth/'));
}

/** Waits for the content manager's answer to a save or publish the click triggers. */
export async function clickAndWaitFor(page: Page, click: () => Promise<void>, matches: (url: string, method: string) => boolean) {
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => matches(candidate.url(), candidate.request().method())),
    click(),
  ]);
  return response;
}

/** Waits until the input matching `selector` holds `value` (the tests' tsconfig has no DOM types). */
export async function waitForValue(page: Page, selector: string, value: string): Promise<void> {
  await page.waitForFunction(
    ([css, expected]) => {
      const input = (globalThis as InBrowser).document.querySelector(css);
      return input?.value === expected;
    },
    [selector, value] as const
  );
}

/**
 * Fills the slug from the title with the slug field's Regenerate button ("Generér igen"). Strapi 5 proposes a
 * slug once, when the form opens (from the title as it is then, usually empty); after typing a
 * title the editor asks for a new one, and the server makes it the API's way.
 */
export async function regenerateSlug(page: Page, expected: string): Promise<void> {
  const response = await clickAndWaitFor(
    page,
    () => page.getByRole('button', { name: 'Generér igen' }).click(),
    (url, method) => method === 'POST' && url.includes('/content-manager/uid/generate')
  );
  if (response.status() !== 200) throw new Error(`slug generation answered ${response.status()}`);
  await waitForValue(page, 'input[name="slug"]', expected);
}

/**
 * Waits for a shown button whose text is exactly `text`, and returns it. Strapi renders the edit
 * view's document actions and the list's bulk actions (Udgiv, Gem, Slet...) from a
 * requestIdleCallback (DescriptionComponentRenderer), and headless Chromium gives a page no idle
 * time until it draws a frame: after a click nothing asks for one, so the buttons did not come for
 * a minute in CI (measured: the callback had not run 10 s after selecting a row; one
 * requestAnimationFrame and it ran at once). Polling on animation frames draws frames as a screen
 * does; Playwright's own waiting does not.
 */
export async function waitForButton(page: Page, text: string, timeout = 30000): Promise<Locator> {
  await page.waitForFunction(
    (wanted) =>
      [...(globalThis as InBrowser).document.querySelectorAll('button')].some(
        (button) => button.textContent?.trim() === wanted && button.getClientRects().length > 0
      ),
    text,
    { polling: 'raf', timeout }
  );
  const exact = new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  const button = page.locator('button:visible').filter({ hasText: exact }).first();
  // Rendered now; Playwright's own idea of visible (not only a box) decides which one.
  await button.waitFor({ state: 'visible', timeout });
  return button;
}
