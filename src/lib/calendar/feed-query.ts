/**
 * Reads the query of the calendar endpoints into what to select: a locale, and for the programme
 * feed (`GET /api/events.ics`) the festival, topic, organiser and partner filters. Festival,
 * topic and organiser are public documents named by slug (in the requested locale) or
 * documentId; one that is not published in that locale is a bad value. `partner` is the
 * partner's programme: the events it created (the private sourcePartner) and those its pushes
 * were matched to and linked with (role `linked`, not withdrawn: the partner feature answers,
 * `PartnerProgramme`), matched server-side only, so an unknown partner is an empty calendar, not an error that would tell
 * which partner keys exist. Every bad or unknown parameter is a 400 naming it.
 */
import { HttpError } from '../http/http-error';
import type { Core } from '@strapi/strapi';
import { DEFAULT_LOCALE, LOCALES } from '../i18n/locales';
import { calendarLabels } from './ics';

const KNOWN_LOCALES: readonly string[] = LOCALES.map((locale) => locale.code);
/** Slugs and documentIds: lower-case letters, digits, hyphens. */
export const REFERENCE = /^[a-z0-9][a-z0-9-]{0,199}$/;
/** Partner keys are Strapi uids. */
const PARTNER_KEY = /^[A-Za-z0-9\-_.~]{1,120}$/;

/**
 * What the `partner` filter asks of the partner feature, by service UID: shared code imports no
 * feature. `api::partner.partner-event` has it (src/api/partner/services/partner-event.ts;
 * tests/review-merge/partner-feature.test.ts checks the types agree).
 */
export interface PartnerProgramme {
  /** The events the partner's pushes were matched to and linked with, not withdrawn. */
  linkedDocumentIds(partnerKey: string): Promise<string[]>;
}

/** A bad parameter: a 400 naming it (mapped by global::http-errors). */
const badParameter = (param: string, message: string) => new HttpError(400, 'bad-parameter', message, { param });

type Query = Record<string, unknown>;

function single(query: Query, param: string): string | undefined {
  const value = query[param];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw badParameter(param, `${param} must be given once, as a single non-empty value`);
  }
  return value;
}

function rejectUnknown(query: Query, allowed: readonly string[]): void {
  for (const param of Object.keys(query)) {
    if (!allowed.includes(param)) {
      throw badParameter(param, `unknown parameter "${param}"; this endpoint takes ${allowed.join(', ')}`);
    }
  }
}

export function readLocale(query: Query): string {
  const locale = single(query, 'locale') ?? DEFAULT_LOCALE;
  if (!KNOWN_LOCALES.includes(locale)) {
    throw badParameter('locale', `locale must be one of ${KNOWN_LOCALES.join(', ')}; got "${locale}"`);
  }
  return locale;
}

/** For the single-event endpoints: only `locale`. */
export function readSingleEventQuery(query: Query): { locale: string } {
  rejectUnknown(query, ['locale']);
  return { locale: readLocale(query) };
}

export interface FeedSelection {
  locale: string;
  filters: Record<string, unknown>;
  /** What a subscriber sees the calendar called, e.g. "Folkemødet 2023 – programme". */
  name: string;
  /** Download name without extension, e.g. "folkemoedet-2023". */
  fileName: string;
}

const REFERENCES = {
  festival: { uid: 'api::event.event', nameField: 'title', noun: 'event' },
  topic: { uid: 'api::topic.topic', nameField: 'name', noun: 'topic' },
  organiser: { uid: 'api::organisation.organisation', nameField: 'name', noun: 'organisation' },
} as const;

type ReferenceParam = keyof typeof REFERENCES;

async function resolveReference(
  strapi: Core.Strapi,
  param: ReferenceParam,
  value: string,
  locale: string,
): Promise<{ documentId: string; slug: string; name: string }> {
  if (!REFERENCE.test(value)) {
    throw badParameter(param, `${param} must be a slug or documentId (a-z, 0-9, -); got "${value}"`);
  }
  const { uid, nameField, noun } = REFERENCES[param];
  const documents = strapi.documents(uid) as {
    findFirst(params: Record<string, unknown>): Promise<({ documentId: string; slug: string } & Record<string, string>) | null>;
  };
  const found = await documents.findFirst({
    locale,
    status: 'published',
    filters: { $or: [{ slug: value }, { documentId: value }] },
    fields: ['slug', nameField],
  });
  if (!found) throw badParameter(param, `${param} "${value}" is not a published ${noun} in locale ${locale}`);
  return { documentId: found.documentId, slug: found.slug, name: found[nameField]! };
}

/** The programme feed's query; throws a 400 HttpError naming a bad value. */
export async function readFeedQuery(strapi: Core.Strapi, query: Query): Promise<FeedSelection> {
  rejectUnknown(query, ['locale', 'festival', 'topic', 'organiser', 'partner']);
  const locale = readLocale(query);
  const labels = calendarLabels(locale);
  const conditions: Record<string, unknown>[] = [];
  const nameParts: string[] = [];
  const fileParts: string[] = [];

  const festivalValue = single(query, 'festival');
  if (festivalValue !== undefined) {
    const festival = await resolveReference(strapi, 'festival', festivalValue, locale);
    conditions.push({ parent: { documentId: festival.documentId } });
    nameParts.push(`${festival.name} – ${labels.programme}`);
    fileParts.push(festival.slug);
  } else {
    nameParts.push(labels.events);
    fileParts.push('events');
  }
  for (const [param, relation] of [
    ['topic', 'topics'],
    ['organiser', 'organisers'],
  ] as const) {
    const value = single(query, param);
    if (value === undefined) continue;
    const reference = await resolveReference(strapi, param, value, locale);
    conditions.push({ [relation]: { documentId: reference.documentId } });
    nameParts.push(reference.name);
    fileParts.push(reference.slug);
  }
  const partner = single(query, 'partner');
  if (partner !== undefined) {
    if (!PARTNER_KEY.test(partner)) {
      throw badParameter('partner', `partner must be a partner key (letters, digits, - _ . ~); got "${partner}"`);
    }
    const linked = await (strapi.service('api::partner.partner-event') as unknown as PartnerProgramme).linkedDocumentIds(partner);
    conditions.push({ $or: [{ sourcePartner: partner }, { documentId: { $in: linked } }] });
    fileParts.push(partner.toLowerCase().replace(/[^a-z0-9-]/g, '-'));
  }

  return {
    locale,
    filters: conditions.length > 0 ? { $and: conditions } : {},
    name: nameParts.join(' – '),
    fileName: [...fileParts, locale].join('-'),
  };
}
