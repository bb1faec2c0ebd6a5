/** Debian's Chromium, driven by playwright-core (which never downloads a browser of its own). */
import { chromium, type Browser, type Page } from 'playwright-core';
import type { InBrowser } from './dom';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** Logs in on the admin's own login form and waits for the home page. */
/** What the page shows: its visible text and the placeholders of its inputs. */
export function visibleText(target: Page): Promise<string> {
  return target.evaluate(() => {
    const doc = (globalThis as InBrowser).document;
    const placeholders = [...doc.querySelectorAll('[placeholder]')].map((element) => element.getAttribute('placeholder'));
    return [doc.body.innerText, ...placeholders].join('\n');
  });
}

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
