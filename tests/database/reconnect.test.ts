/**
 * The PostgreSQL pool keeps no idle minimum and drops connections the server killed, so the
 * app answers again after a database restart instead of handing out dead connections.
 * A restart is simulated by terminating every server connection of the test database.
 */
import { Client } from 'pg';
import { startApp, type TestApp } from '../helpers/app';
import { TEST_DB_KIND } from '../helpers/database';

const onPostgres = TEST_DB_KIND === 'postgres' ? describe : describe.skip;

onPostgres('PostgreSQL connections killed by a restart (skipped on SQLite: no server to restart)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ seed: true });
  });
  afterAll(async () => {
    await app?.stop();
  });

  async function terminateAppConnections(): Promise<number> {
    const url = new URL(app.db.env.DATABASE_URL!);
    const database = url.pathname.slice(1);
    url.pathname = '/postgres';
    const admin = new Client({ connectionString: url.toString() });
    await admin.connect();
    try {
      const result = await admin.query(
        'SELECT pg_terminate_backend(pid, 30000) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [database]
      );
      return result.rowCount ?? 0;
    } finally {
      await admin.end();
    }
  }

  it('answers the next request after every connection was terminated', async () => {
    expect((await app.http().get('/api/articles')).status).toBe(200);
    expect(await terminateAppConnections()).toBeGreaterThan(0);
    // A real restart takes far longer than this: let the pool see its sockets close.
    await new Promise((resolve) => setTimeout(resolve, 250));

    const response = await app.http().get('/api/articles?locale=en');
    expect(response.status).toBe(200);
    expect(response.body.data).toHaveLength(1);
  });
});
