/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  testEnvironment: 'node',
  transform: {
    // Type-checked separately (`npm run typecheck`); here only transpiled, for speed.
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tests/tsconfig.json' }],
  },
  // The app is compiled once for the whole run; every test file boots its own instance from it.
  globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
  // Strapi instances share one process-wide `strapi` global: one test file at a time.
  maxWorkers: 1,
  testTimeout: 120000,
  verbose: true,
};
