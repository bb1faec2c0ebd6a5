/**
 * The shape of an event a partner pushes: both locales' texts in one body, times with an
 * offset or as wall-clock times in `timeZone`, and the people, organisations and venue by
 * name (matched to ours later). Validation names every bad field with a JSON pointer.
 */
import { createHash } from 'crypto';
import { z } from 'zod';
import { DEFAULT_TIME_ZONE, isValidTimeZone } from '../../../lib/time/zones';
import { localDateTimeToInstant } from '../../../lib/time/format';
import { fieldErrors, type FieldError } from '../../../lib/validation/field-errors';
import { canonicalJson } from '../../../lib/json/canonical';

export const MAX_BATCH_SIZE = 500;

// Our own patterns, not zod's `z.iso.datetime({ offset: true, local: true })`: zod 4.6 refuses
// minutes with an offset (14:00+02:00, which partners send), accepts more than three decimals,
// and calls an impossible date (30 February, 24:00) badly formatted where we answer "is not a
// real time in <zone>" (tests/partner-events/payload-dates.test.ts).
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;
const DATE_TIME_HINT = 'an ISO 8601 date-time, with an offset (2023-06-16T11:30:00+02:00) or local to timeZone (2023-06-16T11:30)';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).optional();
const externalId = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[A-Za-z0-9._:~-]+$/, 'may contain letters, digits and . _ : ~ - only');
const httpUrl = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL');

const localisedTexts = z.strictObject({
  title: text(200),
  summary: optionalText(600),
  /** Plain text; blank lines separate paragraphs. */
  description: optionalText(20000),
});

const organisationRef = z.strictObject({
  /** The partner's own id for the organisation, remembered for later pushes. */
  id: externalId.optional(),
  name: text(200),
  website: httpUrl.optional(),
});

const participant = z.strictObject({
  id: externalId.optional(),
  name: text(160),
  organisation: optionalText(200),
  title: optionalText(160),
  part: z.enum(['moderator', 'panelist', 'speaker']).default('panelist'),
});

const venue = z.strictObject({
  id: externalId.optional(),
  name: text(200),
  nameEn: optionalText(200),
  /** The festival's code for the place ("J5"); with the start time it finds the same event from another source. */
  code: z.string().trim().min(1, 'must not be empty').max(20, 'must be at most 20 characters').optional(),
  address: optionalText(300),
  city: optionalText(120),
  area: optionalText(120),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
});

// The contract's JSON Schema cannot run the refinement: it gets the two patterns as one (meta).
const DATE_TIME_PATTERN = `^(?:${WITH_OFFSET.source.slice(1, -1)}|${WITHOUT_OFFSET.source.slice(1, -1)})$`;
const dateTime = z
  .string()
  .refine((value) => WITH_OFFSET.test(value) || WITHOUT_OFFSET.test(value), `must be ${DATE_TIME_HINT}`)
  .meta({ description: DATE_TIME_HINT, pattern: DATE_TIME_PATTERN });

/** The fields of a pushed event, before its times become instants (also the contract's body, src/contract/). */
export const eventFieldsSchema = z.strictObject({
  startsAt: dateTime,
  endsAt: dateTime.optional(),
  timeZone: z
    .string()
    .refine(isValidTimeZone, 'must be an IANA time zone, such as Europe/Copenhagen')
    .default(DEFAULT_TIME_ZONE)
    .describe('the IANA zone of times given without an offset'),
  kind: z.enum(['debate', 'conference', 'workshop', 'webinar', 'festival']).default('debate'),
  status: z.enum(['scheduled', 'cancelled', 'postponed', 'rescheduled', 'moved_online']).default('scheduled'),
  attendanceMode: z.enum(['offline', 'online', 'mixed']).default('offline'),
  programmeUrl: httpUrl.optional(),
  /** The partner's externalId of the festival this event belongs to (pushed before it). */
  festival: externalId.optional(),
  venue: venue.optional(),
  organisers: z.array(organisationRef).max(20, 'at most 20 organisers').default([]),
  participants: z.array(participant).max(100, 'at most 100 participants').default([]),
  /** Slugs of our topics. */
  topics: z.array(z.string().min(1).max(120)).max(20, 'at most 20 topics').default([]),
  da: localisedTexts,
  en: localisedTexts.optional(),
});

export const eventPayloadSchema = eventFieldsSchema.transform((event, context) => {
  // Times become UTC instants here, so the rest of the code never sees a wall-clock time.
  const instant = (value: string, field: 'startsAt' | 'endsAt') => {
    const date = WITH_OFFSET.test(value) ? new Date(value) : localDateTimeToInstant(value, event.timeZone);
    if (!date || Number.isNaN(date.getTime())) {
      context.addIssue({ code: 'custom', path: [field], message: `is not a real time in ${event.timeZone}` });
      return z.NEVER;
    }
    return date.toISOString();
  };
  const startsAt = instant(event.startsAt, 'startsAt');
  const endsAt = event.endsAt === undefined ? undefined : instant(event.endsAt, 'endsAt');
  if (typeof startsAt === 'string' && typeof endsAt === 'string' && endsAt < startsAt) {
    context.addIssue({ code: 'custom', path: ['endsAt'], message: 'must not be before startsAt' });
  }
  return { ...event, startsAt, endsAt };
});

export type EventPayload = z.output<typeof eventPayloadSchema>;
export type ParticipantRef = EventPayload['participants'][number];
export type OrganisationRef = EventPayload['organisers'][number];
export type VenueRef = NonNullable<EventPayload['venue']>;

export const externalIdSchema = externalId;

export type ParseResult = { ok: true; event: EventPayload; hash: string } | { ok: false; errors: FieldError[] };

/** Validates a body; `hash` identifies its meaning (key order and defaults do not matter). */
export function parseEventPayload(body: unknown, prefix: Array<string | number> = []): ParseResult {
  const result = eventPayloadSchema.safeParse(body);
  if (!result.success) return { ok: false, errors: fieldErrors(result.error, prefix) };
  return { ok: true, event: result.data, hash: hashOf(result.data) };
}

/** SHA-256 of canonical JSON (keys sorted at every level). */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
