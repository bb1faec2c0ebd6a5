/**
 * The date-times a partner may push, and what we answer for the rest. Written down when issue 11
 * weighed zod's `z.iso.datetime({ offset: true, local: true })` against our two patterns: zod
 * 4.6 refuses minutes with an offset (14:00+02:00), accepts more than three decimals, and refuses
 * impossible dates (13th month, 30 February, 24:00) as badly formatted, where partners are told
 * "is not a real time". These fix today's answers so a swap cannot change them unseen.
 * No app needed.
 */
import { parseEventPayload } from '../../src/api/partner/sync/payload';

const FORMAT_MESSAGE =
  'must be an ISO 8601 date-time, with an offset (2023-06-16T11:30:00+02:00) or local to timeZone (2023-06-16T11:30)';
const eventStarting = (startsAt: unknown) => ({ startsAt, timeZone: 'Europe/Copenhagen', da: { title: 'Debat på Folkemødet' } });

it.each([
  ['2024-06-13T14:00', '2024-06-13T12:00:00.000Z'],
  ['2024-06-13T14:00:30', '2024-06-13T12:00:30.000Z'],
  ['2024-06-13T14:00:30.5', '2024-06-13T12:00:30.500Z'],
  ['2024-06-13T14:00+02:00', '2024-06-13T12:00:00.000Z'],
  ['2024-06-13T14:00:00.123Z', '2024-06-13T14:00:00.123Z'],
  ['2024-06-13T14:00:00-00:00', '2024-06-13T14:00:00.000Z'],
])('accepts %s as the instant %s', (startsAt, instant) => {
  const parsed = parseEventPayload(eventStarting(startsAt));
  expect(parsed.ok && parsed.event.startsAt).toBe(instant);
});

it.each([
  ['2024-06-13T14:00:00.1234'],
  ['2024-06-13T14:00:00+0200'],
  ['2024-06-13T14:00:00+02'],
  ['2024-06-13 14:00'],
  ['2024-06-13t14:00'],
  ['2024-06-13T14:00:00z'],
  ['2024-06-13'],
])('refuses %s as badly formatted, naming the formats it takes', (startsAt) => {
  expect(parseEventPayload(eventStarting(startsAt))).toMatchObject({
    ok: false,
    errors: [{ pointer: '/startsAt', message: FORMAT_MESSAGE }],
  });
});

it.each([['2024-13-01T10:00'], ['2024-02-30T10:00'], ['2024-06-13T24:00'], ['2024-06-13T14:00:60+02:00'], ['2024-13-01T10:00Z']])(
  'refuses %s as no real time, not as badly formatted',
  (startsAt) => {
    expect(parseEventPayload(eventStarting(startsAt))).toMatchObject({
      ok: false,
      errors: [{ pointer: '/startsAt', message: 'is not a real time in Europe/Copenhagen' }],
    });
  },
);
