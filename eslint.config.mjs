// Typed linting (typescript-eslint) over the server (src/, config/, database/migrations/), the
// tests and the commands in scripts/. Each .ts file is checked with the types of the
// tsconfig.json nearest to it: the root one for the server, tests/tsconfig.json for the tests.
// The scripts are plain Node JS with `// @ts-check`, type-checked by tests/tsconfig.json, so they
// are linted with that program's types.
import tseslint from 'typescript-eslint';
import { builtinRules } from 'eslint/use-at-your-own-risk';

// ESLint's recommended rules (the set @eslint/js's `recommended` config turns on; that package is
// not installed), for the scripts, which are JS.
const eslintRecommended = Object.fromEntries(
  [...builtinRules].filter(([, rule]) => rule.meta?.docs?.recommended).map(([name]) => [name, 'error']),
);

// Node's globals (process, Buffer, fetch, timers, …): those of the Node that runs ESLint (the
// `globals` package is not installed).
const nodeGlobals = Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly']));

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'build/',
      '.cache/',
      '.tmp/',
      '.strapi/',
      'public/',
      // Generated (contract, GraphQL client), outside this check.
      'types/',
      // Declarations for packages that ship no types (type-checking only, by tests/tsconfig.json).
      'scripts/**/*.d.ts',
      // The admin panel customisation is a browser bundle with its own tsconfig.
      'src/admin/',
      // Plain-JS tooling (jest configs, this file), outside this check…
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      // …but for the commands in scripts/ (the blocks at the end).
      '!scripts/**/*.js',
      '!scripts/**/*.mjs',
    ],
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  // A path is classified by src/lib/http/zones.ts, in any case: Strapi's router ignores case, so a
  // hand-written `startsWith('/api/')` let `/API/…` past the check it guarded (issue 29, item 5).
  {
    files: ['src/**/*.ts'],
    ignores: ['src/lib/http/zones.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='startsWith'][arguments.0.value=/^\\/(api|graphql)/i]",
          message: 'Classify request paths with zoneOf/isRestApiPath (src/lib/http/zones.ts): the router ignores case.',
        },
      ],
    },
  },
  // src/lib/ is what the features share (http, db, time, json, i18n, …): it imports neither the
  // content types (src/api/) nor a feature (src/features/), issue 25. A relative import whose
  // path climbs into api/ or features/ is the only way such an import is written here (no path
  // aliases). tests/structure/lib-imports.test.ts checks that this rule still reports one.
  {
    files: ['src/lib/**/*.ts'],
    // Until they move to src/api/partner/ (issue 25, part 3, the partner half): the merge and the
    // partners' writer import content-type code and the slugs' write rule.
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\.?/)+(api|features)(/|$)',
              message: 'src/lib/ is shared by the features: it may not import from src/api/ or src/features/ (move the code, or pass it in).',
            },
          ],
        },
      ],
    },
  },
  // The commands in scripts/: CommonJS (.js, `require` and module.exports) and ES modules (.mjs)
  // run by Node. JSDoc types are not AST, so no-explicit-any and consistent-type-imports have
  // nothing to check here; the promise rules do.
  {
    files: ['scripts/**/*.js', 'scripts/**/*.mjs'],
    languageOptions: {
      globals: nodeGlobals,
      parser: tseslint.parser,
      parserOptions: {
        // tests/tsconfig.json, not the nearest tsconfig.json (the root one leaves scripts/ out). A
        // script missing from its `include` fails here ("not found in any of the provided project(s)").
        project: './tests/tsconfig.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      ...eslintRecommended,
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['scripts/**/*.js'],
    languageOptions: {
      // require, module and exports; __dirname and __filename are CommonJS's too.
      sourceType: 'commonjs',
      globals: { __dirname: 'readonly', __filename: 'readonly' },
      // typescript-eslint's parser reads `commonjs` as a script: this gives it the module's own
      // (function) scope, so a top-level `const crypto = require('crypto')` is not a global's redeclaration.
      parserOptions: { ecmaFeatures: { globalReturn: true } },
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { sourceType: 'module' },
  },
);
