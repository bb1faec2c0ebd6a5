/**
 * Resuming after a crash: `npm run import` killed (SIGKILL) inside a batch's transaction (lines
 * 9-12 with IMPORT_BATCH_LINES=4), after line 11's rows were written and before they committed,
 * leaves the batches before it and nothing of its batch (not line 9 or 10 either); run again, it
 * starts at the batch's first line (the checkpoint) and ends with exactly what a clean import leaves: the same public answers (./shared.ts answersOf, normalised as in parity.test.ts)
 * and the same number of rows in every table the import writes. The same in-process, with an
 * injected crash (InjectedCrash) instead of a kill. The command's exit codes, progress, summary and
 * per-line errors are checked on the way.
 */
import { spawnSync } from 'child_process';
import path from 'path';
import type { Knex } from 'knex';
import { startApp, type TestApp } from '../helpers/app';
import type { TestDatabase } from '../helpers/database';
import { APP_DIR } from '../helpers/paths';
import { scriptDatabase } from '../helpers/script-database';
import { answersOf, importer, LINES, ndjson, tableCounts, writeFile, type Answers } from './shared';

/** Lines per transaction here: lines 1-4, 5-8, 9-12. */
const BATCH_LINES = 4;
const CRASH_LINE = 11;
/** The first line of the crashed batch: where the next run starts. */
const RESUME_LINE = 9;
const file = writeFile(ndjson(LINES));

let clean: { answers: Answers; counts: Record<string, number> };

beforeAll(async () => {
  const app = await startApp();
  try {
    expect((await importer().importFile(app.strapi, file)).errors).toEqual([]);
    await app.quiet();
    clean = { answers: await answersOf(app), counts: await tableCounts(app) };
  } finally {
    await app.stop();
  }
});

/** What a line of the file left: its import_documents row and its documents' rows. */
async function linesWritten(app: TestApp): Promise<string[]> {
  const rows = (await (app.strapi.db.connection as Knex)('import_documents').select('import_key').orderBy('id')) as Array<{ import_key: string }>;
  return rows.map((row) => row.import_key);
}

describe('npm run import, killed inside a line', () => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    ({ database, env } = await scriptDatabase());
  });
  afterAll(async () => {
    await database?.drop();
  });

  const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const result = spawnSync(process.execPath, [path.join(APP_DIR, 'scripts', 'import.js'), ...args], {
      cwd: APP_DIR,
      env: { ...env, ...extraEnv },
      encoding: 'utf8',
      timeout: 90000,
    });
    return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
  };

  it('dies, leaving the lines before it and nothing of it; a second run resumes there and ends as a clean import does', async () => {
    const crashed = run([file], { IMPORT_CRASH_INSIDE_LINE: String(CRASH_LINE), IMPORT_BATCH_LINES: String(BATCH_LINES) });
    expect(crashed.signal).toBe('SIGKILL');

    const between = await startApp({ database });
    try {
      expect(await linesWritten(between)).toEqual(LINES.slice(0, RESUME_LINE - 1).map((line) => line.key));
      expect(await (between.strapi.db.connection as Knex)('events').where({ title: 'Debat om energi' }).first()).toBeUndefined();
      expect(await (between.strapi.db.connection as Knex)('import_checkpoints').first()).toMatchObject({ next_line: RESUME_LINE, finished_at: null });
    } finally {
      await between.stop({ keepDatabase: true });
    }

    const resumed = run([file], { IMPORT_BATCH_LINES: String(BATCH_LINES) });
    expect(resumed.status).toBe(0);
    expect(resumed.stdout.trim().split('\n').pop()).toMatch(
      new RegExp(`^import: import\\.ndjson \\(resumed at line ${RESUME_LINE}\\): ${LINES.length} lines; created 3 article, 1 event; 0 unchanged; 0 failed; [0-9.]+ s$`),
    );
    expect(resumed.stderr).toMatch(new RegExp(`import: line ${LINES.length}/${LINES.length} \\(100%\\): 4 created, 0 unchanged, 0 failed`));

    const after = await startApp({ database });
    try {
      await after.quiet();
      expect(await answersOf(after)).toEqual(clean.answers);
      expect(await tableCounts(after)).toEqual(clean.counts);
    } finally {
      await after.stop({ keepDatabase: true });
    }
  });

  it('refuses without a file, or with two, exit 2 with the usage (nothing booted, nothing written)', () => {
    for (const args of [[], ['a.ndjson', 'b.ndjson']]) {
      const result = run(args);
      expect(result.status).toBe(2);
      expect(result.stderr.split('\n')[0]).toBe('import: give exactly one file to import');
      expect(result.stderr).toContain('npm run import -- [<file.ndjson>]');
    }
    expect(run(['/no/such/file.ndjson']).stderr.trim()).toBe('import: no file "/no/such/file.ndjson"');
    const batch = run([file], { IMPORT_BATCH_LINES: 'many' });
    expect(batch.status).toBe(2);
    expect(batch.stderr.trim()).toBe('import: IMPORT_BATCH_LINES is a whole number of lines from 1, not "many"');
    const sideBySide = run([file], { IMPORT_CONCURRENCY: '0' });
    expect(sideBySide.status).toBe(2);
    expect(sideBySide.stderr.trim()).toBe('import: IMPORT_CONCURRENCY is a whole number of batches from 1, not "0"');
  });

  it('reports each bad line with its line and field on stderr, and exits 1 (the good lines go in)', async () => {
    const bad = writeFile(ndjson([{ type: 'topic', key: 't/ok', da: { name: 'Godt emne' } }, '{"type":', { type: 'article', key: 'a/x', topics: ['nope'], da: { title: 'X' } }]));
    const result = run([bad]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('import: line 2: is not JSON');
    expect(result.stderr).toContain('import: line 3, topics.0: no topic with key "nope"');
    expect(result.stderr).toContain('import: 2 line(s) failed and were skipped (listed above); the rest went in');
    expect(result.stdout).toMatch(/created 1 topic; 0 unchanged; 2 failed;/);
  });
});

describe('in-process, an injected crash inside a line', () => {
  it('rolls the line back and ends the run; the next run resumes there and ends as a clean import does', async () => {
    const app = await startApp();
    try {
      const crash = (line: number) => {
        if (line === CRASH_LINE) throw new (importer().InjectedCrash)('crash');
      };
      await expect(importer().importFile(app.strapi, file, { insideTransaction: crash, batchLines: BATCH_LINES })).rejects.toThrow('crash');
      expect(await linesWritten(app)).toEqual(LINES.slice(0, RESUME_LINE - 1).map((line) => line.key));
      const summary = await importer().importFile(app.strapi, file);
      expect(summary).toMatchObject({ startedAtLine: RESUME_LINE, failed: 0, unchanged: 0 });
      await app.quiet();
      expect(await answersOf(app)).toEqual(clean.answers);
      expect(await tableCounts(app)).toEqual(clean.counts);
    } finally {
      await app.stop();
    }
  });
});
