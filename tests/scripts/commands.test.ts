/**
 * The commands that load, index and fold content, run as a user runs them: a process of its own
 * on this file's database (SQLite, or PostgreSQL with TEST_DB=postgres). Checks the exit code,
 * what the README says it prints, and what it wrote. Each command that boots Strapi ends it with
 * stopStrapi (scripts/lib/cli.js), which waits for Strapi's unawaited after-commit queries:
 * without it the seed on PostgreSQL ended in exit 1. Bad arguments: arguments.test.ts.
 */
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../helpers/database';
import { scriptDatabase } from '../helpers/script-database';
import { errorOutput, rowCounts, runScript } from './shared';

let database: TestDatabase;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ({ database, env } = await scriptDatabase());
});
afterAll(async () => {
  await database?.drop();
});

describe('the commands, as a user runs them', () => {
  it('seed loads the demo content, exits 0, and a second run changes nothing', async () => {
    const first = runScript(env, 'seed');
    expect(errorOutput(first.stderr)).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout.trim().split('\n').pop()).toBe('seed: 25 created, 25 locale versions added, 48 published, 0 unchanged, 1 uploaded');
    // The story's article: a draft and a published row in Danish and in English.
    const written = await rowCounts(database, ['articles', 'people', 'events']);
    expect(written.articles).toBe(2 * 2);
    expect(written.people).toBeGreaterThan(0);

    const second = runScript(env, 'seed');
    expect(errorOutput(second.stderr)).toBe('');
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('= person Mette Harbo: already there');
    expect(second.stdout.trim().split('\n').pop()).toBe('seed: 0 created, 0 locale versions added, 0 published, 25 unchanged, 0 uploaded');
    expect(await rowCounts(database, ['articles', 'people', 'events'])).toEqual(written);
  });

  it('search:reindex builds the index from the published documents (the seed\'s), exit 0, rows written', async () => {
    const result = runScript(env, 'search');
    expect(errorOutput(result.stderr)).toBe('');
    expect(result.status).toBe(0);
    const indexed = Number(/search: indexed (\d+) published documents/.exec(result.stdout)?.[1]);
    expect(indexed).toBeGreaterThan(10);
    expect((await rowCounts(database, ['search_documents'])).search_documents).toBe(indexed);
  });

  it('sync:compact folds old changes and says what it did, exit 0 (nothing old in a fresh log: nothing changes)', async () => {
    const before = await rowCounts(database, ['sync_changes']);
    const result = runScript(env, 'sync-compact');
    expect(errorOutput(result.stderr)).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n').pop()).toBe(
      `sync:compact: 0 changes folded into later ones, 0 tombstones dropped; ${before.sync_changes} → ${before.sync_changes} rows; feed cursors below position 0 now start over`,
    );
    expect(await rowCounts(database, ['sync_changes'])).toEqual(before);
  });

  it('bench pushes its events and exits 0 (a few events, on an empty database of its own)', async () => {
    const benchDb = await createTestDatabase(TEST_DB_KIND, 'empty');
    try {
      // bench makes its own SQLite file; on PostgreSQL it takes DATABASE_URL, which must be empty.
      const dbEnv = benchDb.kind === 'postgres' ? { DATABASE_URL: benchDb.env.DATABASE_URL, DATABASE_CLIENT: 'postgres' } : { DATABASE_URL: '' };
      const result = runScript(env, 'bench', [], { ...dbEnv, BENCH_EVENTS: '8', BENCH_REFERENCE_EVENTS: '2' });
      expect(errorOutput(result.stderr)).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`partner sync, 8 events in batches of 250, ${benchDb.kind === 'postgres' ? 'postgres' : 'sqlite'}`);
      expect(result.stdout).toMatch(/^push \(all new\)\s+[\d.]+ s/m);
      expect(result.stdout).toMatch(/^before: Document Service\s+[\d.]+ ms\/event/m);
    } finally {
      await benchDb.drop();
    }
  });
});
