// @ts-check
/**
 * Fresh random values for every secret the app reads (one list: src/lib/env/secrets.json), for
 * scripts that boot the app for themselves (benches, the contract) and need no real ones.
 */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

/** @param {string} appDir @returns {Record<string, string>} */
function throwawaySecrets(appDir) {
  /** @type {{ secrets: Record<string, string> }} */
  const { secrets } = JSON.parse(fs.readFileSync(path.join(appDir, 'src/lib/env/secrets.json'), 'utf8'));
  const random = () => crypto.randomBytes(24).toString('base64');
  return Object.fromEntries(Object.keys(secrets).map((name) => [name, name === 'APP_KEYS' ? `${random()},${random()}` : random()]));
}

module.exports = { throwawaySecrets };
