import path from 'path';
import type { Core } from '@strapi/strapi';

/**
 * SQLite (in `.tmp/`) unless PostgreSQL is asked for, by `DATABASE_URL` or by
 * `DATABASE_CLIENT=postgres` with the usual `DATABASE_*` parts.
 * The PostgreSQL pool keeps no idle minimum (min 0), so connections that died with a
 * database restart are dropped instead of being handed out again.
 *
 * DATABASE_CONNECTION_TIMEOUT (PostgreSQL: default 5000 ms) bounds how long a query waits for a connection
 * from the pool, and a new connection for its handshake. Knex's own default (60 s) made every
 * request hang for a minute while the database was down; with 5 s it fails in time to be
 * answered with a 503 (src/lib/db/unavailable.ts) well inside clients' and proxies' timeouts.
 */
// Our own tables (change log, outbox, partner mappings) come from database/migrations/*.ts,
// compiled with the app; Strapi runs pending ones at boot, before it syncs content types.
const settings = { useTypescriptMigrations: true };

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Database => {
  const url = env('DATABASE_URL', '');
  const client = env('DATABASE_CLIENT', url ? 'postgres' : 'sqlite');

  if (client === 'postgres') {
    const acquireConnectionTimeout = env.int('DATABASE_CONNECTION_TIMEOUT', 5000);
    return {
      connection: {
        client: 'postgres',
        // pg lets the parts of DATABASE_URL win over the separate variables.
        connection: {
          connectionString: url || undefined,
          host: env('DATABASE_HOST', '127.0.0.1'),
          port: env.int('DATABASE_PORT', 5432),
          database: env('DATABASE_NAME', 'strapi'),
          user: env('DATABASE_USERNAME', 'strapi'),
          password: env('DATABASE_PASSWORD', ''),
          ssl: env.bool('DATABASE_SSL', false)
            ? { rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true) }
            : false,
          schema: env('DATABASE_SCHEMA', 'public'),
          // A connect to a host that drops packets would otherwise wait for the OS (minutes).
          connectionTimeoutMillis: acquireConnectionTimeout,
        },
        pool: {
          min: env.int('DATABASE_POOL_MIN', 0),
          max: env.int('DATABASE_POOL_MAX', 10),
          idleTimeoutMillis: env.int('DATABASE_POOL_IDLE_MS', 30000),
        },
        acquireConnectionTimeout,
      },
      settings,
    };
  }

  if (client !== 'sqlite') {
    throw new Error(`Unsupported DATABASE_CLIENT "${client}": use "sqlite" or "postgres".`);
  }

  // An empty DATABASE_FILENAME (as create-strapi-app writes it) would open the app folder itself.
  const filename = env('DATABASE_FILENAME', '') || '.tmp/data.db';
  // SQLite has one connection that every request queues for: a long wait there is load, not an
  // outage, so it keeps knex's 60 s.
  const acquireConnectionTimeout = env.int('DATABASE_CONNECTION_TIMEOUT', 60000);
  return {
    connection: {
      client: 'sqlite',
      connection: {
        filename: path.isAbsolute(filename)
          ? filename
          : path.join(__dirname, '..', '..', filename),
      },
      useNullAsDefault: true,
      acquireConnectionTimeout,
      pool: {
        // Write-ahead log: a commit is one append and one fsync of the log instead of a rollback
        // journal's create, write, fsync, fsync and delete; readers do not block the writer.
        // synchronous=FULL keeps a committed transaction durable across a power cut. Strapi
        // chains this after its own per-connection setup (foreign_keys).
        afterCreate(connection: unknown, done: (error?: Error, connection?: unknown) => void) {
          try {
            const sqlite = connection as { pragma(statement: string): unknown }; // better-sqlite3's Database
            sqlite.pragma('journal_mode = WAL');
            sqlite.pragma('synchronous = FULL');
            done(undefined, connection);
          } catch (error) {
            done(error as Error, connection);
          }
        },
      },
    },
    settings,
  };
};

export default config;
