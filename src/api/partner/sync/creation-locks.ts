/**
 * Owns one guarantee: two partner pushes running at the same time (same or different partners,
 * same or different app instances) that name the same new person, organisation or venue, or the
 * same event, end with one document, and both succeed.
 *
 * A push looks a record up and creates it when not found. Two pushes doing that side by side
 * both miss, and then either both create (two "Mette Harbo"s) or the later one's slug check sees
 * the first's committed slug and Strapi refuses it ("This attribute must be unique" /slug).
 *
 * So on PostgreSQL a push first takes a transaction-scoped advisory lock for every key under
 * which it might create something: the event's (partner, externalId), each name it carries
 * (normalised, and as the slug it would get), each partner id for a record. Locks are taken in
 * one sorted order, so two pushes never wait on each other in a circle, and held to commit: the
 * second push's lookups run after the first committed (READ COMMITTED sees it) and find what it
 * made. Pushes with nothing in common never wait for each other. SQLite needs none of this: it
 * has one writer at a time and a push's lookups and creates run in its one transaction.
 *
 * What a lock cannot cover (an editor creating a document with the same slug in the admin at
 * that very moment) is caught by `isConcurrentWriteConflict`, and the push is run again.
 */
import { createHash } from 'crypto';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';
import { isPostgres } from '../../../lib/db/dialect';
import { slugify } from '../../../lib/slug';
import { normaliseName } from '../matching/identities';
import { organisationKey } from '../matching/names';
import type { EventPayload } from './payload';

/** The first key of every partner-push lock ("push" in ASCII); the change log's lock is a single bigint, another key space. */
const LOCK_NAMESPACE = 0x70757368;

/** The key of one partner's event: pushes and withdrawals of it take turns. */
export const eventKey = (partnerKey: string, externalId: string) => `event|${partnerKey}|${externalId}`;

/** Every key under which this push may create or change something, as text. */
export function creationKeys(partnerKey: string, externalId: string, event: EventPayload): string[] {
  const keys = [eventKey(partnerKey, externalId)];
  const named = (kind: string, name: string, ownId?: string) => {
    keys.push(`${kind}|name|${normaliseName(name)}`, `${kind}|slug|${slugify(name)}`);
    if (ownId) keys.push(`${kind}|id|${partnerKey}|${ownId}`);
  };
  for (const texts of [event.da, event.en]) if (texts) keys.push(`event|slug|${slugify(texts.title)}`);
  // Organisations under their matching key (names.ts), so "KL (Kommunernes Landsforening)" and
  // "Kommunernes Landsforening KL" pushed side by side wait for each other.
  const organisation = (name: string, ownId?: string) => {
    named('organisation', name, ownId);
    const key = organisationKey(name);
    if (key.name) keys.push(`organisation|key|${key.name}`);
    if (key.acronym) keys.push(`organisation|acronym|${key.acronym}`);
  };
  for (const organiser of event.organisers) organisation(organiser.name, organiser.id);
  for (const participant of event.participants) {
    if (participant.organisation) organisation(participant.organisation);
    named('person', participant.name, participant.id);
  }
  if (event.venue) {
    named('venue', event.venue.name, event.venue.id);
    if (event.venue.nameEn) named('venue', event.venue.nameEn);
    // Event matching looks for the same debate at this venue that day: two sources pushing it
    // side by side must not both miss the other and create it twice.
    const day = event.startsAt.slice(0, 10);
    keys.push(`event|slot|${normaliseName(event.venue.name)}|${day}`);
    if (event.venue.code) keys.push(`event|slot-code|${normaliseName(event.venue.code)}|${day}`);
  }
  return keys;
}

/** A key as the int4 PostgreSQL's two-key advisory lock takes. */
function lockId(key: string): number {
  return createHash('sha1').update(key).digest().readInt32BE(0);
}

/**
 * Takes the locks for `keys` in `trx` (PostgreSQL), held until it commits or rolls back.
 * Call it first in the transaction, before any lookup.
 */
export async function lockCreationKeys(trx: Knex, keys: string[]): Promise<void> {
  if (!isPostgres(trx) || keys.length === 0) return;
  // Sorted and deduplicated: every push locks in the same order. One statement; PostgreSQL
  // evaluates a select list left to right.
  const ids = [...new Set(keys.map(lockId))].sort((a, b) => a - b);
  const calls = ids.map(() => 'pg_advisory_xact_lock(?, ?)').join(', ');
  await trx.raw(`select ${calls}`, ids.flatMap((id) => [LOCK_NAMESPACE, id]));
}

const UNIQUE_MESSAGE = 'This attribute must be unique';
/** PostgreSQL: unique_violation, deadlock_detected, serialization_failure. */
const RETRYABLE_SQLSTATES = new Set(['23505', '40P01', '40001']);

/**
 * True for an error that another writer running beside this one caused, which the same write
 * run again would not meet: a slug Strapi found taken (partners never send slugs, so a taken
 * slug is always someone else's concurrent write), a unique violation, a deadlock.
 */
export function isConcurrentWriteConflict(error: unknown): boolean {
  if (error instanceof errors.ValidationError) {
    const details = (error.details as { errors?: Array<{ message?: string }> } | undefined)?.errors ?? [];
    return details.length > 0 ? details.every((detail) => detail.message === UNIQUE_MESSAGE) : error.message === UNIQUE_MESSAGE;
  }
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (RETRYABLE_SQLSTATES.has(code) || code === 'SQLITE_CONSTRAINT_UNIQUE')) return true;
  return typeof message === 'string' && /duplicate key value violates unique constraint|UNIQUE constraint failed|deadlock detected/i.test(message);
}

/** How often a push is tried in all when another writer got in the way. */
export const CONFLICT_ATTEMPTS = 4;

/**
 * Runs `write` (one whole transaction) again, after a short random pause, while it fails with a
 * concurrent-write conflict; `onRetry` hears of each (the caller logs it).
 */
export async function retryOnConcurrentConflict<T>(
  write: () => Promise<T>,
  onRetry: (error: unknown, attempt: number) => void = () => undefined,
  attempts = CONFLICT_ATTEMPTS,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || !isConcurrentWriteConflict(error)) throw error;
      onRetry(error, attempt);
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
