/**
 * Rules every event obeys, whoever writes it (admin, seed, partner sync): the time zone is a
 * real IANA zone, its times are real date-times, and it does not end before it starts. Runs as a Document Service
 * middleware so no write path can skip it; a broken rule is a ValidationError naming the field,
 * which the admin shows on that field and the APIs answer with 400.
 */
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { isValidTimeZone } from '../../lib/time/zones';

const EVENT_UID = 'api::event.event';
const WRITE_ACTIONS = new Set(['create', 'update']);

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

export function eventDocumentRules(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    if (context.uid !== EVENT_UID || !WRITE_ACTIONS.has(context.action)) return next();

    const params = context.params as { documentId?: string; locale?: string; data?: EventTimes };
    const data = params.data ?? {};
    const touchesTimes = 'startsAt' in data || 'endsAt' in data || 'timeZone' in data;
    if (!touchesTimes) return next();

    // An update may change one end only: check it against the stored other end.
    let stored: EventTimes = {};
    if (context.action === 'update' && params.documentId) {
      stored =
        (await strapi.documents(EVENT_UID).findOne({
          documentId: params.documentId,
          locale: params.locale,
          fields: ['startsAt', 'endsAt', 'timeZone'],
        })) ?? {};
    }
    checkEventTimes({ ...stored, ...data });
    return next();
  };
}
