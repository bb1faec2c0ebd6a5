/**
 * The partner feature is one folder, src/api/partner/ (issue 25, part 3): sync, matching, the
 * review queue and merge beside Strapi's layout, wired by its own hooks (index.ts) that
 * src/index.ts calls. Shared code under src/lib/ imports nothing of it (the lint rule of
 * tests/structure/ says so for every feature; this counts the real imports), and Strapi's API
 * loader runs none of the feature's hooks itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { appModule, startApp, type TestApp } from '../helpers/app';
import { APP_DIR } from '../helpers/paths';
import type * as Roles from '../../src/features/editorial/admin/roles';
import type { PartnerProgramme } from '../../src/lib/calendar/feed-query';
import type { PartnerEventService } from '../../src/api/partner/services/partner-event';
import { REVIEW_ACTION } from '../../src/api/partner/merge/admin-routes';

const FEATURE = path.join('src', 'api', 'partner');

// The calendar asks the partner feature by service UID (no import): the service has what it asks.
const servesTheCalendar: PartnerProgramme = {} as PartnerEventService;

/** Every relative import of the .ts files under a folder of the app, as `file -> target` (from the app). */
function relativeImports(folder: string): string[] {
  return readdirSync(path.join(APP_DIR, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => {
      const source = path.join(folder, file);
      const text = readFileSync(path.join(APP_DIR, source), 'utf8');
      return [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((match) => `${source} -> ${path.join(path.dirname(source), match[1]!)}`);
    });
}

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

it('nothing under src/lib/ imports from the partner feature', () => {
  expect(servesTheCalendar).toBeDefined();
  const imports = relativeImports(path.join('src', 'lib'));
  expect(imports.length).toBeGreaterThan(50);
  expect(imports.filter((line) => line.split(' -> ')[1]!.startsWith(FEATURE + path.sep))).toEqual([]);
});

it('the feature’s index has no default export: Strapi loads it as api::partner’s own module and would run a default export’s hooks itself', () => {
  const index = appModule<Record<string, unknown>>('src/api/partner/index.js');
  expect(index.default).toBeUndefined();
  expect(Object.keys(index)).toEqual(['partnerFeature']);
  expect(app.strapi.api('partner')).toBeDefined();
});

it('its register ran once, as src/index.ts calls it: the review permission, and the editor role given it', async () => {
  const permissions = app.strapi.service('admin::permission') as unknown as { actionProvider: { get(id: string): unknown } };
  expect(permissions.actionProvider.get(REVIEW_ACTION)).toBeDefined();
  const { editorPermissions } = appModule<typeof Roles>('src/features/editorial/admin/roles.js');
  const actions = (await editorPermissions(app.strapi)).map((permission) => permission.action);
  expect(actions.filter((action) => action === REVIEW_ACTION)).toEqual([REVIEW_ACTION]);
  expect(await app.strapi.db.query('admin::permission').count({ where: { action: REVIEW_ACTION, role: { code: 'editor' } } })).toBe(1);
});
