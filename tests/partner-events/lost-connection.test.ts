/**
 * A push whose database connection is lost at any statement of its transaction is answered (503,
 * or 201 when the loss came too late to matter), never left hanging, and leaves nothing half
 * written. Found by the outage test: Strapi's entity validator, when its slug-uniqueness query
 * fails under it, never settles, and the push waited for ever (document-writer.ts now checks the
 * slug itself). Here the connections are cut on purpose, once per statement of a new push.
 */
import { Client } from 'pg';
import type { Knex } from 'knex';
import { startApp, type TestApp } from '../helpers/app';
import { createPartner, type TestPartner } from '../helpers/partners';
import { TEST_DB_KIND } from '../helpers/database';

const onPostgres = TEST_DB_KIND === 'postgres';
const describePostgres = onPostgres ? describe : describe.skip;

let app: TestApp;
let partner: TestPartner;
let killer: Client;

/** A push that creates everything it names: venue, organiser, person, event. */
const push = (n: number) =>
  app
    .http()
    .put(`/api/partner/events/cut-${n}`)
    .set('Authorization', partner.auth)
    .timeout(10_000)
    .send({
      startsAt: '2027-06-13T14:00',
      venue: { id: `venue-${n}`, name: `Telt ${n}` },
      organisers: [{ id: `org-${n}`, name: `Arrangør ${n}` }],
      participants: [{ id: `person-${n}`, name: `Person ${n}`, organisation: `Arrangør ${n}`, title: 'Direktør', part: 'speaker' }],
      da: { title: `Afbrudt ${n}` },
      en: { title: `Cut ${n}` },
    });

describePostgres(onPostgres ? 'a push whose PostgreSQL connection is cut' : 'a push whose PostgreSQL connection is cut (skipped: PostgreSQL only, run by TEST_DB=postgres)', () => {
  beforeAll(async () => {
    app = await startApp();
    partner = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
  });
  afterAll(async () => {
    await killer?.end().catch(() => undefined);
    await app?.stop();
  });

  it('at any statement of its transaction is answered, and a refused one leaves nothing behind', async () => {
    const settings = (app.strapi.db.connection as Knex).client.connectionSettings as Record<string, unknown>;
    killer = new Client(settings as ConstructorParameters<typeof Client>[0]);
    await killer.connect();
    const knex = app.strapi.db.connection as Knex;
    let seen = 0;
    let cutAt = -1;
    const onQuery = () => {
      seen += 1;
      if (seen !== cutAt) return;
      // Every other connection to this test's database: the pool's, the push's among them.
      void killer
        .query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')
        .catch(() => undefined);
    };
    knex.on('query', onQuery);

    // How many statements a push like these sends, uncut.
    seen = 0;
    expect((await push(0)).status).toBe(201);
    const statements = seen;
    expect(statements).toBeGreaterThan(20);

    const outcomes: string[] = [];
    try {
      for (let n = 1; n <= statements; n++) {
        seen = 0;
        cutAt = n;
        const response = await push(n).catch((error: Error) => ({ status: `no answer (${error.message})` }));
        outcomes.push(`${n}:${response.status}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      knex.off('query', onQuery);
    }
    // Answered every time; never a 500 or a hang.
    expect(outcomes.filter((outcome) => !/:(201|503)$/.test(outcome))).toEqual([]);
    expect(outcomes.filter((outcome) => outcome.endsWith(':503')).length).toBeGreaterThan(statements / 2);

    // A refused push left nothing: no mapping, no event, no venue of its own.
    for (const outcome of outcomes.filter((entry) => entry.endsWith(':503'))) {
      const n = outcome.split(':')[0];
      expect(await knex('partner_events').where({ external_id: `cut-${n}` }).first()).toBeUndefined();
      expect(await knex('events').where({ external_id: `cut-${n}` }).first()).toBeUndefined();
      expect(await knex('venues').where({ name: `Telt ${n}` }).first()).toBeUndefined();
    }
    // And the next push goes through.
    expect((await push(statements + 1)).status).toBe(201);
  });
});
