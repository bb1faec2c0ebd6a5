/**
 * The little of the DOM that the callbacks run in the browser (page.evaluate, waitForFunction,
 * addInitScript) use: the tests' tsconfig has no DOM types. Types only: those callbacks are sent
 * to the browser as source and cannot import anything.
 */
export interface DomElement {
  textContent: string | null;
  value?: string;
  getAttribute(name: string): string | null;
  getClientRects(): { length: number };
}

export interface BrowserGlobals {
  document: {
    body: { innerText: string };
    querySelector(css: string): DomElement | null;
    querySelectorAll(css: string): Iterable<DomElement>;
  };
  localStorage: { setItem(key: string, value: string): void };
}

/** `globalThis` in the browser. */
export type InBrowser = typeof globalThis & BrowserGlobals;
