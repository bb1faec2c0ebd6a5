/**
 * Patch "knex-transaction": src/lib/db/commit.ts makes a failed COMMIT fail the write, and
 * places bulk-written links just before it. Strapi's `strapi.db.transaction()` calls
 * `knex.transaction()` without a callback, and knex then never rejects `trx.commit()`; there is
 * no option for it in Strapi or knex. So `knex.transaction` is redefined on Strapi's knex
 * instance, and each transaction made without a callback has its `commit` wrapped. Expects
 * (knex/lib/knex-builder/make-knex.js): `strapi.db.connection.transaction` a configurable
 * property holding a function (knex's proxy, `(...args)`), forwarding to
 * `knex.context.transaction(container, config)`, a function of 2 parameters.
 */
import type { Core } from '@strapi/strapi';
import { describeValue, expectMethod, expectShape, markInstalled } from './seam';

export const PATCH = 'knex-transaction';

export interface Transactor {
  commit(value?: unknown): Promise<unknown>;
  /** knex's settled outcome of the transaction, the COMMIT's included (not in knex's types). */
  executionPromise?: Promise<unknown>;
}

export type Commit = (value?: unknown) => Promise<unknown>;
type TransactionFn = (container?: unknown, config?: unknown) => Promise<unknown>;

const WRAPPED = Symbol.for('innovation-hub.db.commit-awaits-outcome');

/** Checks that `knex` has knex's `transaction` as this patch knows it; throws a SeamError when not. */
export function checkKnexTransaction(strapi: Core.Strapi, knex: unknown): TransactionFn {
  const transaction = expectMethod<TransactionFn>(strapi, PATCH, knex, 'strapi.db.connection (knex)', 'transaction');
  const descriptor = Object.getOwnPropertyDescriptor(knex, 'transaction');
  expectShape(strapi, PATCH, descriptor?.configurable === true, 'knex.transaction to be a configurable own property', () =>
    descriptor ? 'it is not configurable' : 'it is inherited or missing',
  );
  const context: unknown = (knex as { context?: unknown }).context;
  expectShape(strapi, PATCH, !!context && typeof context === 'object', 'knex.context to be an object', () => describeValue(context));
  expectMethod(strapi, PATCH, context, 'knex.context', 'transaction', { arity: 2 });
  return transaction;
}

/**
 * Replaces `commit` of every transaction knex hands out without a callback with
 * `wrapCommit(commit, trx)`. With a callback knex commits itself and rejects on failure: left as is.
 */
export function wrapTransactionCommits(strapi: Core.Strapi, knex: unknown, wrapCommit: (commit: Commit, trx: Transactor) => Commit): void {
  const holder = knex as { [WRAPPED]?: true } | undefined;
  if (holder?.[WRAPPED]) return markInstalled(strapi, PATCH);
  const transaction = checkKnexTransaction(strapi, knex).bind(knex) as TransactionFn;
  Object.defineProperty(knex, 'transaction', {
    configurable: true,
    value(container?: unknown, config?: unknown) {
      if (typeof container === 'function') return transaction(container, config);
      return transaction(container, config).then((trx) => {
        const transactor = trx as Transactor;
        transactor.commit = wrapCommit(transactor.commit.bind(transactor), transactor);
        return trx;
      });
    },
  });
  (knex as { [WRAPPED]?: true })[WRAPPED] = true;
  markInstalled(strapi, PATCH);
}
