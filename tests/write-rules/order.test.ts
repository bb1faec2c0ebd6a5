/**
 * The order of the Document Service's middlewares and of the write rules is one named list each
 * (src/lib/write-rules/order.ts, issue 25 part 2). The app registers exactly those lists, and
 * nothing else registers a Document Service middleware. Each position that matters is checked
 * here with the reason it matters; where the reason can be seen in what the app does, it is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { appModule, startApp, type TestApp } from '../helpers/app';
import { looseDocuments } from '../helpers/documents';
import { APP_DIR } from '../helpers/paths';
import { countStatements } from '../helpers/sql-statements';
import type * as Order from '../../src/lib/write-rules/order';
import type * as Registry from '../../src/lib/write-rules/registry';

const { DOCUMENT_MIDDLEWARES, WRITE_RULES, registeredDocumentMiddlewares } = appModule<typeof Order>('src/lib/write-rules/order.js');
const { writeRules } = appModule<typeof Registry>('src/lib/write-rules/registry.js');

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

const db = () => app.strapi.db.connection as Knex;
const before = (list: readonly string[], first: string, second: string) => {
  expect(list).toContain(first);
  expect(list).toContain(second);
  return list.indexOf(first) < list.indexOf(second);
};

/** The .ts files under a folder of the app, relative to the app, with their text. */
function sources(folder: string): Array<{ file: string; text: string }> {
  return readdirSync(path.join(APP_DIR, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({ file: path.join(folder, file), text: readFileSync(path.join(APP_DIR, folder, file), 'utf8') }));
}

describe('one list each, registered as it is', () => {
  it('the app registered the Document Service middlewares of DOCUMENT_MIDDLEWARES, in that order', () => {
    expect(registeredDocumentMiddlewares(app.strapi)).toEqual([...DOCUMENT_MIDDLEWARES]);
  });

  it('the app registered the write rules of WRITE_RULES, in that order', () => {
    expect(writeRules(app.strapi).names()).toEqual([...WRITE_RULES]);
  });

  it('nothing under src/ registers a Document Service middleware but order.ts (a rule goes in the registry)', () => {
    const registering = sources('src').filter(({ text }) => /documents\.use\(/.test(text)).map(({ file }) => file);
    expect(registering).toEqual([path.join('src', 'lib', 'write-rules', 'order.ts')]);
  });

  it('the registry is shared code: nothing under src/lib/write-rules/ imports from src/api/ or a feature', () => {
    const imports = sources('src/lib/write-rules').flatMap(({ file, text }) => [...text.matchAll(/from '([^']+)'/g)].map((match) => `${file}: ${match[1]}`));
    expect(imports.length).toBeGreaterThan(3);
    expect(imports.filter((line) => /\/api\/|partner-sync|\/merge\/|\/slug\/|\/sync\//.test(line))).toEqual([]);
  });
});

describe('why the Document Service middlewares are in this order (outermost first)', () => {
  it('published-only is first: it pins a public read to status published and refuses the draft-state parameters, and the other read middlewares read the status from the params it leaves (fallback-reads passes it to its windows, default-shape-find-many picks its populate by it)', () => {
    expect(DOCUMENT_MIDDLEWARES[0]).toBe('published-only');
  });

  it('the read rules come before default-shape-find-many: it answers a findMany itself (the rest of the chain without populate, then the page’s rows populated by id), so what decides which rows a read finds (published only, a merged documentId, the fallback locale) must have run by then', () => {
    for (const read of ['published-only', 'follow-merged-document-ids', 'fallback-reads']) {
      expect(before(DOCUMENT_MIDDLEWARES, read, 'default-shape-find-many')).toBe(true);
    }
  });

  it('write-rules is last: it is the only middleware that acts on writes, so no middleware after it changes a write’s params and its last rule, the change log, compares the rows of the write exactly as stored', () => {
    expect(DOCUMENT_MIDDLEWARES.at(-1)).toBe('write-rules');
  });
});

describe('why the write rules are in this order (outermost first)', () => {
  it('the checks come before the slugs: a write a check refuses sends no SQL at all, not even the slug lookup', async () => {
    expect(before(WRITE_RULES, 'dynamic-zone-components', 'slugs')).toBe(true);
    expect(before(WRITE_RULES, 'event-times', 'slugs')).toBe(true);
    const statements = await countStatements(app.strapi, () =>
      expect(
        looseDocuments(app.strapi, 'api::event.event').create({
          locale: 'da',
          data: { title: 'Baglæns', kind: 'debate', startsAt: '2024-06-14T12:00:00+02:00', endsAt: '2024-06-14T11:00:00+02:00' },
        }),
      ).rejects.toMatchObject({ name: 'ValidationError' }),
    );
    expect(statements).toBe(0);
  });

  it('the change log is last: it wraps the write in its transaction between its before and after reads, so it logs the write with the data every other rule completed', () => {
    expect(WRITE_RULES.at(-1)).toBe('change-log');
  });

  it('a person’s display fields are worked out outside the change log: refreshing a stale derived field on the published row is not a public change, and logs none', async () => {
    const people = looseDocuments(app.strapi, 'api::person.person');
    const { documentId } = await people.create({ locale: 'da', data: { name: 'Lene Holm' } });
    await people.publish({ documentId, locale: 'da' });
    const changes = async () => Number((await db()('sync_changes').where({ document_id: documentId }).count({ n: '*' }).first())?.n);
    expect(await changes()).toBe(1); // published
    // A derived field gone stale (as an organisation renamed since leaves it).
    await db()('people').where({ document_id: documentId }).whereNotNull('published_at').update({ display_name: 'stale' });

    await people.update({ documentId, locale: 'da', data: { name: 'Lene Holm' } }); // an editor saves the draft
    const published = await db()('people').where({ document_id: documentId }).whereNotNull('published_at').first();
    expect(published.display_name).toBe('Lene Holm'); // refreshed…
    expect(await changes()).toBe(1); // …and not logged: inside the change log, its new updated_at would read as "updated"
    expect(before(WRITE_RULES, 'person-display-fields', 'change-log')).toBe(true);
  });
});
