/**
 * The editors' review queue of possible duplicates: the doubtful pairs partner matching stored
 * in `partner_match_candidates` (events a partner pushed that may be ours; people of one name at
 * different organisations), with both sides' evidence. An editor either
 * - says "not the same" (`dismiss`): the pair is never proposed again (the matcher leaves it
 *   out), and a waiting event push is run again without it (so it is created, or waits for
 *   another candidate); or
 * - merges (`resolveByMerge`): a waiting event push is linked to the event it is; two documents
 *   are merged (merge.ts), the one kept and each differing field's value chosen by the editor.
 *   Either way the candidate's status changes in the same transaction as the link or merge.
 */
import type { Core, UID } from '@strapi/strapi';
import { CANDIDATE_TABLE, type CandidateKind, type CandidateRow } from '../matching/match-candidates';
import { HttpError } from '../../../lib/http/http-error';
import type { Knex } from 'knex';
import { documentRows, MERGE_TYPES, mergeDocuments, versionOf, type MergeChoices, type MergeSide } from './merge';
import type { PartnerEventService } from '../services/partner-event';

export interface DocumentSummary {
  documentId: string;
  type: CandidateKind;
  /** Title (events) or name, Danish first. */
  label: string | null;
  slug: string | null;
  locales: string[];
  published: boolean;
  /** Send back as `updatedAt` when merging: a later change makes the merge stale. */
  updatedAt: string | null;
}

/** The columns a summary reads of a document's rows (`title` for events, `name` for the others). */
interface SummaryRow {
  locale: string | null;
  publishedAt: unknown;
  updatedAt: unknown;
  slug?: string | null;
  title?: string | null;
  name?: string | null;
}

async function summary(strapi: Core.Strapi, kind: CandidateKind, documentId: string | null): Promise<DocumentSummary | null> {
  if (!documentId) return null;
  const uid = MERGE_TYPES[kind];
  const labelField = kind === 'event' ? 'title' : 'name';
  const rows = (await strapi.db.query(uid as UID.ContentType).findMany({
    select: ['locale', 'publishedAt', 'updatedAt', 'slug', labelField],
    where: { documentId },
  })) as SummaryRow[];
  if (rows.length === 0) return null;
  const da = rows.find((row) => row.locale === 'da') ?? rows[0]!;
  return {
    documentId,
    type: kind,
    label: da[labelField] ?? null,
    slug: da.slug ?? null,
    locales: [...new Set(rows.map((row) => String(row.locale)))].sort(),
    published: rows.some((row) => row.publishedAt),
    updatedAt: versionOf(rows),
  };
}

const parse = (text: string | null) => {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

export async function candidateView(strapi: Core.Strapi, row: CandidateRow) {
  const evidence = parse(row.evidence);
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    rule: row.rule,
    score: Number(row.score),
    partner: row.partner_key,
    externalId: row.external_id,
    /** What the partner pushed: the document it made (people), or nothing yet (a waiting event). */
    pushed: {
      document: await summary(strapi, row.kind, row.document_id),
      evidence: evidence?.pushed ?? null,
    },
    /** The document we have that it may be. */
    candidate: {
      document: await summary(strapi, row.kind, row.candidate_document_id),
      evidence: evidence?.existing ?? null,
    },
    evidence,
  };
}

