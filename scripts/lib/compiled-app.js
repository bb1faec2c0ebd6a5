// @ts-check
// The compiled app (dist/) for the one-off commands (seed, partner, webhook, contract, the
// benches), compiled first only when it may be out of date. Strapi's compileStrapi is
// TypeScript's incremental build, which loads the whole program (~12 s on two cores) even to
// find nothing to do; a command run right after a build (the test suites run a dozen) paid that
// each time.
//
// Out of date: no dist/tsconfig.tsbuildinfo, or a file or folder under tsconfig.json, src/,
// config/ or database/ changed after it was written (a folder's time covers a removed file), or
// it lists files still to emit (a `tsc --noEmit -p .` wrote it).
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
 * Whether dist/ holds the compile of the sources as they are now.
 * @param {string} appDir
 */
function distUpToDate(appDir) {
  const buildInfoFile = path.join(appDir, 'dist', 'tsconfig.tsbuildinfo');
  const buildInfo = fs.statSync(buildInfoFile, { throwIfNoEntry: false });
  if (!buildInfo) return false;
  const newestInput = Math.max(...INPUTS.map((input) => newestChange(path.join(appDir, input))));
  if (buildInfo.mtimeMs < newestInput) return false;
  // `tsc --noEmit -p .` writes the same build info, newer than every input, with the files it
  // did not emit listed as pending.
  return !/"affectedFilesPendingEmit":\[[^\]]/.test(fs.readFileSync(buildInfoFile, 'utf8'));
}

/**
 * `{ appDir, distDir }` as compileStrapi returns it, after compiling only if needed.
 * @param {string} appDir
 * @returns {Promise<{ appDir: string; distDir: string }>}
 */
async function compiledApp(appDir) {
  const distDir = path.join(appDir, 'dist');
  if (distUpToDate(appDir)) return { appDir, distDir };
  const { compileStrapi } = require('@strapi/strapi');
  const compiled = await compileStrapi({ appDir });
  return { appDir: compiled.appDir, distDir: compiled.distDir ?? distDir };
}

module.exports = { compiledApp, distUpToDate };
