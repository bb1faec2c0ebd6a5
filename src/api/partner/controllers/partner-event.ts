/**
 * HTTP for partner events: status codes, ETag / If-Match, Idempotency-Key, and errors that name
 * each bad field with a JSON pointer. The work itself is in services/partner-event.ts.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import type { VerifiedPartner } from '../services/partner-token';
import { PreconditionFailedError, type PartnerEventService, type PartnerEventState, type UpsertResult } from '../services/partner-event';
import {
  MAX_BATCH_SIZE,
  externalIdSchema,
  parseEventPayload,
} from '../sync/payload';
import { pointerOf, type FieldError } from '../../../lib/validation/field-errors';
import { checkIdempotencyKey, storeIdempotentResponse, type StoredResponse } from '../sync/idempotency';
import { sendJsonError } from '../../../lib/http/json-error';

/** One item's outcome, shared by the single and the batch endpoints. */
interface Outcome {
  status: number;
  result: UpsertResult | 'invalid' | 'stale' | 'conflict';
  state?: PartnerEventState;
  message?: string;
  errors?: FieldError[];
}

/** linked: the partner's resource is new (201, Location), pointing at an event we had; pending-review: accepted, not done (202). */
const STATUS_OF: Record<UpsertResult, number> = { created: 201, updated: 200, unchanged: 200, linked: 201, 'pending-review': 202 };

/** Strapi's own validation errors (e.g. from publishing) as field errors under a prefix. */
function strapiFieldErrors(error: errors.ValidationError, prefix: Array<string | number>): FieldError[] {
  const details = (error.details as { errors?: Array<{ path?: Array<string | number>; message: string }> } | undefined)?.errors ?? [];
  if (details.length === 0) return [{ pointer: pointerOf(prefix), path: prefix, message: error.message }];
  return details.map((detail) => {
    const path = [...prefix, ...(detail.path ?? [])];
    return { pointer: pointerOf(path), path, message: detail.message };
  });
}

