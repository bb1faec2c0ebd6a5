/**
 * The app as a real server in a child process (`strapi start` or the image's CMD), for tests that
 * need what only a process has: its own environment, signals and exit code. Output is kept in
 * memory for the failure message; tests/helpers/app.ts stays the in-process way for everything else.
 */
import { spawn, type ChildProcess } from 'child_process';
import { readFileSync } from 'fs';
import net from 'net';

/**
 * A port nobody listens on right now, and that nobody else will be handed.
 *
 * Not from the OS (`listen(0)`): it hands out ephemeral ports (32768 on), and the one it gave here
 * and we closed could be given again to another worker's in-process app or receiver before our
 * child binds it. One CI run lost a test that way: another app answered our child's /_health.
 * So each jest worker (at most 8) takes ports in turn from its own slice of 20000-31999, below the
 * ephemeral range, checking that each is free.
 */
const PORT_SLICE = 1500;
const FIRST_PORT = 20000;
const WORKERS = 8;
const worker = Number(process.env.JEST_WORKER_ID ?? 1);
let nextPortOffset = Math.floor(Math.random() * PORT_SLICE);

/** The first port the OS hands out (`ip_local_port_range`; Linux's default where unreadable). */
function firstEphemeralPort(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

export async function freePort(): Promise<number> {
  if (!Number.isInteger(worker) || worker < 1 || worker > WORKERS) throw new Error(`freePort: jest worker ${worker} has no slice (1-${WORKERS})`);
  // A system whose ephemeral range starts lower has no ports the OS will not hand out: ask it.
  if (firstEphemeralPort() < FIRST_PORT + WORKERS * PORT_SLICE) return osPort();
  for (let tries = 0; tries < PORT_SLICE; tries++) {
    const port = FIRST_PORT + (worker - 1) * PORT_SLICE + (nextPortOffset++ % PORT_SLICE);
    if (await canListen(port)) return port;
  }
  throw new Error(`freePort: no free port in jest worker ${worker}'s slice`);
}

function osPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it exited. */
  stop(graceMs?: number): Promise<number | string>;
}

export interface StartServerOptions {
  command: string;
  args: string[];
  cwd: string;
  /** The whole environment: nothing of the test runner's own is passed on unless listed here. */
  env: NodeJS.ProcessEnv;
  port: number;
}

export function startServer({ command, args, cwd, env, port }: StartServerOptions): ServerProcess {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    async stop(graceMs = 15000) {
      if (running()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => running() && child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
  };
}

/** Polls `path` until it answers `status`; throws with the process's output if it exits or never does. */
export async function waitForStatus(server: ServerProcess, path: string, status: number, timeoutMs = 120000): Promise<void> {
  let exit: number | string | undefined;
  void server.exited.then((code) => (exit = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exit !== undefined) throw new Error(`the server exited (${exit}) before ${path} answered ${status}:\n${tail(server.output())}`);
    const answered = await fetch(server.base + path).then((r) => r.status, () => undefined);
    if (answered === status) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${path} did not answer ${status} within ${timeoutMs / 1000} s:\n${tail(server.output())}`);
}

export const tail = (text: string, chars = 4000): string => (text.length > chars ? `…${text.slice(-chars)}` : text);
