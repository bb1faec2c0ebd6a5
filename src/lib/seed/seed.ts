/**
 * Loads the demo content (./demo-content.ts) in Danish and English, publishing each document
 * once both locales exist and everything it links to is published (upstream issue 25361:
 * publishing before the targets drops the relation).
 *
 * Idempotent: a document is found by its Danish slug (venues by name), a missing locale is
 * added, an unpublished locale is published, and nothing that is already there is rewritten,
 * so a second run writes no rows and never overwrites an editor's changes.
 */
import { mkdtemp, rm, writeFile } from 'fs/promises';
import os from 'os';
import path from 'path';
import type { Core, UID } from '@strapi/strapi';
import { LOCALES, type LocaleCode } from '../i18n/locales';
import { slugify } from '../slug';
import { DEFAULT_TIME_ZONE } from '../time/zones';
import { drawCoverPng } from './cover-image';
import * as demo from './demo-content';
import type { ArticleBlockSeed, Localised } from './demo-content';

export interface SeedSummary {
  /** Documents created (in their first locale). */
  created: number;
  /** Locale versions added to a document that existed in another locale. */
  localesAdded: number;
  /** Locale versions published. */
  published: number;
  /** Documents that needed nothing. */
  unchanged: number;
  /** Files uploaded to the media library. */
  uploads: number;
}

export interface SeedOptions {
  log?: (line: string) => void;
}

type Data = Record<string, unknown>;
const LOCALE_CODES: LocaleCode[] = LOCALES.map((locale) => locale.code);
const COVER_FILE_NAME = 'demo-cover-offentlig-indkoebsvogn.png';

export async function seedDemoContent(strapi: Core.Strapi, options: SeedOptions = {}): Promise<SeedSummary> {
  const log = options.log ?? (() => undefined);
  const summary: SeedSummary = { created: 0, localesAdded: 0, published: 0, unchanged: 0, uploads: 0 };
  /** documentId per type and demo key, filled as documents are ensured. */
  const ids = new Map<string, string>();
  const idOf = (type: string, key: string): string => {
    const id = ids.get(`${type}:${key}`);
    if (!id) throw new Error(`demo content refers to unknown ${type} "${key}"`);
    return id;
  };

  async function ensure(
    uid: UID.ContentType,
    key: string,
    label: string,
    lookup: Data,
    dataFor: (locale: LocaleCode) => Data
  ): Promise<void> {
    // The Document Service's data type is derived per content type; this loop is generic.
    const documents = strapi.documents(uid) as unknown as GenericDocuments;
    const actions: string[] = [];

    const existing = await documents.findFirst({ locale: 'da', filters: lookup, fields: ['documentId'] });
    let documentId = existing?.documentId;
    for (const locale of LOCALE_CODES) {
      if (!documentId) {
        documentId = (await documents.create({ locale, data: dataFor(locale) })).documentId;
        summary.created++;
        actions.push(`created ${locale}`);
      } else if (!(await documents.findOne({ documentId, locale, fields: ['documentId'] }))) {
        await documents.update({ documentId, locale, data: dataFor(locale) });
        summary.localesAdded++;
        actions.push(`added ${locale}`);
      }
    }

    if (strapi.contentType(uid).options?.draftAndPublish) {
      for (const locale of LOCALE_CODES) {
        const live = await documents.findOne({ documentId: documentId!, locale, status: 'published', fields: ['documentId'] });
        if (!live) {
          await documents.publish({ documentId: documentId!, locale });
          summary.published++;
          actions.push(`published ${locale}`);
        }
      }
    }

    if (actions.length === 0) summary.unchanged++;
    ids.set(`${uid.split('.').pop()}:${key}`, documentId!);
    log(`${actions.length > 0 ? '+' : '='} ${uid.split('.').pop()} ${label}: ${actions.join(', ') || 'already there'}`);
  }

  const slugs = (name: Localised<string>) => (locale: LocaleCode) => slugify(name[locale]);

  for (const topic of demo.topics) {
    const slug = slugs(topic.name);
    await ensure('api::topic.topic', topic.key, topic.name.da, { slug: slug('da') }, (locale) => ({
      name: topic.name[locale],
      slug: slug(locale),
      description: topic.description[locale],
    }));
  }

  for (const venue of demo.venues) {
    await ensure('api::venue.venue', venue.key, venue.name.da, { name: venue.name.da }, (locale) => ({
      name: venue.name[locale],
      code: venue.code,
      area: venue.area,
      address: venue.address,
      city: venue.city,
    }));
  }

  for (const organisation of demo.organisations) {
    const slug = slugs(organisation.name);
    await ensure('api::organisation.organisation', organisation.key, organisation.name.da, { slug: slug('da') }, (locale) => ({
      name: organisation.name[locale],
      slug: slug(locale),
      shortName: organisation.shortName ?? null,
      aliases: organisation.aliases ?? null,
      kind: organisation.kind,
      website: organisation.website ?? null,
      parent: organisation.parent ? idOf('organisation', organisation.parent) : null,
    }));
  }

  for (const person of demo.people) {
    const slug = slugify(person.name);
    await ensure('api::person.person', person.key, person.name, { slug }, (locale) => ({
      name: person.name,
      slug,
      bio: person.bio[locale],
      affiliations: person.affiliations.map((affiliation) => ({
        title: affiliation.title[locale],
        organisation: idOf('organisation', affiliation.organisation),
        kind: affiliation.kind,
        current: affiliation.current,
      })),
    }));
  }

  for (const event of demo.events) {
    const slug = slugs(event.title);
    await ensure('api::event.event', event.key, event.title.da, { slug: slug('da') }, (locale) => ({
      title: event.title[locale],
      slug: slug(locale),
      summary: event.summary[locale],
      description: event.description[locale],
      startsAt: event.startsAt,
      endsAt: event.endsAt ?? null,
      timeZone: DEFAULT_TIME_ZONE,
      kind: event.kind,
      eventStatus: 'scheduled',
      attendanceMode: 'offline',
      programmeUrl: event.programmeUrl ?? null,
      venue: event.venue ? idOf('venue', event.venue) : null,
      parent: event.parent ? idOf('event', event.parent) : null,
      organisers: event.organisers.map((key) => idOf('organisation', key)),
      participants: event.participants.map(({ person, part }) => ({ person: idOf('person', person), part })),
      topics: event.topics.map((key) => idOf('topic', key)),
    }));
  }

  for (const quote of demo.quotes) {
    // Quotes have no slug; the Danish text is their identity in the demo.
    await ensure('api::quote.quote', quote.key, quote.key, { text: quote.text.da }, (locale) => ({
      text: quote.text[locale],
      person: idOf('person', quote.person),
      event: quote.event ? idOf('event', quote.event) : null,
    }));
  }

  const coverId = await ensureCover(strapi, summary, log);

  for (const article of demo.articles) {
    const slug = slugs(article.title);
    await ensure('api::article.article', article.key, article.title.da, { slug: slug('da') }, (locale) => ({
      title: article.title[locale],
      slug: slug(locale),
      lead: article.lead[locale],
      body: article.body.map((block) => articleBlock(block, locale, idOf)),
      cover: coverId,
      coverCaption: article.coverCaption[locale],
      coverCredit: article.coverCredit,
      topics: article.topics.map((key) => idOf('topic', key)),
      events: article.events.map((key) => idOf('event', key)),
      quotes: article.quotes.map((key) => idOf('quote', key)),
      seo: { metaTitle: article.seo.metaTitle[locale], metaDescription: article.seo.metaDescription[locale] },
      externalLinks: article.externalLinks.map((externalLink) => ({ label: externalLink.label[locale], url: externalLink.url })),
    }));
  }

  log(
    `seed: ${summary.created} created, ${summary.localesAdded} locale versions added, ` +
      `${summary.published} published, ${summary.unchanged} unchanged, ${summary.uploads} uploaded`
  );
  return summary;
}

