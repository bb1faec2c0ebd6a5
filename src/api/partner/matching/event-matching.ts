/**
 * Owns one decision: is the event a partner pushes for the first time one the hub already has
 * (an editor's, or another partner's)? It is when another event
 * - starts at the same instant, give or take `startToleranceMinutes` (config/partner-matching.ts),
 * - at the same venue: the same venue record, the same venue code ("J5"), or the same
 *   normalised venue name,
 * - with a similar title: `titleSimilarity` (names.ts, Levenshtein from fastest-levenshtein on
 *   folded titles) of the Danish titles (the primary language; two events may share an English
 *   working title), or of the English ones when the existing event has no Danish version.
 * At or above `titleConfident` it is a confident match (linked at once); from `titleDoubtful`
 * it is doubtful (stored for review, nothing public made); below that, another event. Two
 * confident candidates at once are doubtful too: which one is for an editor to say. An event an
 * editor said this item is not (review queue, "not the same") is never a candidate again. Events this
 * partner already pushed under another externalId are never candidates (the partner itself says
 * they are different). No venue in the push, no match: the time alone says too little.
 *
 * What the partner is told is decided on the events it could read, the published ones: an
 * editor's embargoed draft, or another partner's unpublished event, must not change the answer
 * (a `linked` with its documentId, or a `pending-review` with a score, told a partner that such an
 * event exists and how close its title is: issue 29). Those are returned apart, as `unpublished`,
 * for the editors' review queue only.
 *
 * Reads only; the caller links, records or creates.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { normaliseText, titleSimilarity } from './names';
import { CANDIDATE_TABLE } from './match-candidates';

const EVENT = 'api::event.event';

export interface MatchSettings {
  startToleranceMinutes: number;
  titleConfident: number;
  titleDoubtful: number;
}

export interface EventMatchInput {
  partnerKey: string;
  /** The partner's id of the pushed item: events an editor said it is not are left out. */
  externalId?: string;
  startsAt: string;
  titles: { da: string; en?: string };
  venue: { documentId: string | null; name: string; code?: string };
}

export interface EventCandidate {
  documentId: string;
  rule: string;
  score: number;
  evidence: {
    pushed: { titles: { da: string; en?: string }; startsAt: string; venue: { name: string; code: string | null } };
    existing: { documentId: string; titles: Record<string, string>; startsAt: string; venue: { name: string; code: string | null }; sourcePartner: string | null };
    startDifferenceMinutes: number;
    titleScore: number;
    venueRule: string;
  };
}

export type EventMatch = (
  | { kind: 'none' }
  | { kind: 'confident'; candidate: EventCandidate }
  | { kind: 'doubtful'; candidates: EventCandidate[] }
) & {
  /** Candidates without a published version (drafts): never part of the decision, for editors only. */
  unpublished: EventCandidate[];
};

const NONE: EventMatch = { kind: 'none', unpublished: [] };

interface EventRow {
  documentId: string;
  locale: string;
  title: string;
  /** As the driver returns it: a Date (PostgreSQL) or epoch milliseconds (SQLite). */
  startsAt: string | number | Date;
  sourcePartner: string | null;
  venue?: { documentId: string; name: string; code: string | null } | null;
}

