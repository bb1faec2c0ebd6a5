/**
 * Rules every event obeys, whoever writes it (admin, seed, partner sync): the time zone is a
 * real IANA zone, its times are real date-times, and it does not end before it starts. A write
 * rule (src/lib/write-rules/), so no write path can skip it; a broken rule is a ValidationError
 * naming the field, which the admin shows on that field and the APIs answer with 400.
 */
import { errors } from '@strapi/utils';
import { isValidTimeZone } from '../../lib/time/zones';
import { WRITE_PATHS, type WriteRule } from '../../lib/write-rules/registry';

const EVENT_UID = 'api::event.event';

interface EventTimes {
  startsAt?: string | Date | null;
  endsAt?: string | Date | null;
  timeZone?: string | null;
}

function fail(field: keyof EventTimes, message: string): never {
  throw new errors.ValidationError(message, {
    errors: [{ path: [field], message, name: 'ValidationError', value: undefined }],
  });
}

export function checkEventTimes(times: EventTimes): void {
  for (const field of ['startsAt', 'endsAt'] as const) {
    const value = times[field];
    if (value != null && Number.isNaN(new Date(value).getTime())) {
      fail(field, `${field} must be an ISO 8601 date-time with an offset, such as 2023-06-16T11:30:00+02:00`);
    }
  }
  if (times.timeZone != null && !isValidTimeZone(times.timeZone)) {
    fail('timeZone', `timeZone "${times.timeZone}" is not an IANA time zone (for example Europe/Copenhagen)`);
  }
  if (times.startsAt && times.endsAt && new Date(times.endsAt).getTime() < new Date(times.startsAt).getTime()) {
    fail('endsAt', 'endsAt must not be before startsAt');
  }
}

/** The write rule (src/lib/write-rules/): every locale's data, on create and update, on every write path. */
export const eventTimesRule: WriteRule = {
  name: 'event-times',
  paths: WRITE_PATHS,
  actions: ['create', 'update'],
  appliesTo: (_strapi, uid) => uid === EVENT_UID,
  async prepare(write) {
    for (const { locale, data } of write.versions as Array<{ locale: string; data: EventTimes }>) {
      const touchesTimes = 'startsAt' in data || 'endsAt' in data || 'timeZone' in data;
      if (!touchesTimes) continue;
      // An update may change one end only: check it against the stored other end.
      let stored: EventTimes = {};
      if (write.action === 'update' && write.documentId) {
        stored =
          (await write.strapi.documents(EVENT_UID).findOne({
            documentId: write.documentId,
            locale,
            fields: ['startsAt', 'endsAt', 'timeZone'],
          })) ?? {};
      }
      checkEventTimes({ ...stored, ...data });
    }
  },
};
