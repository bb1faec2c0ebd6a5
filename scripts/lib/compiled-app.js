// @ts-check
// The compiled app (dist/) for the one-off commands (seed, partner, webhook, contract, the
// benches), compiled first only when it may be out of date. Strapi's compileStrapi is
// TypeScript's incremental build, which loads the whole program (~12 s on two cores) even to
// find nothing to do; a command run right after a build (the test suites run a dozen) paid that
// each time.
//
// Out of date: no dist/tsconfig.tsbuildinfo, or a file or folder under tsconfig.json, src/,
// config/ or database/ changed after it was written (a folder's time covers a removed file).
// When in doubt this compiles, which is what every command did before.
const fs = require('fs');
const path = require('path');

const INPUTS = ['tsconfig.json', 'src', 'config', 'database'];

/** @param {string} file @returns {number} */
function newestChange(file) {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(file)) newest = Math.max(newest, newestChange(path.join(file, entry)));
  return newest;
}

/**
 * `{ appDir, distDir }` as compileStrapi returns it, after compiling only if needed.
 * @param {string} appDir
 * @returns {Promise<{ appDir: string; distDir: string }>}
 */
async function compiledApp(appDir) {
  const distDir = path.join(appDir, 'dist');
  const buildInfo = fs.statSync(path.join(distDir, 'tsconfig.tsbuildinfo'), { throwIfNoEntry: false });
  const newestInput = Math.max(...INPUTS.map((input) => newestChange(path.join(appDir, input))));
  if (buildInfo && buildInfo.mtimeMs >= newestInput) return { appDir, distDir };
  const { compileStrapi } = require('@strapi/strapi');
  const compiled = await compileStrapi({ appDir });
  return { appDir: compiled.appDir, distDir: compiled.distDir ?? distDir };
}

module.exports = { compiledApp };
