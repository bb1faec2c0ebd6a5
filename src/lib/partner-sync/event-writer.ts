/**
 * Writes a partner's brand-new event in one pass, without Strapi's per-document machinery
 * (issue 13, push speed). Through the Document Service a new bilingual published event cost
 * create + update (en) + publish: each validated again, read back with a deep populate after
 * commit for `entry.*` events nobody here listens to, and publish cloning the drafts it had just
 * written (~230 SQL statements). Here the rows Strapi would end with are written directly
 * through its query engine (`strapi.db.query`, which keeps relation order columns and
 * component links as Strapi does): the draft, and when publishing the published copy, per
 * locale. tests/partner-events/event-writer.test.ts holds it to exactly the rows the Document
 * Service makes for the same event.
 *
 * What the Document Service middlewares would have done is done here, for this one case:
 * the payload is validated by Strapi's own entity validator (lengths, enums, required fields
 * when publishing) and the event rules (checkEventTimes); slugs are made as document-slugs.ts
 * makes them; the change log gets the same rows as public-changes.ts would write. Updates,
 * withdrawals and everything else still go through the Document Service.
 */
import type { Core, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { createId } from '@paralleldrive/cuid2';
import type { Knex } from 'knex';
import { checkEventTimes } from '../../api/event/document-rules';
import { slugify } from '../slug';
import { uniqueSlug } from '../slug/document-slugs';
import { appendChanges, type OnCommit } from '../sync/change-log';
import type { Change } from '../sync/change-store';

const EVENT = 'api::event.event';
const PARTICIPANT = 'events.participant';

type Status = 'draft' | 'published';

/** The event's fields, relations given as documentIds (as the Document Service takes them). */
export interface NewEventData {
  shared: {
    startsAt: string;
    endsAt: string | null;
    timeZone: string;
    eventStatus: string;
    attendanceMode: string;
    kind: string;
    programmeUrl: string | null;
    sourcePartner: string;
    externalId: string;
    venue: string | null;
    parent: string | null;
    organisers: string[];
    topics: string[];
  };
  /** Per locale, the localised texts and participants; `da` first. */
  locales: Array<{
    locale: string;
    title: string;
    summary: string | null;
    description: unknown;
    participants: Array<{ person: string; part: string }>;
  }>;
}

interface RowRef {
  id: number;
  documentId: string;
  locale: string | null;
  publishedAt: unknown;
}

/**
 * Row ids of the documents an event points to, by (documentId, locale, status): Strapi's rule
 * (document-service/transform/relations/utils): a localised target in the source's locale, a
 * draft-and-publish target in the source's status, a target without drafts in its only row.
 */
class RelationRows {
  private rows = new Map<string, RowRef[]>();

  constructor(private strapi: Core.Strapi) {}

  async load(uid: UID.ContentType, documentIds: string[]): Promise<void> {
    const missing = [...new Set(documentIds)].filter((documentId) => !this.rows.has(`${uid}|${documentId}`));
    if (missing.length === 0) return;
    const found = (await this.strapi.db.query(uid).findMany({
      select: ['id', 'documentId', 'locale', 'publishedAt'],
      where: { documentId: { $in: missing } },
    })) as RowRef[];
    for (const documentId of missing) this.rows.set(`${uid}|${documentId}`, []);
    for (const row of found) this.rows.get(`${uid}|${row.documentId}`)!.push(row);
  }

  /**
   * The row to link, or null where Strapi's publish drops the relation (the target has no
   * published version yet); a draft's missing target is an error, as in Strapi's create.
   */
  id(uid: UID.ContentType, documentId: string, locale: string, status: Status): number | null {
    const model = this.strapi.getModel(uid);
    const localized = Boolean((model.pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized);
    const draftAndPublish = Boolean(model.options?.draftAndPublish);
    const wantPublished = draftAndPublish ? status === 'published' : true;
    const row = (this.rows.get(`${uid}|${documentId}`) ?? []).find(
      (candidate) => (!localized || candidate.locale === locale) && Boolean(candidate.publishedAt) === wantPublished,
    );
    if (!row && status === 'published') return null;
    if (!row) {
      // The Document Service's own words for a relation it cannot resolve.
      throw new errors.ValidationError(`Document with id "${documentId}", locale "${localized ? locale : null}" not found`);
    }
    return row.id;
  }
}

const present = (ids: Array<number | null>): number[] => ids.filter((id): id is number => id !== null);

/** The draft (and published) rows of one new event, in every locale given; returns its documentId. */
export async function createEventDocument(
  strapi: Core.Strapi,
  trx: Knex.Transaction,
  onCommit: OnCommit | undefined,
  data: NewEventData,
  options: { publish: boolean },
): Promise<string> {
  const contentType = strapi.contentType(EVENT);
  const statuses: Status[] = options.publish ? ['draft', 'published'] : ['draft'];
  checkEventTimes(data.shared);

  const relations = new RelationRows(strapi);
  const { shared } = data;
  await relations.load('api::venue.venue', shared.venue ? [shared.venue] : []);
  await relations.load(EVENT, shared.parent ? [shared.parent] : []);
  await relations.load('api::organisation.organisation', shared.organisers);
  await relations.load('api::topic.topic', shared.topics);
  await relations.load('api::person.person', data.locales.flatMap((texts) => texts.participants.map((participant) => participant.person)));

  const documentId = createId();
  const changes: Change[] = [];
  for (const texts of data.locales) {
    const { locale } = texts;
    const scalars = {
      title: texts.title,
      slug: '',
      summary: texts.summary,
      description: texts.description,
      startsAt: shared.startsAt,
      endsAt: shared.endsAt,
      timeZone: shared.timeZone,
      kind: shared.kind,
      eventStatus: shared.eventStatus,
      attendanceMode: shared.attendanceMode,
      programmeUrl: shared.programmeUrl,
      sourcePartner: shared.sourcePartner,
      externalId: shared.externalId,
    };
    scalars.slug = await uniqueSlug(strapi, EVENT, slugify(texts.title), locale);
    // Strapi's validation, as create (draft) and publish (not a draft) would run it; relations
    // are checked below when their rows are looked up.
    await strapi.entityValidator.validateEntityCreation(
      contentType,
      { ...scalars, locale, participants: texts.participants.map(({ part }) => ({ part })) } as never,
      { isDraft: !options.publish, locale },
    );

    for (const status of statuses) {
      const participants = [];
      for (const participant of texts.participants) {
        const component = (await strapi.db.query(PARTICIPANT).create({
          data: { part: participant.part, person: relations.id('api::person.person', participant.person, locale, status) },
        })) as { id: number };
        participants.push({ id: component.id, __pivot: { field: 'participants', component_type: PARTICIPANT } });
      }
      const now = new Date();
      await strapi.db.query(EVENT).create({
        data: {
          ...scalars,
          documentId,
          locale,
          publishedAt: status === 'published' ? now : null,
          venue: shared.venue ? relations.id('api::venue.venue', shared.venue, locale, status) : null,
          parent: shared.parent ? relations.id(EVENT, shared.parent, locale, status) : null,
          organisers: present(shared.organisers.map((id) => relations.id('api::organisation.organisation', id, locale, status))),
          topics: present(shared.topics.map((id) => relations.id('api::topic.topic', id, locale, status))),
          participants,
        },
      });
      if (status === 'published') changes.push({ contentType: EVENT, documentId, locale, action: 'published' });
    }
  }
  await appendChanges(strapi, trx, changes.sort((a, b) => a.locale.localeCompare(b.locale)), onCommit);
  return documentId;
}
