/**
 * Reads the Dockerfile's runtime stage (the last one) as the image test needs it: which files it
 * copies from the build stage and where, the folders it makes, its ENV and its CMD. Anything in
 * that stage this reader does not understand is an error, so the test can never pass by
 * skipping a line that would change what the image contains.
 */
import fs from 'fs';
import path from 'path';

export interface RuntimeCopy {
  /** Paths in the build stage, relative to its WORKDIR. */
  sources: string[];
  /** Destination relative to the runtime WORKDIR; a trailing '/' means "into this folder". */
  dest: string;
}

export interface RuntimeStage {
  /** The stage COPY --from names (only one is understood: the build stage). */
  from: string;
  buildWorkdir: string;
  workdir: string;
  env: Record<string, string>;
  copies: RuntimeCopy[];
  /** Folders the stage makes with `RUN mkdir -p`, relative to its WORKDIR. */
  mkdirs: string[];
  cmd: string[];
  user?: string;
  healthcheck?: string;
}

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Joins continuation lines and drops comments and blank lines. */
export function instructions(text: string): Instruction[] {
  const result: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (!pending && /^\s*(#|$)/.test(line)) return;
    if (pending && /^\s*#/.test(line)) return; // comments inside a continued instruction
    const continued = /\\\s*$/.test(line);
    const part = continued ? line.replace(/\\\s*$/, '') : line;
    pending = pending ? { text: `${pending.text} ${part.trim()}`, line: pending.line } : { text: part.trim(), line: index + 1 };
    if (!continued) {
      const match = /^(\S+)\s*(.*)$/.exec(pending.text)!;
      result.push({ keyword: match[1]!.toUpperCase(), args: match[2]!.trim(), line: pending.line });
      pending = undefined;
    }
  });
  return result;
}

const fail = (instruction: Instruction, why: string): never => {
  throw new Error(`Dockerfile line ${instruction.line} (${instruction.keyword} ${instruction.args}): ${why}`);
};

/** `K=V K2="V 2"` (the only ENV form used here). */
function parseEnv(instruction: Instruction): Record<string, string> {
  const env: Record<string, string> = {};
  const pattern = /([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|(\S*))\s*/y;
  let rest = instruction.args;
  while (rest.length) {
    pattern.lastIndex = 0;
    const match = pattern.exec(rest);
    if (!match) return fail(instruction, 'only the ENV KEY=value form is understood');
    env[match[1]!] = match[3] ?? match[4] ?? match[5] ?? '';
    rest = rest.slice(match[0].length);
  }
  return env;
}

function parseCopy(instruction: Instruction): { from: string; sources: string[]; dest: string } {
  if (instruction.args.startsWith('[')) return fail(instruction, 'the JSON form of COPY is not understood');
  const words = instruction.args.split(/\s+/);
  let from: string | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift()!;
    if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
    // Ownership does not change which files are there; the test runs as its own user.
    else if (!flag.startsWith('--chown=')) fail(instruction, `the flag ${flag} is not understood`);
  }
  if (!from) return fail(instruction, 'only COPY --from=<build stage> is understood in the runtime stage');
  if (words.length < 2) return fail(instruction, 'COPY needs a source and a destination');
  const dest = words.pop()!;
  return { from, sources: words, dest };
}

/** `mkdir -p a b && chown u:g a b`: the only RUN form the runtime stage may have. */
function parseRun(instruction: Instruction, workdir: string): string[] {
  const dirs: string[] = [];
  for (const command of instruction.args.split('&&').map((part) => part.trim())) {
    const words = command.split(/\s+/);
    if (words[0] === 'mkdir' && words[1] === '-p' && words.length > 2) dirs.push(...words.slice(2).map((dir) => inside(instruction, workdir, dir)));
    else if (words[0] !== 'chown') fail(instruction, `only "mkdir -p …" and "chown …" are understood in RUN, not "${command}"`);
  }
  return dirs;
}

/** A path in the stage, made relative to its WORKDIR; outside it is an error. */
function inside(instruction: Instruction, workdir: string, target: string): string {
  const absolute = path.posix.resolve(workdir, target);
  const relative = path.posix.relative(workdir, absolute);
  if (relative.startsWith('..')) fail(instruction, `${target} is outside ${workdir}`);
  return relative + (target.endsWith('/') && relative ? '/' : '');
}

export function parseRuntimeStage(text: string): RuntimeStage {
  const all = instructions(text);
  const stages: Array<{ name?: string; body: Instruction[] }> = [];
  for (const instruction of all) {
    if (instruction.keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args) ?? fail(instruction, 'FROM <image> [AS <name>] expected');
      stages.push({ name: match[2], body: [] });
    } else if (stages.length) {
      stages.at(-1)!.body.push(instruction);
    } else if (instruction.keyword !== 'ARG') {
      fail(instruction, 'only ARG may come before the first FROM');
    }
  }
  if (stages.length < 2) throw new Error('Dockerfile: expected a build stage and a runtime stage');
  const runtime = stages.at(-1)!;

  let workdir = '/';
  const env: Record<string, string> = {};
  const copies: RuntimeCopy[] = [];
  const mkdirs: string[] = [];
  let from: string | undefined;
  let cmd: string[] | undefined;
  let user: string | undefined;
  let healthcheck: string | undefined;
  for (const instruction of runtime.body) {
    switch (instruction.keyword) {
      case 'WORKDIR':
        workdir = path.posix.resolve(workdir, instruction.args);
        break;
      case 'ENV':
        Object.assign(env, parseEnv(instruction));
        break;
      case 'COPY': {
        const copy = parseCopy(instruction);
        if (from && copy.from !== from) fail(instruction, `copies from ${copy.from}, but an earlier line from ${from}`);
        from = copy.from;
        copies.push({ sources: copy.sources, dest: inside(instruction, workdir, copy.dest) || './' });
        break;
      }
      case 'RUN':
        mkdirs.push(...parseRun(instruction, workdir));
        break;
      case 'CMD':
        try {
          cmd = JSON.parse(instruction.args);
        } catch {
          fail(instruction, 'only the JSON-array form of CMD is understood');
        }
        if (!Array.isArray(cmd) || !cmd.length || !cmd.every((word) => typeof word === 'string')) fail(instruction, 'CMD must be a non-empty array of strings');
        break;
      case 'USER':
        user = instruction.args;
        break;
      case 'HEALTHCHECK':
        healthcheck = instruction.args;
        break;
      case 'ARG':
      case 'EXPOSE':
      case 'VOLUME':
      case 'LABEL':
        break; // no effect on which files are in the image or how it starts
      default:
        fail(instruction, 'not understood in the runtime stage');
    }
  }
  if (!cmd) throw new Error('Dockerfile: the runtime stage has no CMD');
  if (!from || !copies.length) throw new Error('Dockerfile: the runtime stage copies nothing from a build stage');

  const build = stages.find((stage) => stage.name === from) ?? (() => { throw new Error(`Dockerfile: no stage named ${from}`); })();
  const buildWorkdir = build.body.filter((i) => i.keyword === 'WORKDIR').reduce((dir, i) => path.posix.resolve(dir, i.args), '/');
  for (const copy of copies) {
    copy.sources = copy.sources.map((source) => {
      const relative = path.posix.relative(buildWorkdir, path.posix.resolve(buildWorkdir, source));
      if (!relative || relative.startsWith('..')) throw new Error(`Dockerfile: COPY source ${source} is not inside the build stage's ${buildWorkdir}`);
      return relative;
    });
  }
  return { from, buildWorkdir, workdir, env, copies, mkdirs, cmd, user, healthcheck };
}