export async function matchEvent(
  strapi: Core.Strapi,
  knex: Knex,
  mappingTable: string,
  input: EventMatchInput,
  settings: MatchSettings,
): Promise<EventMatch> {
  const start = new Date(input.startsAt).getTime();
  const tolerance = settings.startToleranceMinutes * 60_000;
  // Cheap first: the events in the window (index on starts_at), without relations, leaving out
  // in the same statement this partner's own events and those an editor said this item is not;
  // most pushes stop here. Dates are bound as Date objects, as Strapi's query engine binds them.
  const meta = strapi.db.metadata.get(EVENT);
  const table = meta.tableName;
  const column = (field: string) => (meta.attributes[field] as { columnName?: string } | undefined)?.columnName ?? field;
  const query = knex(table)
    .select({
      documentId: column('documentId'),
      locale: column('locale'),
      title: column('title'),
      startsAt: column('startsAt'),
      sourcePartner: column('sourcePartner'),
    })
    .whereNull(column('publishedAt'))
    .whereBetween(column('startsAt'), [new Date(start - tolerance), new Date(start + tolerance)])
    .whereNotExists(function ownEvent() {
      this.select(1).from(mappingTable).where('partner_key', input.partnerKey).whereRaw('??.document_id = ??.??', [mappingTable, table, column('documentId')]);
    });
  if (input.externalId) {
    const { externalId } = input;
    // "Not the same", an editor said of this item and that event.
    query.whereNotExists(function dismissed() {
      this.select(1)
        .from(CANDIDATE_TABLE)
        .where({ kind: 'event', partner_key: input.partnerKey, external_id: externalId, status: 'dismissed' })
        .whereRaw('??.candidate_document_id = ??.??', [CANDIDATE_TABLE, table, column('documentId')]);
    });
  }
  const rows = (await query) as EventRow[];
  if (rows.length === 0) return NONE;

  // One entry per document, with the titles of all its locales.
  const documents = new Map<string, { titles: Record<string, string>; row: EventRow; venue: EventRow['venue'] }>();
  for (const row of rows) {
    const entry = documents.get(row.documentId) ?? { titles: {}, row, venue: null };
    entry.titles[row.locale] = row.title;
    documents.set(row.documentId, entry);
  }

  const titleScores = new Map<string, number>();
  for (const [documentId, { titles }] of documents) {
    const score =
      titles.da !== undefined
        ? titleSimilarity(input.titles.da, titles.da)
        : input.titles.en !== undefined && titles.en !== undefined
          ? titleSimilarity(input.titles.en, titles.en)
          : 0;
    if (score >= settings.titleDoubtful) titleScores.set(documentId, score);
  }
  if (titleScores.size === 0) return NONE;

  // Then the venues of those whose title is close enough.
  const withVenues = (await strapi.db.query(EVENT).findMany({
    select: ['documentId'],
    where: { publishedAt: null, documentId: { $in: [...titleScores.keys()] } },
    populate: { venue: { select: ['documentId', 'name', 'code'] } },
  })) as Array<{ documentId: string; venue?: EventRow['venue'] }>;
  for (const row of withVenues) {
    const entry = documents.get(row.documentId);
    if (entry && !entry.venue && row.venue) entry.venue = row.venue;
  }

  const candidates: EventCandidate[] = [];
  for (const [documentId, titleScore] of titleScores) {
    const { titles, row, venue } = documents.get(documentId)!;
    if (!venue) continue;
    const venueRule =
      input.venue.documentId && venue.documentId === input.venue.documentId
        ? 'same-venue'
        : input.venue.code && venue.code && normaliseText(input.venue.code) === normaliseText(venue.code)
          ? 'same-venue-code'
          : normaliseText(input.venue.name) === normaliseText(venue.name)
            ? 'same-venue-name'
            : null;
    if (!venueRule) continue;
    const startsAt = new Date(row.startsAt).toISOString();
    const startDifferenceMinutes = Math.abs(new Date(startsAt).getTime() - start) / 60_000;
    candidates.push({
      documentId,
      rule: `same-start+${venueRule}+similar-title`,
      score: Math.round(titleScore * 1000) / 1000,
      evidence: {
        pushed: { titles: input.titles, startsAt: new Date(start).toISOString(), venue: { name: input.venue.name, code: input.venue.code ?? null } },
        existing: { documentId, titles, startsAt, venue: { name: venue.name, code: venue.code ?? null }, sourcePartner: row.sourcePartner ?? null },
        startDifferenceMinutes,
        titleScore,
        venueRule,
      },
    });
  }
  if (candidates.length === 0) return NONE;
  const published = new Set(
    (
      (await knex(table)
        .distinct({ documentId: column('documentId') })
        .whereIn(column('documentId'), candidates.map((candidate) => candidate.documentId))
        .whereNotNull(column('publishedAt'))) as Array<{ documentId: string }>
    ).map((row) => row.documentId),
  );
  const byScore = (a: EventCandidate, b: EventCandidate) => b.score - a.score || a.documentId.localeCompare(b.documentId);
  const unpublished = candidates.filter((candidate) => !published.has(candidate.documentId)).sort(byScore);
  const visible = candidates.filter((candidate) => published.has(candidate.documentId)).sort(byScore);
  const confident = visible.filter((candidate) => candidate.evidence.titleScore >= settings.titleConfident);
  if (confident.length === 1) return { kind: 'confident', candidate: confident[0]!, unpublished };
  if (confident.length > 1) {
    return { kind: 'doubtful', candidates: confident.map((candidate) => ({ ...candidate, rule: `${candidate.rule}+ambiguous` })), unpublished };
  }
  return visible.length > 0 ? { kind: 'doubtful', candidates: visible, unpublished } : { kind: 'none', unpublished };
}
