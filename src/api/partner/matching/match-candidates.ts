/**
 * Owns the store of doubtful matches (`partner_match_candidates`): a pair "what a partner pushed"
 * / "the document it may be", with the rule and score that made it doubtful and the evidence
 * side by side, for the editors' review queue (issue 13, item 3). Private: never served.
 *
 * One row per (kind, partner, externalId, candidate): pushing the same doubtful item again
 * updates its row, it does not add one. When the partner's item later gets an event of its own
 * (a clearer title matched, or it was created), its pending rows are marked `superseded`.
 */
import type { Knex } from 'knex';

export const CANDIDATE_TABLE = 'partner_match_candidates';

export type CandidateKind = 'event' | 'person' | 'organisation';
/**
 * pending: waits for an editor; superseded/withdrawn: the partner's item moved on; dismissed: an
 * editor said "not the same" (the pair is never proposed again); merged: an editor merged it.
 */
export type CandidateStatus = 'pending' | 'superseded' | 'withdrawn' | 'dismissed' | 'merged';

export interface CandidateInput {
  kind: CandidateKind;
  partnerKey: string;
  externalId: string;
  candidateDocumentId: string;
  documentId?: string | null;
  rule: string;
  score: number;
  evidence: unknown;
  payload?: unknown;
  payloadHash?: string | null;
}

export interface CandidateRow {
  id: number;
  kind: CandidateKind;
  partner_key: string;
  external_id: string;
  candidate_document_id: string;
  document_id: string | null;
  status: CandidateStatus;
  rule: string;
  score: number;
  evidence: string;
  payload: string | null;
  payload_hash: string | null;
}

/**
 * Whether an editor said "not the same" of this pair: the same item (partner, externalId) and
 * document, or, for a document the push made, the same two documents in either order.
 */
export async function isDismissed(knex: Knex, kind: CandidateKind, partnerKey: string, externalId: string, candidateDocumentId: string, documentId?: string | null): Promise<boolean> {
  const row = await knex(CANDIDATE_TABLE)
    .select('id')
    .where({ kind, status: 'dismissed' })
    .andWhere((query) => {
      query.where({ partner_key: partnerKey, external_id: externalId, candidate_document_id: candidateDocumentId });
      if (documentId) {
        query
          .orWhere({ candidate_document_id: candidateDocumentId, document_id: documentId })
          .orWhere({ candidate_document_id: documentId, document_id: candidateDocumentId });
      }
    })
    .first();
  return Boolean(row);
}

/** Stores (or refreshes) a doubtful pair, pending review; a pair an editor dismissed is not stored again. */
export async function recordCandidate(knex: Knex, input: CandidateInput, now = new Date()): Promise<void> {
  if (await isDismissed(knex, input.kind, input.partnerKey, input.externalId, input.candidateDocumentId, input.documentId)) return;
  await knex(CANDIDATE_TABLE)
    .insert({
      kind: input.kind,
      partner_key: input.partnerKey,
      external_id: input.externalId,
      candidate_document_id: input.candidateDocumentId,
      document_id: input.documentId ?? null,
      status: 'pending',
      rule: input.rule,
      score: input.score,
      evidence: JSON.stringify(input.evidence),
      payload: input.payload === undefined ? null : JSON.stringify(input.payload),
      payload_hash: input.payloadHash ?? null,
      created_at: now,
      updated_at: now,
    })
    .onConflict(['kind', 'partner_key', 'external_id', 'candidate_document_id'])
    .merge(['document_id', 'status', 'rule', 'score', 'evidence', 'payload', 'payload_hash', 'updated_at']);
}

/**
 * Marks an item's pending rows `status` (superseded: it got an event; withdrawn: the partner
 * withdrew it), except those for the candidates in `keep`. Returns how many changed.
 */
export async function closeCandidates(
  knex: Knex,
  kind: CandidateKind,
  partnerKey: string,
  externalId: string,
  status: Exclude<CandidateStatus, 'pending'>,
  keep: string[] = [],
  now = new Date(),
): Promise<number> {
  const query = knex(CANDIDATE_TABLE).where({ kind, partner_key: partnerKey, external_id: externalId, status: 'pending' });
  if (keep.length > 0) query.whereNotIn('candidate_document_id', keep);
  return query.update({ status, updated_at: now });
}

/** The item's pending rows, best score first. */
export async function pendingCandidates(knex: Knex, kind: CandidateKind, partnerKey: string, externalId: string): Promise<CandidateRow[]> {
  return knex(CANDIDATE_TABLE)
    .where({ kind, partner_key: partnerKey, external_id: externalId, status: 'pending' })
    .orderBy([{ column: 'score', order: 'desc' }, { column: 'id' }]);
}