export async function listCandidates(strapi: Core.Strapi, options: { kind?: string; status?: string } = {}) {
  const status = options.status ?? 'pending';
  if (!['pending', 'dismissed', 'merged', 'superseded', 'withdrawn'].includes(status)) {
    throw new HttpError(400, 'bad-request', 'status must be one of pending, dismissed, merged, superseded, withdrawn', { field: 'status' });
  }
  if (options.kind !== undefined && !Object.prototype.hasOwnProperty.call(MERGE_TYPES, options.kind)) {
    throw new HttpError(400, 'bad-type', `kind must be one of ${Object.keys(MERGE_TYPES).join(', ')}`, { field: 'kind' });
  }
  const query = strapi.db.connection(CANDIDATE_TABLE).where({ status }).orderBy([{ column: 'updated_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(200);
  if (options.kind) query.where({ kind: options.kind });
  const rows = (await query) as CandidateRow[];
  const views = [];
  for (const row of rows) views.push(await candidateView(strapi, row));
  return views;
}

async function pendingRow(strapi: Core.Strapi, id: unknown): Promise<CandidateRow> {
  const numeric = Number(id);
  if (!Number.isInteger(numeric) || numeric <= 0) throw new HttpError(400, 'bad-request', `candidate id must be a positive integer (got ${JSON.stringify(id)})`);
  const row = (await strapi.db.connection(CANDIDATE_TABLE).where({ id: numeric }).first()) as CandidateRow | undefined;
  if (!row) throw new HttpError(404, 'not-found', `no review candidate ${numeric}`);
  if (row.status !== 'pending') throw new HttpError(409, 'not-pending', `review candidate ${numeric} is ${row.status}, not pending`, { status: row.status });
  return row;
}

async function partnerOf(strapi: Core.Strapi, key: string) {
  const partner = (await strapi.db.query('api::partner.partner').findOne({
    select: ['id', 'documentId', 'name', 'key', 'publishMode', 'organisationSlug'],
    where: { key },
  })) as { id: number; documentId: string; name: string; key: string; publishMode: 'publish' | 'draft'; organisationSlug: string | null } | null;
  return partner ? { ...partner, tokenId: 0 } : null;
}

const partnerEvents = (strapi: Core.Strapi) => strapi.service('api::partner.partner-event') as PartnerEventService;

/** "Not the same": never proposed again; a waiting event push is run again without this candidate. */
export async function dismiss(strapi: Core.Strapi, id: unknown) {
  const row = await pendingRow(strapi, id);
  await strapi.db.connection(CANDIDATE_TABLE).where({ id: row.id }).update({ status: 'dismissed', updated_at: new Date() });
  let push: { result: string; documentId: string | null; error?: string } | null = null;
  if (row.kind === 'event' && !row.document_id && row.payload) {
    const stillPending = await strapi.db.connection(CANDIDATE_TABLE).where({ kind: 'event', partner_key: row.partner_key, external_id: row.external_id, status: 'pending' }).first();
    const partner = await partnerOf(strapi, row.partner_key);
    if (!stillPending && partner) {
      // The decision stands whatever the push does now (a festival gone, a topic renamed): the
      // partner's next push makes it then; the editor is told.
      try {
        const answer = await partnerEvents(strapi).upsert(partner, row.external_id, JSON.parse(row.payload), row.payload_hash ?? '');
        push = { result: answer.result, documentId: answer.state.documentId };
      } catch (error) {
        strapi.log.warn(`[duplicates] re-running ${row.partner_key}/${row.external_id} after "not the same" failed: ${(error as Error).message}`);
        push = { result: 'failed', documentId: null, error: (error as Error).message };
      }
    }
  }
  const saved = (await strapi.db.connection(CANDIDATE_TABLE).where({ id: row.id }).first()) as CandidateRow;
  return { ...(await candidateView(strapi, saved)), push };
}

/** The editor's choice for "the same": which document to keep and which to merge, with the versions seen. */
export interface ResolveInput {
  keep?: MergeSide;
  merge?: MergeSide;
  /** The editor's choice per field (merge.ts `MergeChoices`); two documents only. */
  choices?: MergeChoices;
}

/**
 * "The same": a waiting event push is linked to the candidate event (`keep.updatedAt`, if given,
 * must still be the event's version); two documents are merged, `keep` and `merge` naming the
 * pair's two documentIds (either way round) with the versions the editor saw.
 */
export async function resolveByMerge(strapi: Core.Strapi, id: unknown, body: ResolveInput, options: { userId?: number | null } = {}) {
  const row = await pendingRow(strapi, id);
  if (row.kind === 'event' && !row.document_id) {
    const keepId = body?.keep?.documentId ?? row.candidate_document_id;
    if (keepId !== row.candidate_document_id) {
      throw new HttpError(400, 'not-this-pair', `candidate ${row.id} pairs ${row.partner_key}/${row.external_id} with event ${row.candidate_document_id}, not ${keepId}`);
    }
    const rows = await documentRows(strapi, MERGE_TYPES.event, keepId);
    if (rows.length === 0) throw new HttpError(404, 'not-found', `event ${keepId} no longer exists`);
    const expected = body?.keep?.updatedAt;
    if (expected !== undefined && (typeof expected !== 'string' || Number.isNaN(new Date(expected).getTime()))) {
      throw new HttpError(400, 'bad-request', 'keep.updatedAt must be the ISO date-time the candidate list gave', { field: 'keep.updatedAt' });
    }
    if (expected !== undefined && new Date(expected).toISOString() !== versionOf(rows)) {
      throw new HttpError(409, 'stale', `event ${keepId} changed since you reviewed it (updatedAt ${expected}, now ${versionOf(rows)})`, { field: 'keep.updatedAt', current: versionOf(rows) });
    }
    const partner = await partnerOf(strapi, row.partner_key);
    if (!partner || !row.payload) throw new HttpError(409, 'partner-gone', `partner ${row.partner_key} or its pushed event is no longer there`);
    const payload = row.payload;
    // The link and the candidate's status in one transaction (the partner writer joins it).
    const state = await strapi.db.transaction(async ({ trx }) => {
      const knex = trx as unknown as Knex.Transaction;
      const current = (await knex(CANDIDATE_TABLE).select('status').where({ id: row.id }).first()) as { status: string } | undefined;
      if (current?.status !== 'pending') throw new HttpError(409, 'not-pending', `review candidate ${row.id} is ${current?.status ?? 'gone'}, not pending`, { status: current?.status ?? null });
      const linked = await partnerEvents(strapi).linkReviewed(partner, row.external_id, keepId, JSON.parse(payload), row.payload_hash ?? '', { rule: `review:${row.rule}`, score: Number(row.score) });
      await knex(CANDIDATE_TABLE).where({ id: row.id }).update({ status: 'merged', updated_at: new Date() });
      return linked;
    });
    return { candidate: await candidateView(strapi, (await strapi.db.connection(CANDIDATE_TABLE).where({ id: row.id }).first()) as CandidateRow), linked: { partner: row.partner_key, externalId: row.external_id, documentId: state.documentId } };
  }
  const pair = new Set([row.candidate_document_id, row.document_id]);
  const keep = body?.keep;
  const merge = body?.merge;
  if (!keep?.documentId || !merge?.documentId || !pair.has(keep.documentId) || !pair.has(merge.documentId)) {
    throw new HttpError(400, 'not-this-pair', `keep.documentId and merge.documentId must be candidate ${row.id}'s two documents: ${[...pair].join(' and ')}`);
  }
  // The candidate becomes `merged` inside the merge's transaction (and pending again if it is undone).
  const merged = await mergeDocuments(strapi, { type: row.kind, keep, merge, ...(body.choices !== undefined ? { choices: body.choices } : {}) }, { candidateId: row.id, userId: options.userId ?? null });
  return { candidate: await candidateView(strapi, (await strapi.db.connection(CANDIDATE_TABLE).where({ id: row.id }).first()) as CandidateRow), merge: merged };
}

export async function documentView(strapi: Core.Strapi, type: string, documentId: string) {
  if (!Object.prototype.hasOwnProperty.call(MERGE_TYPES, type)) throw new HttpError(400, 'bad-type', `type must be one of ${Object.keys(MERGE_TYPES).join(', ')}`);
  const found = await summary(strapi, type as CandidateKind, documentId);
  if (!found) throw new HttpError(404, 'not-found', `no ${type} with documentId ${documentId}`);
  return found;
}