function articleBlock(block: ArticleBlockSeed, locale: LocaleCode, idOf: (type: string, key: string) => string): Data {
  switch (block.kind) {
    case 'text':
      return { __component: 'blocks.rich-text', body: block.body[locale] };
    case 'quote':
      return { __component: 'blocks.quote', quote: idOf('quote', block.quote) };
    case 'facts':
      return {
        __component: 'blocks.fact-box',
        title: block.title[locale],
        facts: block.facts.map((fact) => ({ label: fact.label[locale], value: fact.value[locale] })),
      };
    case 'event':
      return {
        __component: 'blocks.event-teaser',
        event: idOf('event', block.event),
        heading: block.heading[locale],
        callToAction: block.callToAction[locale],
      };
  }
}

/** Uploads the generated cover once; later runs find it by name. */
async function ensureCover(strapi: Core.Strapi, summary: SeedSummary, log: (line: string) => void): Promise<number> {
  const existing = await strapi.db.query('plugin::upload.file').findOne({ where: { name: COVER_FILE_NAME } });
  if (existing) {
    log(`= media ${COVER_FILE_NAME}: already there`);
    return existing.id;
  }
  const folder = await mkdtemp(path.join(os.tmpdir(), 'seed-cover-'));
  try {
    const filepath = path.join(folder, COVER_FILE_NAME);
    const png = drawCoverPng();
    await writeFile(filepath, png);
    const [file] = await strapi
      .plugin('upload')
      .service('upload')
      .upload({
        data: {
          fileInfo: {
            name: COVER_FILE_NAME,
            alternativeText: demo.articles[0]!.coverAlt.da,
            caption: demo.articles[0]!.coverCaption.da,
          },
        },
        files: { filepath, originalFilename: COVER_FILE_NAME, mimetype: 'image/png', size: png.length },
      });
    summary.uploads++;
    log(`+ media ${COVER_FILE_NAME}: uploaded`);
    return file.id;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

interface GenericDocuments {
  findFirst(params: Data): Promise<{ documentId: string } | null>;
  findOne(params: Data & { documentId: string }): Promise<{ documentId: string } | null>;
  create(params: Data): Promise<{ documentId: string }>;
  update(params: Data & { documentId: string }): Promise<{ documentId: string } | null>;
  publish(params: Data & { documentId: string }): Promise<unknown>;
}
