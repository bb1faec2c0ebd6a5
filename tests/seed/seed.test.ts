import { seedDemoContent, type SeedSummary } from '../../src/lib/seed/seed';
import { startApp, type TestApp } from '../helpers/app';

let app: TestApp;
let first: SeedSummary;
const firstLog: string[] = [];
beforeAll(async () => {
  app = await startApp();
  first = await seedDemoContent(app.strapi, { log: (line) => firstLog.push(line) });
});
afterAll(async () => {
  await app?.stop();
});

/** Every table Strapi maps (content, components, link tables), with its rows' ids and update times. */
async function snapshot(): Promise<Record<string, string>> {
  const knex = app.strapi.db.connection;
  const tables = new Set<string>();
  for (const meta of app.strapi.db.metadata.values()) {
    tables.add(meta.tableName);
    for (const attribute of Object.values(meta.attributes) as Array<{ joinTable?: { name: string } }>) {
      if (attribute.joinTable) tables.add(attribute.joinTable.name);
    }
  }
  const result: Record<string, string> = {};
  for (const table of [...tables].sort()) {
    const rows = await knex(table).select('*');
    result[table] = JSON.stringify(rows.map((row) => [row.id, row.updated_at ?? null]).sort());
  }
  return result;
}

it('loads the story in both locales and publishes it', () => {
  expect(first).toEqual({ created: 25, localesAdded: 25, published: 48, unchanged: 0, uploads: 1 });
});

it('reports its progress one document at a time', () => {
  expect(firstLog).toContain('+ person Mette Harbo: created da, added en, published da, published en');
  expect(firstLog[firstLog.length - 1]).toBe('seed: 25 created, 25 locale versions added, 48 published, 0 unchanged, 1 uploaded');
});

it('changes nothing when run a second time', async () => {
  const before = await snapshot();
  const second = await seedDemoContent(app.strapi);
  expect(second).toEqual({ created: 0, localesAdded: 0, published: 0, unchanged: 25, uploads: 0 });
  expect(await snapshot()).toEqual(before);
});

it('adds back a locale version that was deleted, and touches nothing else', async () => {
  const topics = app.strapi.documents('api::topic.topic');
  const topic = await topics.findFirst({ locale: 'da', filters: { slug: 'velfaerdsteknologi' } });
  await topics.delete({ documentId: topic!.documentId, locale: 'en' });

  const third = await seedDemoContent(app.strapi);
  expect(third).toEqual({ created: 0, localesAdded: 1, published: 1, unchanged: 24, uploads: 0 });
  const restored = await topics.findOne({ documentId: topic!.documentId, locale: 'en', status: 'published' });
  expect(restored).toMatchObject({ name: 'Welfare technology', slug: 'welfare-technology' });
});