const isUniqueViolation = (error: unknown) =>
  /unique|duplicate key/i.test(String((error as { message?: string })?.message)) &&
  /partner_events/i.test(String((error as { message?: string })?.message));

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => strapi.service('api::partner.partner-event') as PartnerEventService;

  async function upsertOne(
    partner: VerifiedPartner,
    externalId: string,
    body: unknown,
    prefix: Array<string | number>,
    ifMatch?: string,
    parsed: ReturnType<typeof parseEventPayload> = parseEventPayload(body, prefix),
  ): Promise<Outcome> {
    if (!parsed.ok) return { status: 400, result: 'invalid', message: 'The event is not valid', errors: parsed.errors };
    try {
      const { result, state } = await service().upsert(partner, externalId, parsed.event, parsed.hash, { ifMatch });
      return { status: STATUS_OF[result], result, state };
    } catch (error) {
      if (error instanceof PreconditionFailedError) return { status: 412, result: 'stale', message: error.message };
      if (error instanceof errors.ValidationError) {
        // Strapi's validators query the database: a write cut by an outage can surface as a
        // ValidationError. Only a database that answers makes it the partner's mistake; if
        // `select 1` fails, its error goes up and the partner gets a 503 (src/lib/db/unavailable.ts).
        await strapi.db.connection.raw('select 1');
        return { status: 400, result: 'invalid', message: error.message, errors: strapiFieldErrors(error, prefix) };
      }
      if (isUniqueViolation(error)) {
        return { status: 409, result: 'conflict', message: 'Another request created this event at the same time; retry' };
      }
      throw error;
    }
  }

  /** Runs a write under the request's Idempotency-Key (if any) and sends its answer. */
  async function idempotent(ctx: Context, write: () => Promise<StoredResponse>): Promise<void> {
    const partner = ctx.state.partner as VerifiedPartner;
    const check = await checkIdempotencyKey(strapi.db.connection, partner.key, ctx.get('idempotency-key') || undefined, {
      method: ctx.method,
      path: ctx.path,
      body: (ctx.request as { body?: unknown }).body,
    });
    if (check.kind === 'invalid') return sendJsonError(ctx, 400, 'ValidationError', check.message, { header: 'Idempotency-Key' });
    if (check.kind === 'conflict') {
      return sendJsonError(ctx, 422, 'IdempotencyKeyReusedError', 'This Idempotency-Key was used with a different request', {
        header: 'Idempotency-Key',
      });
    }
    const response = check.kind === 'replay' ? check.response : await write();
    if (check.kind === 'new') await storeIdempotentResponse(strapi.db.connection, partner.key, check, response);
    if (check.kind === 'replay') ctx.set('Idempotent-Replayed', 'true');
    for (const [name, value] of Object.entries(response.headers)) ctx.set(name, value);
    ctx.status = response.status;
    ctx.body = response.body;
  }

  const errorBody = (outcome: Outcome) => ({
    data: null,
    error: {
      status: outcome.status,
      name: { 400: 'ValidationError', 409: 'ConflictError', 412: 'PreconditionFailedError' }[outcome.status] ?? 'ApplicationError',
      message: outcome.message,
      details: outcome.errors ? { errors: outcome.errors } : {},
    },
  });

  const locationOf = (externalId: string) => `/api/partner/events/${encodeURIComponent(externalId)}`;

  /** The externalId in the path, or a 400 that says what is wrong with it. */
  function externalIdOf(ctx: Context): string | null {
    const parsed = externalIdSchema.safeParse(ctx.params.externalId);
    if (parsed.success) return parsed.data;
    sendJsonError(ctx, 400, 'ValidationError', `externalId ${parsed.error.issues[0]!.message}`, { param: 'externalId' });
    return null;
  }

  return {
    /** GET /api/partner/events/:externalId */
    async findOne(ctx: Context) {
      const externalId = externalIdOf(ctx);
      if (externalId === null) return;
      const state = await service().find(ctx.state.partner as VerifiedPartner, externalId);
      if (!state) return sendJsonError(ctx, 404, 'NotFoundError', `You have no event with externalId "${externalId}"`);
      ctx.set('ETag', state.etag);
      ctx.body = { data: state };
    },

    /** PUT /api/partner/events/:externalId */
    async upsert(ctx: Context) {
      const externalId = externalIdOf(ctx);
      if (externalId === null) return;
      const partner = ctx.state.partner as VerifiedPartner;
      await idempotent(ctx, async () => {
        const outcome = await upsertOne(partner, externalId, (ctx.request as { body?: unknown }).body, [], ctx.get('if-match') || undefined);
        if (!outcome.state) return { status: outcome.status, body: errorBody(outcome), headers: {} };
        const headers: Record<string, string> = { ETag: outcome.state.etag };
        if (outcome.result === 'created' || outcome.result === 'linked') headers.Location = locationOf(externalId);
        return { status: outcome.status, body: { data: { ...outcome.state, result: outcome.result } }, headers };
      });
    },

    /** DELETE /api/partner/events/:externalId: withdraw (unpublish), keeping the draft. */
    async withdraw(ctx: Context) {
      const externalId = externalIdOf(ctx);
      if (externalId === null) return;
      const partner = ctx.state.partner as VerifiedPartner;
      await idempotent(ctx, async (): Promise<StoredResponse> => {
        try {
          const withdrawn = await service().withdraw(partner, externalId, { ifMatch: ctx.get('if-match') || undefined });
          if (!withdrawn) {
            return { status: 404, body: errorBody({ status: 404, result: 'invalid', message: `You have no event with externalId "${externalId}"` }), headers: {} };
          }
          return { status: 200, body: { data: { ...withdrawn.state, result: withdrawn.result } }, headers: { ETag: withdrawn.state.etag } };
        } catch (error) {
          if (error instanceof PreconditionFailedError) return { status: 412, body: errorBody({ status: 412, result: 'stale', message: error.message }), headers: {} };
          throw error;
        }
      });
    },

    /**
     * POST /api/partner/events/batch: `{ "events": [{ "externalId": "...", ...event }] }`, at most
     * 500. Items run one after another, each in its own transaction; the answer has one entry per
     * item, in order, with errors pointing into the request body.
     */
    async batch(ctx: Context) {
      const partner = ctx.state.partner as VerifiedPartner;
      const body = (ctx.request as { body?: unknown }).body as { events?: unknown } | undefined;
      const items = body?.events;
      if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH_SIZE) {
        return sendJsonError(ctx, 400, 'ValidationError', `events must be an array of 1 to ${MAX_BATCH_SIZE} events`, {
          errors: [{ pointer: '/events', path: ['events'], message: `must be an array of 1 to ${MAX_BATCH_SIZE} events` }],
        });
      }
      await idempotent(ctx, async () => {
        const results = [];
        const counts = { created: 0, updated: 0, unchanged: 0, failed: 0, linked: 0, pendingReview: 0 };
        const parsedItems = items.map((item, index) => {
          const { externalId, ...event } = (item && typeof item === 'object' ? item : {}) as { externalId?: unknown };
          return { externalId, id: externalIdSchema.safeParse(externalId), parsed: parseEventPayload(event, ['events', index]) };
        });
        // Items sent again unchanged are answered from two reads (a re-push of a whole programme).
        // An externalId twice in one batch goes through upsert each time, in order.
        const seen = new Map<string, number>();
        for (const { id } of parsedItems) if (id.success) seen.set(id.data, (seen.get(id.data) ?? 0) + 1);
        const unchanged = await service().unchangedStates(
          partner,
          parsedItems.flatMap(({ id, parsed }) => (id.success && parsed.ok && seen.get(id.data) === 1 ? [{ externalId: id.data, hash: parsed.hash }] : [])),
        );
        for (const [index, { externalId, id, parsed }] of parsedItems.entries()) {
          const prefix = ['events', index];
          const known = id.success ? unchanged.get(id.data) : undefined;
          const outcome: Outcome = known
            ? { status: 200, result: 'unchanged', state: known }
            : id.success
            ? await upsertOne(partner, id.data, undefined, prefix, undefined, parsed)
            : {
                status: 400,
                result: 'invalid',
                message: 'The event is not valid',
                errors: [{ pointer: pointerOf([...prefix, 'externalId']), path: [...prefix, 'externalId'], message: externalId === undefined ? 'is required' : id.error.issues[0]!.message }],
              };
          if (outcome.state) counts[outcome.result === 'pending-review' ? 'pendingReview' : (outcome.result as Exclude<UpsertResult, 'pending-review'>)] += 1;
          else counts.failed += 1;
          results.push({
            index,
            externalId: id.success ? id.data : null,
            status: outcome.status,
            result: outcome.result,
            ...(outcome.state ? { documentId: outcome.state.documentId, etag: outcome.state.etag, version: outcome.state.version } : {}),
            ...(outcome.state?.match ? { match: outcome.state.match } : {}),
            ...(outcome.message ? { message: outcome.message } : {}),
            ...(outcome.errors ? { errors: outcome.errors } : {}),
          });
        }
        // linked / pendingReview only when there are any: a batch without matches keeps its old meta.
        const meta: Record<string, number> = { created: counts.created, updated: counts.updated, unchanged: counts.unchanged, failed: counts.failed };
        if (counts.linked > 0) meta.linked = counts.linked;
        if (counts.pendingReview > 0) meta.pendingReview = counts.pendingReview;
        return { status: 200, body: { data: results, meta }, headers: {} };
      });
    },
  };
};
