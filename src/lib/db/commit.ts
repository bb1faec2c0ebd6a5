/**
 * What every transaction does at its COMMIT. Two guarantees:
 *
 * 1. The links it wrote through the bulk writer go after those of every bulk writer that
 *    committed before it (src/lib/db/document-rows.ts, placeLinksBeforeCommit): two partner
 *    pushes, or a push and an import batch, committing side by side would otherwise give two
 *    links one place in their target's list.
 * 2. A write whose COMMIT failed is not reported as done.
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
import type { Knex } from 'knex';
import { wrapTransactionCommits } from '../../strapi-seam/knex-transaction';
import { placeLinksBeforeCommit } from './document-rows';

/** Call from register(): Strapi's database (and its knex instance) exists, no transaction has run yet. */
export function guardCommits(strapi: Core.Strapi): void {
  wrapTransactionCommits(strapi, strapi.db.connection, (commit, transactor) => async (value?: unknown) => {
    // Inside the transaction still: a failure here (a deadlock, say) rolls it back, as Strapi's
    // transaction() does with any error its commit throws.
    await placeLinksBeforeCommit(transactor as unknown as Knex);
    const result = await commit(value);
    await transactor.executionPromise;
    return result;
  });
}
