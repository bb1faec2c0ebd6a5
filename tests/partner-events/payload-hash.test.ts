/**
 * Payload hashes are stored (unchanged-push detection, Idempotency-Key replays), so the canonical
 * JSON under them must never change. Since issue 11 it comes from `canonicalize` (RFC 8785, the
 * JSON Canonicalization Scheme) instead of our own serialiser; these tests show the two write the
 * same bytes for every value we hash: JSON parsed from a request body, and a payload after zod.
 * No app needed.
 */
import { createHash } from 'crypto';
import fc from 'fast-check';
import { canonicalJson } from '../../src/lib/json/canonical';
import { hashOf, parseEventPayload } from '../../src/api/partner/sync/payload';

/** The serialiser used before issue 11 (src/lib/json/canonical.ts), kept here as the reference. */
function canonicalJsonBeforeIssue11(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJsonBeforeIssue11).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJsonBeforeIssue11(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
const hashBeforeIssue11 = (value: unknown) => createHash('sha256').update(canonicalJsonBeforeIssue11(value)).digest('hex');

// Any JSON text a client can send, parsed: every number JSON can carry (exponents, -0, huge and
// tiny doubles), any string (lone surrogates, control characters, any key order).
const anyParsedJson = fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown);

it('writes the same bytes as the serialiser before it for any parsed JSON value', () => {
  fc.assert(
    fc.property(anyParsedJson, (value) => {
      expect(canonicalJson(value)).toBe(canonicalJsonBeforeIssue11(value));
    }),
    { numRuns: 2000 },
  );
});

it('writes the same bytes for objects with undefined members (optional fields zod leaves out)', () => {
  const withGaps = fc.dictionary(fc.string(), fc.oneof(fc.constant(undefined), fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()));
  fc.assert(
    fc.property(fc.array(withGaps, { maxLength: 4 }), withGaps, (list, record) => {
      const value = { list, record };
      expect(canonicalJson(value)).toBe(canonicalJsonBeforeIssue11(value));
    }),
  );
});

const partnerEvent = {
  startsAt: '2024-06-13T14:00',
  endsAt: '2024-06-13T15:00+02:00',
  timeZone: 'Europe/Copenhagen',
  venue: { id: 'tent-7', name: 'Telt 7, Kæmpestranden', city: 'Allinge', latitude: 55.2741, longitude: 14.8036 },
  organisers: [{ name: 'CO-PI', website: 'https://co-pi.dk' }],
  participants: [{ id: 'p-41', name: 'Jonas Kirk', organisation: 'COPI', part: 'moderator' }],
  topics: ['innovative-offentlige-indkoeb'],
  da: { title: 'Tør vi købe det nye?', description: 'Første afsnit.\n\nAndet afsnit "citeret" \u2028 og emoji 🎪.' },
  en: { title: 'Dare we buy the new?' },
};

it('hashes a partner event exactly as before (the hash stored for it stays valid)', () => {
  const parsed = parseEventPayload(partnerEvent);
  expect(parsed.ok).toBe(true);
  if (!parsed.ok) return;
  expect(parsed.hash).toBe(hashBeforeIssue11(parsed.event));
  // Pinned: computed with the serialiser before issue 11, so a change of library shows here.
  expect(parsed.hash).toBe('79944c370a33ad26055f75c4adb7c2a85234d203b5b5d99d96f14039d37f98e5');
});

it('hashes an idempotent request exactly as before', () => {
  const request = { method: 'PUT', path: '/api/partner/events/ev-1', body: JSON.parse(JSON.stringify(partnerEvent)) };
  expect(hashOf(request)).toBe(hashBeforeIssue11(request));
  expect(hashOf(request)).toBe('e18f4b2f9e10709af4f4f35a7ff9e9baf9df94c629c9c3fd3cd1bc91949a9dd2');
});
