/**
 * Partner events: create-or-update by the partner's own id, withdraw, read back. Each call is
 * one transaction: the event in both locales, the people/organisations/venue it names, its
 * publication, the change log and the partner mapping commit together or not at all.
 *
 * The mapping (`partner_events`) is what scopes a partner to its own events: every lookup goes
 * through (partner key, externalId), so another partner's event is simply not found.
 *
 * Concurrent pushes: each transaction first locks what it may create (the event's externalId,
 * the names it carries; src/api/partner/sync/creation-locks.ts), so two pushes naming the same
 * new person end with one; a push that still meets another writer's slug or unique key is run
 * again from the start, never refused.
 *
 * Matching (issue 13): a first push of an externalId is first compared with the events we have
 * (src/api/partner/matching/event-matching.ts). A confident match *links* the externalId to that
 * event (`role: linked` in `partner_events`) instead of creating one; a doubtful one is stored
 * for review (match-candidates.ts) and nothing is made. What a linked partner may change later:
 * see `applyOwnedFields` (and the README, "Matching across sources").
 */
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Knex } from 'knex';
import type { VerifiedPartner } from './partner-token';
import { IdentityResolver } from '../matching/identities';
import type { EventPayload } from '../sync/payload';
import { creationKeys, eventKey, lockCreationKeys, retryOnConcurrentConflict } from '../sync/creation-locks';
import { matchEvent, type EventCandidate, type MatchSettings } from '../matching/event-matching';
import { createEventDocument } from '../sync/event-writer';
import { closeCandidates, pendingCandidates, recordCandidate } from '../matching/match-candidates';
import { MAPPING_TABLE } from '../sync/mappings';
import { appendChanges, type OnCommit } from '../../../lib/sync/change-log';

const EVENT = 'api::event.event';
/** The Document Service's input for an event (our payloads are built as plain records). */
type EventData = Modules.Documents.Params.Data.Input<typeof EVENT>;
const TOPIC = 'api::topic.topic';
export { MAPPING_TABLE };

/**
 * `linked`: the externalId now points at an event the hub already had (nothing created);
 * `pending-review`: it may be one, an editor decides; nothing public was made.
 */
export type UpsertResult = 'created' | 'updated' | 'unchanged' | 'linked' | 'pending-review';

export interface PartnerEventState {
  externalId: string;
  /** Null while the event waits for review. */
  documentId: string | null;
  version: number;
  etag: string;
  withdrawn: boolean;
  published: boolean;
  locales: string[];
  /** Present when the externalId was matched to an existing event (or may be): why. */
  match?: { rule: string; score: number; pendingReview: boolean };
}

interface MappingRow {
  id: number;
  partner_key: string;
  external_id: string;
  document_id: string;
  payload_hash: string;
  version: number;
  withdrawn_at: Date | string | number | null;
  /** origin: this partner's push created the event; linked: matched to an existing one. */
  role: 'origin' | 'linked';
  match_rule: string | null;
  match_score: number | null;
}

/** A strong validator of what the partner last sent: changes with every accepted change. */
export const etagOf = (row: Pick<MappingRow, 'version' | 'payload_hash' | 'withdrawn_at'>) =>
  `"${row.version}-${row.payload_hash.slice(0, 16)}${row.withdrawn_at ? '-w' : ''}"`;

/** 412: the event changed since the version the caller holds. */
export class PreconditionFailedError extends Error {
  override name = 'PreconditionFailedError';
}

/** A field of an otherwise valid payload that does not resolve (unknown topic, festival...). */
export class PayloadReferenceError extends errors.ValidationError {
  constructor(path: Array<string | number>, message: string) {
    super(message, { errors: [{ path, message, name: 'ValidationError', value: undefined }] });
  }
}

/** Plain text to Strapi blocks: one paragraph per blank-line-separated chunk. */
function paragraphs(text: string | undefined) {
  if (!text) return null;
  return text
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim())
    .filter(Boolean)
    .map((chunk) => ({ type: 'paragraph', children: [{ type: 'text', text: chunk }] }));
}

/**
 * When and where an event takes place: what a partner's push sets on the events it created, and
 * the fields the organiser of record owns on an editor's event it is linked to.
 */
