/**
 * The README is the front door and docs/ the library (issue 25): the README's folder map names
 * every folder under src/ (two levels down), and every relative link in the README and in docs/
 * reaches a file that exists and, with a #fragment, a heading in it.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { APP_DIR } from '../helpers/paths';

const readme = readFileSync(path.join(APP_DIR, 'README.md'), 'utf8');
const docs = readdirSync(path.join(APP_DIR, 'docs')).filter((name) => name.endsWith('.md')).map((name) => path.join('docs', name));

/** Folders under src/, one and two levels down, as `src/a/` and `src/a/b/`. */
function sourceFolders(): string[] {
  const found: string[] = [];
  for (const first of readdirSync(path.join(APP_DIR, 'src'), { withFileTypes: true })) {
    if (!first.isDirectory()) continue;
    found.push(`src/${first.name}/`);
    for (const second of readdirSync(path.join(APP_DIR, 'src', first.name), { withFileTypes: true })) {
      if (second.isDirectory()) found.push(`src/${first.name}/${second.name}/`);
    }
  }
  return found.sort();
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

function anchorsIn(file: string): Set<string> {
  const text = readFileSync(path.join(APP_DIR, file), 'utf8');
  const anchors = new Set<string>();
  let fence = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    const heading = !fence && /^#{1,6} (.+)$/.exec(line);
    if (heading) anchors.add(anchorOf(heading[1]!));
  }
  return anchors;
}

it('the README opens with the two commands and stays a front door (about 200 lines)', () => {
  expect(readme).toContain('npm ci && npm run demo\nnpm ci && npm test\n');
  expect(readme.split('\n').length).toBeLessThanOrEqual(220);
});

it('the folder map names every folder under src/', () => {
  const folders = sourceFolders();
  expect(folders.length).toBeGreaterThan(30);
  const map = readme.slice(readme.indexOf('## Folders'));
  expect(folders.filter((folder) => !map.includes(`\`${folder}\``))).toEqual([]);
});

it.each(['README.md', ...docs])('every relative link in %s resolves, #fragments included', (file) => {
  const text = readFileSync(path.join(APP_DIR, file), 'utf8');
  const broken: string[] = [];
  let links = 0;
  for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1]!;
    if (/^[a-z]+:/.test(target)) continue;
    links++;
    const [pathPart, fragment] = target.split('#') as [string, string | undefined];
    const resolved = pathPart ? path.normalize(path.join(path.dirname(file), pathPart)) : file;
    const absolute = path.join(APP_DIR, resolved);
    if (!existsSync(absolute)) {
      broken.push(`${target}: no ${resolved}`);
      continue;
    }
    if (fragment && statSync(absolute).isFile() && !anchorsIn(resolved).has(fragment)) broken.push(`${target}: no heading #${fragment} in ${resolved}`);
  }
  expect(broken).toEqual([]);
  if (file === 'README.md') expect(links).toBeGreaterThan(5);
});
