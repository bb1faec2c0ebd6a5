/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // jest's Node environment, with Strapi loaded once per worker (tests/helpers/environment.ts).
  testEnvironment: '<rootDir>/tests/helpers/environment.ts',
  transform: {
    // Type-checked separately (`npm run typecheck`); here only transpiled, for speed.
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tests/tsconfig.json' }],
  },
  // The app is compiled once for the whole run; every test file boots its own instance from it.
  globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts',
  // A Strapi instance is a process-wide global, so a worker runs one test file at a time; two
  // workers are two processes, each file on its own database, ports and key prefixes.
  maxWorkers: 2,
  testTimeout: 120000,
  verbose: true,
  // The default reporter, and a list of the blocks skipped for a missing system package
  // (tests/helpers/system-packages.ts) at the end, so a skip is never silent.
  reporters: ['default', '<rootDir>/tests/helpers/missing-packages-reporter.js'],
};