function whenAndWhere(event: EventPayload, venue: string | null) {
  return {
    startsAt: event.startsAt,
    endsAt: event.endsAt ?? null,
    timeZone: event.timeZone,
    eventStatus: event.status,
    attendanceMode: event.attendanceMode,
    venue,
  };
}

function matchesIfMatch(header: string | undefined, row: MappingRow | undefined): boolean {
  if (header === undefined) return true;
  if (!row) return false;
  if (header.trim() === '*') return true;
  const current = etagOf(row);
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === current);
}

const partnerEventService = ({ strapi }: { strapi: Core.Strapi }) => {
  // Raw queries must run on the transaction's connection (SQLite has only one).
  async function mappingOf(db: Knex, partnerKey: string, externalId: string): Promise<MappingRow | undefined> {
    return db(MAPPING_TABLE).where({ partner_key: partnerKey, external_id: externalId }).first();
  }

  /** A partner's first accepted push of an externalId: what it points at and why. Returns the row as written. */
  async function insertMapping(
    db: Knex,
    mapping: { partnerKey: string; externalId: string; documentId: string; hash: string; role: MappingRow['role']; rule: string; score: number },
  ): Promise<Omit<MappingRow, 'id'>> {
    const written = {
      partner_key: mapping.partnerKey,
      external_id: mapping.externalId,
      document_id: mapping.documentId,
      payload_hash: mapping.hash,
      version: 1,
      withdrawn_at: null,
      role: mapping.role,
      match_rule: mapping.rule,
      match_score: mapping.score,
    };
    await db(MAPPING_TABLE).insert({ ...written, updated_at: new Date() });
    return written;
  }

  async function documentExists(documentId: string): Promise<boolean> {
    return Boolean(await strapi.db.query(EVENT).findOne({ select: ['id'], where: { documentId } }));
  }

  async function stateOf(row: MappingRow): Promise<PartnerEventState> {
    const versions = (await strapi.db.query(EVENT).findMany({
      select: ['locale', 'publishedAt'],
      where: { documentId: row.document_id },
    })) as Array<{ locale: string; publishedAt: unknown }>;
    return stateFrom(row, versions);
  }

  function stateFrom(row: Omit<MappingRow, 'id'>, all: Array<{ locale: string; publishedAt: unknown }>): PartnerEventState {
    // Of an event it is only linked to (someone else's), a partner sees what the public sees.
    const versions = row.role === 'linked' ? all.filter((version) => version.publishedAt) : all;
    return {
      externalId: row.external_id,
      documentId: row.document_id,
      version: row.version,
      etag: etagOf(row),
      withdrawn: Boolean(row.withdrawn_at),
      published: versions.some((version) => version.publishedAt),
      locales: [...new Set(versions.map((version) => version.locale))].sort(),
      ...(row.role === 'linked' ? { match: { rule: row.match_rule ?? '', score: Number(row.match_score ?? 0), pendingReview: false } } : {}),
    };
  }

  /** What a partner sees of an item waiting for review: no document, no version yet. */
  async function pendingStateOf(db: Knex, partnerKey: string, externalId: string): Promise<PartnerEventState | null> {
    // Only rows of a push waiting for review; a row with a document_id pairs an event the push
    // made with an unpublished one it may duplicate, which is for editors only.
    const [best] = (await pendingCandidates(db, 'event', partnerKey, externalId)).filter((candidate) => !candidate.document_id);
    if (!best) return null;
    return {
      externalId,
      documentId: null,
      version: 0,
      etag: `"0-${(best.payload_hash ?? '').slice(0, 16)}-r"`,
      withdrawn: false,
      published: false,
      locales: [],
      match: { rule: best.rule, score: Number(best.score), pendingReview: true },
    };
  }

  const matchSettings = (): MatchSettings => strapi.config.get('partner-matching') as MatchSettings;

  /**
   * A linked partner owns only what the organiser of record says: when the event is an
   * editor's (no origin partner) and one of its organisers is the partner's own organisation,
   * its times, status, attendance and venue follow the partner's push. Texts, people, topics
   * and organisers stay as the editor (or the origin partner) wrote them. Returns whether it
   * wrote anything.
   */
  async function applyOwnedFields(
    partner: VerifiedPartner,
    documentId: string,
    event: EventPayload,
    identities: IdentityResolver,
  ): Promise<boolean> {
    if (!partner.organisationSlug) return false;
    const rows = (await strapi.db.query(EVENT).findMany({
      select: ['locale', 'publishedAt', 'sourcePartner'],
      where: { documentId },
      populate: { organisers: { select: ['slug'] } },
    })) as Array<{ locale: string; publishedAt: unknown; sourcePartner: string | null; organisers?: Array<{ slug: string }> }>;
    if (rows.length === 0 || rows.some((row) => row.sourcePartner)) return false;
    const organiserOfRecord = rows.some((row) => (row.organisers ?? []).some((organiser) => organiser.slug === partner.organisationSlug));
    if (!organiserOfRecord) return false;
    const venue = event.venue ? (await identities.venue(event.venue)).documentId : null;
    const owned = whenAndWhere(event, venue);
    const events = strapi.documents(EVENT);
    const locales = [...new Set(rows.map((row) => row.locale))];
    const published = new Set(rows.filter((row) => row.publishedAt).map((row) => row.locale));
    for (const locale of locales) await events.update({ documentId, locale, data: owned as EventData });
    // Only what was public before becomes public again: an editor's draft locale stays a draft.
    for (const locale of locales) if (published.has(locale)) await events.publish({ documentId, locale });
    return true;
  }

  /**
   * A link made, made again or dropped changes the linked partner's programme (the calendar's
   * `partner` filter lists linked events) but not the event: logged as an update of the event's
   * public locales, so the response cache, CDNs and feed readers see it. Not when `changed`: the
   * owned fields were just written and published, which logged the event already.
   */
  async function logProgrammeChange(trx: Knex, onCommit: OnCommit, documentId: string, changed = false): Promise<void> {
    if (changed) return;
    const rows = (await strapi.db.query(EVENT).findMany({ select: ['locale'], where: { documentId, publishedAt: { $notNull: true } } })) as Array<{ locale: string }>;
    const changes = [...new Set(rows.map((row) => row.locale))].sort().map((locale) => ({ contentType: EVENT, documentId, locale, action: 'updated' as const }));
    await appendChanges(strapi, trx as Knex.Transaction, changes, onCommit);
  }

  /** Topic slugs to documentIds; an unknown slug is the caller's error. */
  async function topicIds(slugs: string[]): Promise<string[]> {
    if (slugs.length === 0) return [];
    const rows = (await strapi.db.query(TOPIC).findMany({
      select: ['documentId', 'slug'],
      where: { slug: { $in: slugs }, locale: 'da' },
    })) as Array<{ documentId: string; slug: string }>;
    const bySlug = new Map(rows.map((row) => [row.slug, row.documentId]));
    return slugs.map((slug, index) => {
      const id = bySlug.get(slug);
      if (!id) throw new PayloadReferenceError(['topics', index], `no topic with slug "${slug}"`);
      return id;
    });
  }

  async function festivalId(db: Knex, partnerKey: string, festival: string | undefined, self: string): Promise<string | null> {
    if (!festival) return null;
    const row = festival === self ? undefined : await mappingOf(db, partnerKey, festival);
    if (!row || !(await documentExists(row.document_id))) {
      throw new PayloadReferenceError(['festival'], `no event of yours with externalId "${festival}" (push the festival first)`);
    }
    return row.document_id;
  }

  /** A doubtful pair for the review queue; `documentId`: the event the push made, when it made one. */
  async function recordEventCandidate(db: Knex, partnerKey: string, externalId: string, candidate: EventCandidate, event: EventPayload, hash: string, documentId?: string) {
    await recordCandidate(db, {
      kind: 'event',
      partnerKey,
      externalId,
      candidateDocumentId: candidate.documentId,
      documentId: documentId ?? null,
      rule: candidate.rule,
      score: candidate.score,
      evidence: candidate.evidence,
      payload: event,
      payloadHash: hash,
    });
  }

  return {
    /** The calendar's `partner` filter (src/lib/calendar/feed-query.ts): the events this partner's pushes were linked with, not withdrawn. */
    async linkedDocumentIds(partnerKey: string): Promise<string[]> {
      const linked = (await strapi.db
        .connection(MAPPING_TABLE)
        .distinct('document_id')
        .where({ partner_key: partnerKey, role: 'linked', withdrawn_at: null })) as Array<{ document_id: string }>;
      return linked.map((row) => row.document_id);
    },

    async find(partner: VerifiedPartner, externalId: string): Promise<PartnerEventState | null> {
      const row = await mappingOf(strapi.db.connection, partner.key, externalId);
      if (!row || !(await documentExists(row.document_id))) return pendingStateOf(strapi.db.connection, partner.key, externalId);
      return stateOf(row);
    },

    /**
     * The items of a batch the partner sends again exactly as last time (same payload hash, not
     * withdrawn, the event still there), with their state: two reads for the whole batch instead
     * of a transaction per item. What is not in the map goes through `upsert`.
     */
    async unchangedStates(partner: VerifiedPartner, items: Array<{ externalId: string; hash: string }>): Promise<Map<string, PartnerEventState>> {
      const states = new Map<string, PartnerEventState>();
      if (items.length === 0) return states;
      const rows = (await strapi.db
        .connection(MAPPING_TABLE)
        .where({ partner_key: partner.key })
        .whereIn('external_id', items.map((item) => item.externalId))) as MappingRow[];
      const hashes = new Map(items.map((item) => [item.externalId, item.hash]));
      const same = rows.filter((row) => hashes.get(row.external_id) === row.payload_hash && !row.withdrawn_at);
      if (same.length === 0) return states;
      const versions = (await strapi.db.query(EVENT).findMany({
        select: ['documentId', 'locale', 'publishedAt'],
        where: { documentId: { $in: [...new Set(same.map((row) => row.document_id))] } },
      })) as Array<{ documentId: string; locale: string; publishedAt: unknown }>;
      for (const row of same) {
        const own = versions.filter((version) => version.documentId === row.document_id);
        if (own.length > 0) states.set(row.external_id, stateFrom(row, own));
      }
      return states;
    },

    async upsert(
      partner: VerifiedPartner,
      externalId: string,
      event: EventPayload,
      hash: string,
      options: { ifMatch?: string } = {},
    ): Promise<{ result: UpsertResult; state: PartnerEventState }> {
      const keys = creationKeys(partner.key, externalId, event);
      return retryOnConcurrentConflict(() => strapi.db.transaction(async ({ trx, onCommit }): Promise<{ result: UpsertResult; state: PartnerEventState }> => {
        await lockCreationKeys(trx, keys);
        let row = await mappingOf(trx, partner.key, externalId);
        if (row && !(await documentExists(row.document_id))) {
          // Deleted in the admin: the partner's next push brings it back as new.
          await trx(MAPPING_TABLE).where({ id: row.id }).delete();
          row = undefined;
        }
        if (!matchesIfMatch(options.ifMatch, row)) {
          throw new PreconditionFailedError(
            row ? `If-Match does not match the current version ${etagOf(row)}` : 'If-Match given for an event that does not exist',
          );
        }
        if (row && row.payload_hash === hash && !row.withdrawn_at) {
          return { result: 'unchanged', state: await stateOf(row) };
        }

        const publishing = partner.publishMode === 'publish';
        // People, organisations and venues this push creates are published with it when it publishes.
        const identities = new IdentityResolver(strapi, trx, partner.key, { publish: publishing, onCommit });
        const now = new Date();

        if (row && row.role === 'linked') {
          // Someone else's event: only the fields this partner owns (if any) follow its push.
          const changed = await applyOwnedFields(partner, row.document_id, event, identities);
          // A link withdrawn before is back in the partner's programme.
          if (row.withdrawn_at) await logProgrammeChange(trx, onCommit, row.document_id, changed);
          await trx(MAPPING_TABLE)
            .where({ id: row.id })
            .update({ payload_hash: hash, version: row.version + 1, withdrawn_at: null, updated_at: now });
          return { result: 'updated', state: await stateOf((await mappingOf(trx, partner.key, externalId))!) };
        }

        // The push's own ids and name keys in one read, before they are resolved one by one.
        await identities.prefetch({ organisations: event.organisers, people: event.participants, venue: event.venue });
        let unpublishedMatches: EventCandidate[] = [];
        if (!row && event.venue) {
          const match = await matchEvent(strapi, trx, MAPPING_TABLE, {
            partnerKey: partner.key,
            externalId,
            startsAt: event.startsAt,
            titles: { da: event.da.title, ...(event.en ? { en: event.en.title } : {}) },
            venue: { documentId: await identities.findVenue(event.venue), name: event.venue.name, code: event.venue.code },
          }, matchSettings());
          unpublishedMatches = match.unpublished;
          if (match.kind === 'doubtful') {
            for (const candidate of match.candidates) await recordEventCandidate(trx, partner.key, externalId, candidate, event, hash);
            await closeCandidates(trx, 'event', partner.key, externalId, 'superseded', match.candidates.map((candidate) => candidate.documentId));
            return { result: 'pending-review', state: (await pendingStateOf(trx, partner.key, externalId))! };
          }
          if (match.kind === 'confident') {
            const { candidate } = match;
            await insertMapping(trx, {
              partnerKey: partner.key,
              externalId,
              documentId: candidate.documentId,
              hash,
              role: 'linked',
              rule: candidate.rule,
              score: candidate.score,
            });
            await closeCandidates(trx, 'event', partner.key, externalId, 'superseded');
            await logProgrammeChange(trx, onCommit, candidate.documentId, await applyOwnedFields(partner, candidate.documentId, event, identities));
            return { result: 'linked', state: await stateOf((await mappingOf(trx, partner.key, externalId))!) };
          }
        }
        const organisers: string[] = [];
        for (const organiser of event.organisers) organisers.push((await identities.organisation(organiser)).documentId);
        const participants: Array<{ person: string; part: string }> = [];
        for (const participant of event.participants) {
          participants.push({ person: (await identities.person(participant)).documentId, part: participant.part });
        }
        const venue = event.venue ? (await identities.venue(event.venue)).documentId : null;

        const shared = {
          ...whenAndWhere(event, venue),
          kind: event.kind,
          programmeUrl: event.programmeUrl ?? null,
          sourcePartner: partner.key,
          externalId,
          parent: await festivalId(trx, partner.key, event.festival, externalId),
          organisers,
          topics: await topicIds(event.topics),
        };
        const localised = (texts: EventPayload['da']) => ({
          title: texts.title,
          summary: texts.summary ?? null,
          description: paragraphs(texts.description),
          participants,
        });

        let documentId: string;
        if (row) {
          documentId = row.document_id;
          const events = strapi.documents(EVENT);
          await events.update({ documentId, locale: 'da', data: { ...shared, ...localised(event.da) } as EventData });
          if (event.en) {
            await events.update({ documentId, locale: 'en', data: { ...shared, ...localised(event.en) } as EventData });
          } else {
            // The body is the whole event: no English texts now means no English version.
            const hasEnglish = await strapi.db.query(EVENT).findOne({ select: ['id'], where: { documentId, locale: 'en' } });
            if (hasEnglish) await events.delete({ documentId, locale: 'en' });
          }
          if (publishing) await events.publish({ documentId, locale: '*' });
        } else {
          // A new event: its rows written in one pass (event-writer.ts), as the Document Service would.
          const texts = (locale: string, payload: EventPayload['da']) => ({ locale, ...localised(payload) });
          documentId = await createEventDocument(strapi, trx as Knex.Transaction, onCommit, {
            shared,
            locales: [texts('da', event.da), ...(event.en ? [texts('en', event.en)] : [])],
          }, { publish: publishing });
        }

        if (row) {
          await trx(MAPPING_TABLE)
            .where({ id: row.id })
            .update({ payload_hash: hash, version: row.version + 1, withdrawn_at: null, updated_at: now });
          return { result: 'updated', state: await stateOf((await mappingOf(trx, partner.key, externalId))!) };
        }
        const mapping = await insertMapping(trx, { partnerKey: partner.key, externalId, documentId, hash, role: 'origin', rule: 'new', score: 0 });
        // A doubtful push made again without its doubt (another title, another time) is new.
        await closeCandidates(trx, 'event', partner.key, externalId, 'superseded');
        // Made as if no unpublished event were there (the partner cannot know of one); an editor
        // is asked whether the new event is one of them, and may merge the two.
        for (const candidate of unpublishedMatches) await recordEventCandidate(trx, partner.key, externalId, candidate, event, hash, documentId);
        // The state of what this transaction just wrote: no need to read it back.
        const status = publishing ? { publishedAt: now } : { publishedAt: null };
        const versions = ['da', ...(event.en ? ['en'] : [])].map((locale) => ({ locale, ...status }));
        return { result: 'created', state: stateFrom(mapping, versions) };
      }), (error, attempt) => {
        strapi.log.warn(
          `partner push ${partner.key}/${externalId}: another write got in the way (${(error as Error).message}); running it again (attempt ${attempt + 1})`,
        );
      });
    },

    /**
     * An editor's answer to a doubtful push (review queue, "the same"): links the externalId to
     * `documentId` as a confident match would have, with the fields the partner owns applied.
     */
    async linkReviewed(partner: VerifiedPartner, externalId: string, documentId: string, event: EventPayload, hash: string, match: { rule: string; score: number }) {
      return strapi.db.transaction(async ({ trx, onCommit }) => {
        await lockCreationKeys(trx, [eventKey(partner.key, externalId)]);
        const row = await mappingOf(trx, partner.key, externalId);
        if (row && (await documentExists(row.document_id))) {
          throw new PreconditionFailedError(`${partner.key}/${externalId} already has an event (${row.document_id})`);
        }
        if (row) await trx(MAPPING_TABLE).where({ id: row.id }).delete();
        await insertMapping(trx, { partnerKey: partner.key, externalId, documentId, hash, role: 'linked', rule: match.rule, score: match.score });
        await closeCandidates(trx, 'event', partner.key, externalId, 'superseded');
        const identities = new IdentityResolver(strapi, trx, partner.key, { publish: partner.publishMode === 'publish', onCommit });
        await logProgrammeChange(trx, onCommit, documentId, await applyOwnedFields(partner, documentId, event, identities));
        return stateOf((await mappingOf(trx, partner.key, externalId))!);
      });
    },

    /** Unpublishes the event (both locales); the draft stays for editors. Null when not the partner's. */
    async withdraw(partner: VerifiedPartner, externalId: string, options: { ifMatch?: string } = {}) {
      return strapi.db.transaction(async ({ trx, onCommit }) => {
        // Serialised with pushes of the same event: versions and ETags stay one per change.
        await lockCreationKeys(trx, [eventKey(partner.key, externalId)]);
        const row = await mappingOf(trx, partner.key, externalId);
        if (!row || !(await documentExists(row.document_id))) {
          // Waiting for review: withdrawing takes it out of the queue; there is nothing public.
          const pending = await pendingStateOf(trx, partner.key, externalId);
          if (!pending) return null;
          await closeCandidates(trx, 'event', partner.key, externalId, 'withdrawn');
          return { result: 'withdrawn' as const, state: { ...pending, withdrawn: true } };
        }
        if (!matchesIfMatch(options.ifMatch, row)) {
          throw new PreconditionFailedError(`If-Match does not match the current version ${etagOf(row)}`);
        }
        if (row.withdrawn_at) return { result: 'unchanged' as const, state: await stateOf(row) };
        // A linked partner withdraws its link, not the event: it is an editor's or another partner's.
        if (row.role !== 'linked') await strapi.documents(EVENT).unpublish({ documentId: row.document_id, locale: '*' });
        await trx(MAPPING_TABLE)
          .where({ id: row.id })
          .update({ version: row.version + 1, withdrawn_at: new Date(), updated_at: new Date() });
        // The event stays; it leaves the partner's programme.
        if (row.role === 'linked') await logProgrammeChange(trx, onCommit, row.document_id);
        const saved = (await mappingOf(trx, partner.key, externalId))!;
        return { result: 'withdrawn' as const, state: await stateOf(saved) };
      });
    },
  };
};

/** The service's methods: `strapi.service('api::partner.partner-event') as PartnerEventService`. */
export type PartnerEventService = ReturnType<typeof partnerEventService>;

export default partnerEventService;
