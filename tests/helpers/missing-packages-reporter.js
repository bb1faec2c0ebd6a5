// @ts-check
/**
 * A jest reporter: after the run, lists the test blocks skipped because the machine lacks a
 * system package (tests/helpers/system-packages.ts), with the reason and the install command
 * their title carries, so a skip is never silent. Plain JS: jest loads reporters untransformed.
 */
const path = require('path');

const MARK = '[needs a system package]';

class MissingPackagesReporter {
  /** @param {import('@jest/reporters').Config.GlobalConfig} globalConfig */
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  /** @param {unknown} _contexts @param {import('@jest/reporters').AggregatedResult} results */
  onRunComplete(_contexts, results) {
    /** @type {Map<string, { file: string; count: number }>} */
    const skipped = new Map();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        const title = test.ancestorTitles.find((ancestor) => ancestor.startsWith(MARK));
        if (test.status !== 'pending' || !title) continue;
        const key = `${file.testFilePath}\0${title}`;
        const entry = skipped.get(key) ?? { file: path.relative(this.rootDir, file.testFilePath), count: 0 };
        entry.count += 1;
        skipped.set(key, entry);
      }
    }
    if (skipped.size === 0) return;
    const lines = ['', `Skipped, because this machine lacks a system package (CI=true or REQUIRE_ALL_TESTS=1 makes each a failure):`];
    for (const [key, entry] of skipped) {
      const title = key.split('\0')[1].slice(MARK.length).trim();
      lines.push(`  ${entry.file}: ${entry.count} test${entry.count === 1 ? '' : 's'} of "${title}"`);
    }
    process.stderr.write(`${lines.join('\n')}\n`);
  }
}

module.exports = MissingPackagesReporter;
