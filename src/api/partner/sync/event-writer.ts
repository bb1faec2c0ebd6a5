/**
 * A partner's brand-new event, written in one pass (document-writer.ts), which runs the write
 * rules (the event's times among them) as the Document Service does. Updates still go through
 * the Document Service.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { OnCommit } from '../../../lib/sync/change-log';
import { createDocumentRows } from './document-writer';

const EVENT = 'api::event.event';

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

/** The draft (and published) rows of one new event, in every locale given; returns its documentId. */
export async function createEventDocument(
  strapi: Core.Strapi,
  trx: Knex.Transaction,
  onCommit: OnCommit | undefined,
  data: NewEventData,
  options: { publish: boolean },
): Promise<string> {
  const { shared } = data;
  const { venue, parent, organisers, topics, ...scalars } = shared;
  return createDocumentRows(
    strapi,
    trx,
    onCommit,
    EVENT,
    data.locales.map((texts) => ({
      locale: texts.locale,
      data: { ...scalars, title: texts.title, summary: texts.summary, description: texts.description },
      relations: {
        venue: { uid: 'api::venue.venue', documentIds: venue ? [venue] : [] },
        parent: { uid: EVENT, documentIds: parent ? [parent] : [] },
        organisers: { uid: 'api::organisation.organisation', documentIds: organisers },
        topics: { uid: 'api::topic.topic', documentIds: topics },
      },
      components: {
        participants: texts.participants.map((participant) => ({
          uid: 'events.participant',
          data: { part: participant.part },
          relations: { person: { uid: 'api::person.person', documentIds: [participant.person] } },
        })),
      },
    })),
    options,
  );
}
