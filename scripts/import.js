#!/usr/bin/env node
// @ts-check
// `npm run import -- <file.ndjson>`: loads articles, people, organisations, topics, venues and
// events from our NDJSON shape (docs/import.md) into the configured database, a transaction per
// batch of lines, through the partner push's bulk writer and write rules (src/features/import/import-file.ts).
// Idempotent (a line imported before with the same content is skipped), resumable (run it again
// after a crash: it goes on after the last line that committed). Prints a progress line and a
// summary; every bad line with its line number and field. Exit 0 when every line went in (or was
// already there), 1 when any line failed, 2 for a refusal.
'use strict';

const fs = require('fs');
const path = require('path');
const { CliError, parseCommandLine, runCommand, withStrapi } = require('./lib/cli');

/** @type {import('./lib/cli').CliSpec} */
const CLI = {
  name: 'import',
  npm: 'import',
  summary: 'Imports an NDJSON file of articles, people, organisations, topics, venues and events (docs/import.md); safe to run again.',
  positionals: { value: '<file.ndjson>', description: 'the file to import' },
};

runCommand(CLI, async () => {
  const { positionals } = parseCommandLine(CLI, process.argv.slice(2));
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new CliError('give exactly one file to import', { showUsage: true });
  if (!fs.existsSync(file)) throw new CliError(`no file "${file}"`);
  // For tests of resuming only: the process kills itself inside this line's transaction, once
  // the line's rows are written and before they commit, as a crash there would.
  const crashInsideLine = process.env.IMPORT_CRASH_INSIDE_LINE ? Number(process.env.IMPORT_CRASH_INSIDE_LINE) : undefined;
  // Lines per transaction (docs/import.md, Speed): more is faster, and more to write again after a crash.
  const batchText = process.env.IMPORT_BATCH_LINES;
  const batchLines = batchText ? Number(batchText) : undefined;
  if (batchLines !== undefined && !(Number.isInteger(batchLines) && batchLines >= 1)) throw new CliError(`IMPORT_BATCH_LINES is a whole number of lines from 1, not "${batchText}"`);
  // Batches written side by side on PostgreSQL (docs/import.md, Speed); SQLite writes one at a time.
  const concurrencyText = process.env.IMPORT_CONCURRENCY;
  const concurrency = concurrencyText ? Number(concurrencyText) : undefined;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) throw new CliError(`IMPORT_CONCURRENCY is a whole number of batches from 1, not "${concurrencyText}"`);
  const failed = await withStrapi(async (strapi, app) => {
    /** @type {typeof import('../src/features/import/import-file')} */
    const { importFile } = require(path.join(app.distDir, 'src/features/import/import-file.js'));
    const tty = process.stderr.isTTY;
    let shown = 0;
    const summary = await importFile(strapi, path.resolve(file), {
      batchLines,
      concurrency,
      insideTransaction: (line) => {
        if (line === crashInsideLine) process.kill(process.pid, 'SIGKILL');
      },
      progress: (p) => {
        const now = Date.now();
        if (now - shown < (tty ? 200 : 5000) && p.line < p.lines) return;
        shown = now;
        const rate = p.seconds > 0 ? (p.created + p.unchanged) / p.seconds : 0;
        const line = `import: line ${p.line}/${p.lines} (${Math.floor((100 * p.line) / Math.max(p.lines, 1))}%): ${p.created} created, ${p.unchanged} unchanged, ${p.failed} failed, ${rate.toFixed(1)} lines/s`;
        process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
      },
    });
    if (tty) process.stderr.write('\n');
    for (const error of summary.errors) console.error(`import: line ${error.line}${error.field ? `, ${error.field}` : ''}: ${error.message}`);
    const created = Object.entries(summary.created)
      .filter(([, count]) => count > 0)
      .map(([type, count]) => `${count} ${type}`)
      .join(', ');
    const resumed = summary.startedAtLine > 1 ? ` (resumed at line ${summary.startedAtLine})` : '';
    console.log(
      `import: ${path.basename(file)}${resumed}: ${summary.lines} lines; created ${created || 'nothing'}; ${summary.unchanged} unchanged; ` +
        `${summary.failed} failed; ${summary.seconds.toFixed(1)} s`,
    );
    return summary.failed;
  });
  if (failed > 0) throw new CliError(`${failed} line(s) failed and were skipped (listed above); the rest went in`, { exitCode: 1 });
});
