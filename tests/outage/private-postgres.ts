/**
 * A private PostgreSQL 15 cluster for one test: initdb into a temporary folder, its own port and
 * socket folder, trust auth, nobody else connected. The outage test stops and starts it at will,
 * which the machine's shared server (127.0.0.1:5432, used by every other test run) must never be.
 * PostgreSQL refuses to run as root, so as root every command runs as the `postgres` user.
 */
import { execFile, execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { Client } from 'pg';
import { freePort } from '../helpers/server-process';

const run = promisify(execFile);
export const POSTGRES_BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PrivateCluster {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  /** `pg_ctl stop` and wait until it is down: `immediate` is a crash (recovery at the next start), `fast` rolls back and disconnects. */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  /** `pg_ctl start` on the same data folder and port, and wait until it accepts connections. */
  start(): Promise<void>;
  /** The server's own log so far (for failure messages). */
  log(): string;
  /** Stops the server if it runs and removes every folder; safe to call more than once. */
  destroy(): Promise<void>;
}

function postgresUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const owner = postgresUser();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-outage-pg-'));
  const dataDir = path.join(root, 'data');
  const socketDir = path.join(root, 'socket');
  const logFile = path.join(root, 'server.log');
  fs.mkdirSync(socketDir);
  if (owner) {
    for (const dir of [root, socketDir]) fs.chownSync(dir, owner.uid, owner.gid);
  }
  const pg = (binary: string, args: string[]) => {
    const command = path.join(POSTGRES_BIN, binary);
    return owner ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);
  };

  const port = await freePort();
  const options = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1`;
  let running = false;
  const cluster: PrivateCluster = {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      const client = new Client({ connectionString: cluster.url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
    },
    async stop(mode) {
      await pg('pg_ctl', ['stop', '-D', dataDir, '-m', mode, '-w', '-t', '60']);
      running = false;
    },
    async start() {
      await pg('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', options]);
      running = true;
    },
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    async destroy() {
      if (running || fs.existsSync(path.join(dataDir, 'postmaster.pid'))) {
        await cluster.stop('immediate').catch(() => undefined);
      }
      fs.rmSync(root, { recursive: true, force: true });
    },
  };

  try {
    await pg('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    await cluster.start();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}
