/** Fresh random values for every secret the app reads (the list is src/lib/env/secrets.json). */
import { randomBytes } from 'crypto';
// The list itself, not src/lib/env/secrets.ts: the global setup loads helpers through Node's
// require, which resolves `…/secrets` to the .json beside the .ts.
import secretList from '../../src/lib/env/secrets.json';

const random = () => randomBytes(24).toString('base64');

export function freshSecrets(): Record<string, string> {
  return Object.fromEntries(Object.keys(secretList.secrets).map((name) => [name, name === 'APP_KEYS' ? `${random()},${random()}` : random()]));
}
