/**
 * Owns one guarantee: a write whose COMMIT failed is not reported as done.
 *
 * Strapi's `strapi.db.transaction()` takes a knex transaction without a callback
 * (`await knex.transaction()`) and ends it with `await trx.commit()`. In that form knex never
 * rejects `commit()`: when the COMMIT statement fails (the connection was cut, the server
 * stopped) the error goes to `trx.executionPromise` only, and `commit()` resolves. Strapi then
 * runs its after-commit callbacks and the request answers 2xx for a transaction PostgreSQL
 * never committed. The outage test caught exactly that: an acknowledged partner push with no
 * row in the database. So every such transaction's `commit()` also awaits `executionPromise`,
 * which settles with the COMMIT's real outcome; a failed one throws, Strapi rolls back what is
 * left, and the request fails (a 503 through src/lib/db/unavailable.ts).
 */
import type { Core } from '@strapi/strapi';
import { wrapTransactionCommits } from '../../strapi-seam/knex-transaction';

/** Call from register(): Strapi's database (and its knex instance) exists, no transaction has run yet. */
export function commitFailuresReject(strapi: Core.Strapi): void {
  wrapTransactionCommits(strapi, strapi.db.connection, (commit, transactor) => async (value?: unknown) => {
    const result = await commit(value);
    await transactor.executionPromise;
    return result;
  });
}