/**
 * Puts exactly the copied files from `buildDir` (standing for the build stage's WORKDIR) into
 * `runtimeDir` (the runtime WORKDIR), with COPY's rules: a folder's contents go into the
 * destination; files go into a destination ending in '/' by their own name.
 * The build folder is thrown away afterwards, so folders are moved rather than copied.
 */
export function assembleRuntime(stage: RuntimeStage, buildDir: string, runtimeDir: string): string[] {
  const placed: string[] = [];
  fs.mkdirSync(runtimeDir, { recursive: true });
  for (const { sources, dest } of stage.copies) {
    const intoFolder = dest.endsWith('/') || sources.length > 1;
    for (const source of sources) {
      const from = path.join(buildDir, source);
      if (!fs.existsSync(from)) throw new Error(`COPY --from=${stage.from}: ${source} does not exist after the build (docker build would fail too)`);
      const target = intoFolder && !fs.statSync(from).isDirectory() ? path.join(runtimeDir, dest, path.basename(source)) : path.join(runtimeDir, dest);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (fs.existsSync(target)) fs.cpSync(from, target, { recursive: true, verbatimSymlinks: true });
      else fs.renameSync(from, target);
      placed.push(path.relative(runtimeDir, target) || '.');
    }
  }
  for (const dir of stage.mkdirs) fs.mkdirSync(path.join(runtimeDir, dir), { recursive: true });
  return placed;
}
