/**
 * A database for tests that run the npm scripts as child processes (the seed, the import...),
 * and the environment those scripts get: the database's settings, fresh secrets, uploads in the
 * database's throwaway folder (not public/uploads), and not marked as a jest worker (the script
 * is the app's own process).
 */
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from './database';
import { freshSecrets } from './secrets';

export async function scriptDatabase(): Promise<{ database: TestDatabase; env: NodeJS.ProcessEnv }> {
  const database = await createTestDatabase(TEST_DB_KIND, 'schema');
  const env: NodeJS.ProcessEnv = { ...process.env, ...database.env, ...freshSecrets(), PUBLIC_DIR: database.publicDir, NODE_ENV: 'development', LOG_LEVEL: 'error' };
  delete env.JEST_WORKER_ID;
  return { database, env };
}
