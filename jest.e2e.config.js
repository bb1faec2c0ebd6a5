/**
 * `npm run test:e2e`: the browser test (tests/e2e/), apart from the main suite because it builds
 * the admin and runs the app as a server. Needs Debian's Chromium at /usr/bin/chromium.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>/tests/e2e'],
  testMatch: ['**/*.e2e.ts'],
  testEnvironment: 'node',
  // Empties test-artifacts/e2e/ once, so each spec's screenshots survive the others.
  globalSetup: '<rootDir>/tests/e2e/global-setup.ts',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tests/tsconfig.json' }],
  },
  maxWorkers: 1,
  // The admin build alone takes ~40 s on two cores.
  testTimeout: 180000,
  verbose: true,
};
