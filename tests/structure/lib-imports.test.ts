/**
 * src/lib/ keeps what the features share, and depends on none of them (issue 25): eslint.config.mjs
 * forbids a file under src/lib/ to import from src/api/ or src/features/. Here the project's own
 * ESLint config lints fixtures placed under src/lib/ (and, for contrast, under src/features/), so
 * a rule that stops matching (a renamed folder, a changed pattern, a lost `files` glob) fails here
 * rather than letting such imports back in unnoticed.
 */
import path from 'node:path';
import type * as EslintModule from 'eslint';
import { APP_DIR } from '../helpers/paths';

/**
 * ESLint as the worker's Node loads it: it reads eslint.config.mjs with import(), which jest's
 * module sandbox does not offer (tests/helpers/environment.ts).
 */
const hostRequire = (globalThis as { hostRequire?: NodeJS.Require }).hostRequire ?? require;
const { ESLint } = hostRequire('eslint') as typeof EslintModule;

const RULE = 'no-restricted-imports';

/**
 * The fixture is linted as if it were the file at `file` (nothing is written): with the config's
 * `files` globs as they are, and only this rule, so it needs no type information for a file the
 * TypeScript project does not have.
 */
async function restrictedImports(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: APP_DIR,
    ruleFilter: ({ ruleId }) => ruleId === RULE,
    overrideConfig: { files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: false, project: null } } },
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(APP_DIR, file), warnIgnored: true });
  expect(result!.messages.filter((message) => message.ruleId !== RULE)).toEqual([]);
  return result!.messages.map((message) => message.message);
}

describe('src/lib/ imports neither src/api/ nor src/features/', () => {
  it.each([
    ['an import from src/api/', 'src/lib/lint-fixture.ts', "import { personDisplayFields } from '../api/person/display-fields';\n"],
    ['a type import from src/api/', 'src/lib/json/lint-fixture.ts', "import type { SlugHistoryService } from '../../api/slug-history/services/slug-history';\n"],
    ['an import from src/features/', 'src/lib/json/lint-fixture.ts', "import { slugRule } from '../../features/editorial';\n"],
    ['a re-export from src/features/', 'src/lib/db/lint-fixture.ts', "export { publicCache } from '../../features/delivery';\n"],
  ])('%s is reported', async (_, file, code) => {
    const messages = await restrictedImports(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/src\/lib\/ is shared/);
  });

  it('imports within src/lib/ and from packages are not', async () => {
    const code = "import { canonicalJson } from '../json/canonical';\nimport type { Core } from '@strapi/strapi';\n";
    expect(await restrictedImports('src/lib/http/lint-fixture.ts', code)).toEqual([]);
  });

  it('a feature may import from src/api/ and src/lib/', async () => {
    const code = "import type { SlugHistoryService } from '../../../api/slug-history/services/slug-history';\nimport { canonicalJson } from '../../../lib/json/canonical';\n";
    expect(await restrictedImports('src/features/editorial/slug/lint-fixture.ts', code)).toEqual([]);
  });
});
