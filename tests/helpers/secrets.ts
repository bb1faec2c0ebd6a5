/** Fresh random values for every secret the app reads (the list is src/lib/env/secrets.json). */
import { randomBytes } from 'crypto';
import { SECRET_NAMES } from '../../src/lib/env/secrets';

const random = () => randomBytes(24).toString('base64');

export function freshSecrets(): Record<string, string> {
  return Object.fromEntries(SECRET_NAMES.map((name) => [name, name === 'APP_KEYS' ? `${random()},${random()}` : random()]));
}
