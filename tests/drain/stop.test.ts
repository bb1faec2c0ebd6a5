/**
 * stopStrapi (src/lib/lifecycle/stop.ts), the one way every script, the signal drain and the
 * tests end an instance: Strapi's document events run after each commit without being awaited
 * (a findOne per written entry, then the event hub); a stop must let them finish rather than
 * destroy the pool under them. And the outage guard must not make a crash of a stop we asked for.
 */
import { Pool } from 'tarn';
import { handleUnawaitedRejection } from '../../src/lib/db/unavailable';
import { isStopping, stopStrapi } from '../../src/lib/lifecycle/stop';
import { startApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.db.drop();
});

/** The error tarn (knex's pool) rejects a waiting acquire with when the pool is destroyed: made by tarn itself. */
async function poolShutdownError(): Promise<Error> {
  const pool = new Pool({ create: () => ({}), destroy: () => undefined, min: 0, max: 1 });
  const held = await pool.acquire().promise;
  const waiting = pool.acquire().promise.then(
    () => new Error('the second acquire was served'),
    (error: Error) => error,
  );
  // destroy() waits for the held resource to come back, then aborts the acquire still waiting:
  // what happens to Strapi's after-commit queries when its pool is destroyed under them.
  const destroyed = pool.destroy();
  pool.release(held);
  await destroyed;
  return waiting;
}

it('lets the after-commit events of every write finish, then destroys: none is lost', async () => {
  const heard: string[] = [];
  app.strapi.eventHub.on('entry.create', async (event: { uid?: string; entry?: { name?: string } }) => {
    if (event.uid === 'api::topic.topic') heard.push(event.entry?.name ?? '?');
  });
  // Before the instance stops, the pool's abort is not ours: it is thrown again.
  const aborted = await poolShutdownError();
  expect(() => handleUnawaitedRejection(app.strapi, aborted)).toThrow('aborted');

  const names = Array.from({ length: 12 }, (_, n) => `Emne til nedlukning ${n}`);
  // Each create resolves before its event's findOne has run; stop right after the last. (On
  // PostgreSQL a bare strapi.destroy() here lost the last event, seen when this test was written.)
  for (const [n, name] of names.entries()) {
    await app.strapi.documents('api::topic.topic').create({ locale: 'da', data: { name, slug: `emne-til-nedlukning-${n}` } });
  }
  await stopStrapi(app.strapi);
  expect(isStopping(app.strapi)).toBe(true);
  expect(heard.sort()).toEqual([...names].sort());
});

it('a pool acquire aborted by a stop we asked for is logged, not thrown; any other rejection still is', async () => {
  const aborted = await poolShutdownError();
  expect(aborted.message).toBe('aborted');
  // app.strapi is stopped by the test above.
  expect(() => handleUnawaitedRejection(app.strapi, aborted)).not.toThrow();
  const bug = new TypeError('a bug');
  expect(() => handleUnawaitedRejection(app.strapi, bug)).toThrow(bug);
});
