/**
 * `Idempotency-Key` for partner writes (as in the IETF httpapi draft and Stripe): the first
 * answer to a key is stored and replayed for a retry with the same request; the same key with a
 * different request is a 422. Keys are per partner. Server errors (5xx) are not stored, so a
 * retry after one runs again. The writes themselves are idempotent by content as well (the same
 * body writes nothing), so a crash between a write and storing its answer is harmless.
 */
import type { Knex } from 'knex';
import { hashOf } from './payload';

export const IDEMPOTENCY_TABLE = 'partner_idempotency_keys';
const KEY_SHAPE = /^[\x21-\x7e]{1,200}$/;

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type IdempotencyCheck =
  | { kind: 'none' }
  | { kind: 'invalid'; message: string }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'conflict' }
  | { kind: 'new'; key: string; requestHash: string };

export async function checkIdempotencyKey(
  db: Knex,
  partnerKey: string,
  key: string | undefined,
  request: { method: string; path: string; body: unknown },
): Promise<IdempotencyCheck> {
  if (key === undefined || key === '') return { kind: 'none' };
  if (!KEY_SHAPE.test(key)) return { kind: 'invalid', message: 'Idempotency-Key must be 1 to 200 visible ASCII characters' };
  const requestHash = hashOf({ method: request.method, path: request.path, body: request.body ?? null });
  const row = await db(IDEMPOTENCY_TABLE).where({ partner_key: partnerKey, idempotency_key: key }).first();
  if (!row) return { kind: 'new', key, requestHash };
  if (row.request_hash !== requestHash) return { kind: 'conflict' };
  return { kind: 'replay', response: JSON.parse(row.response) as StoredResponse };
}

export async function storeIdempotentResponse(
  db: Knex,
  partnerKey: string,
  check: Extract<IdempotencyCheck, { kind: 'new' }>,
  response: StoredResponse,
): Promise<void> {
  if (response.status >= 500) return;
  await db(IDEMPOTENCY_TABLE)
    .insert({
      partner_key: partnerKey,
      idempotency_key: check.key,
      request_hash: check.requestHash,
      status: response.status,
      response: JSON.stringify(response),
      created_at: new Date(),
    })
    // Two racing first requests: the first stored answer wins.
    .onConflict(['partner_key', 'idempotency_key'])
    .ignore();
}
