/**
 * Patch "signal-handlers": src/lib/lifecycle/drain.ts replaces Strapi's SIGTERM/SIGINT handler,
 * which destroys every socket at once, with a drain. Strapi has no option to leave signals
 * alone; its handler is the function `terminateStrapi` that createStrapi adds for both signals
 * (@strapi/core utils/signals.js). Expects: that function among each signal's listeners.
 */
import type { Core } from '@strapi/strapi';
import { expectShape, markInstalled } from './seam';

export const PATCH = 'signal-handlers';
export const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

type Listener = (...args: unknown[]) => void;
const STRAPI_HANDLER = 'terminateStrapi';

/** Strapi's own handlers of SIGTERM and SIGINT among `listenersOf(signal)` (process.listeners unless given); a SeamError when one is missing. */
export function checkSignalHandlers(
  strapi: Core.Strapi,
  listenersOf: (signal: NodeJS.Signals) => Listener[] = (signal) => process.listeners(signal) as Listener[],
): Map<NodeJS.Signals, Listener[]> {
  const found = new Map<NodeJS.Signals, Listener[]>();
  for (const signal of SIGNALS) {
    const listeners = listenersOf(signal);
    const strapis = listeners.filter((listener) => listener.name === STRAPI_HANDLER);
    expectShape(
      strapi,
      PATCH,
      strapis.length > 0,
      `Strapi's ${signal} handler, a function "${STRAPI_HANDLER}", among process.listeners('${signal}')`,
      () => `${listeners.length} listener(s): ${listeners.map((listener) => listener.name || 'anonymous').join(', ') || 'none'}`,
    );
    found.set(signal, strapis);
  }
  return found;
}

/** Removes Strapi's SIGTERM and SIGINT handlers (checked first), for the caller to install its own. */
export function removeStrapiSignalHandlers(strapi: Core.Strapi): void {
  for (const [signal, listeners] of checkSignalHandlers(strapi)) {
    for (const listener of listeners) process.removeListener(signal, listener);
  }
  markInstalled(strapi, PATCH);
}
