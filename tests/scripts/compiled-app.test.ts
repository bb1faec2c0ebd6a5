/**
 * The one-off commands (seed, import, the benches) compile the app only when dist/ may be out of
 * date (scripts/lib/compiled-app.js): a source changed after the last compile, or the build info
 * was written by a type check that emitted nothing (`tsc --noEmit -p .` lists the files it did
 * not emit), which once left `npm run import` running yesterday's code.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { distUpToDate } from '../../scripts/lib/compiled-app';

let appDir: string;
const buildInfo = () => path.join(appDir, 'dist', 'tsconfig.tsbuildinfo');
/** Sets a file's modification time `seconds` from now. */
const age = (file: string, seconds: number) => {
  const at = new Date(Date.now() + seconds * 1000);
  fs.utimesSync(file, at, at);
};

beforeEach(() => {
  appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'compiled-app-'));
  fs.mkdirSync(path.join(appDir, 'src'));
  fs.mkdirSync(path.join(appDir, 'dist'));
  fs.writeFileSync(path.join(appDir, 'tsconfig.json'), '{}');
  fs.writeFileSync(path.join(appDir, 'src', 'index.ts'), 'export {};');
  for (const file of [path.join(appDir, 'src', 'index.ts'), path.join(appDir, 'src'), path.join(appDir, 'tsconfig.json')]) age(file, -60);
});
afterEach(() => fs.rmSync(appDir, { recursive: true, force: true }));

describe('whether dist/ is the compile of the sources as they are', () => {
  it('no build info: not compiled yet', () => {
    expect(distUpToDate(appDir)).toBe(false);
  });

  it('build info written after every source, nothing pending: up to date', () => {
    fs.writeFileSync(buildInfo(), '{"program":{"affectedFilesPendingEmit":[]}}');
    expect(distUpToDate(appDir)).toBe(true);
  });

  it('a source changed after the build info: out of date', () => {
    fs.writeFileSync(buildInfo(), '{"program":{}}');
    age(buildInfo(), -90);
    expect(distUpToDate(appDir)).toBe(false);
  });

  it('build info newer than every source but with files pending emit (a `tsc --noEmit` wrote it): out of date', () => {
    fs.writeFileSync(buildInfo(), '{"program":{"affectedFilesPendingEmit":[894,898]}}');
    expect(distUpToDate(appDir)).toBe(false);
  });
});
