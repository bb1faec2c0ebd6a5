import path from 'path';
import type { Core } from '@strapi/strapi';

/**
 * SQLite (in `.tmp/`) unless PostgreSQL is asked for, by `DATABASE_URL` or by
 * `DATABASE_CLIENT=postgres` with the usual `DATABASE_*` parts.
 * The PostgreSQL pool keeps no idle minimum (min 0), so connections that died with a
 * database restart are dropped instead of being handed out again.
 */
// Our own tables (change log, outbox, partner mappings) come from database/migrations/*.ts,
// compiled with the app; Strapi runs pending ones at boot, before it syncs content types.
const settings = { useTypescriptMigrations: true };

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Database => {
  const url = env('DATABASE_URL', '');
  const client = env('DATABASE_CLIENT', url ? 'postgres' : 'sqlite');
  const acquireConnectionTimeout = env.int('DATABASE_CONNECTION_TIMEOUT', 60000);

  if (client === 'postgres') {
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
    },
    settings,
  };
};

export default config;
