/**
 * GraphQL side of slugs: `articleBySlug(slug, locale, fallbackLocale)` and the same for events,
 * people, organisations and topics, answering like the REST slug routes (old slugs and locale
 * fallback included), with the findOne permission.
 */
import type { Core, UID } from '@strapi/strapi';
import type { Nexus, ObjectDefinition } from '../../../lib/graphql/nexus';
import { findPublishedBySlug } from './lookup';

const SLUG_QUERIES: Array<{ uid: UID.ContentType; type: string; query: string }> = [
  { uid: 'api::article.article', type: 'Article', query: 'articleBySlug' },
  { uid: 'api::event.event', type: 'Event', query: 'eventBySlug' },
  { uid: 'api::person.person', type: 'Person', query: 'personBySlug' },
  { uid: 'api::organisation.organisation', type: 'Organisation', query: 'organisationBySlug' },
  { uid: 'api::topic.topic', type: 'Topic', query: 'topicBySlug' },
];

export function registerSlugQueries(strapi: Core.Strapi): void {
  const extension = strapi.plugin('graphql').service('extension');
  extension.use(({ nexus }: { nexus: Nexus }) => ({
    types: [
      nexus.extendType({
        type: 'Query',
        definition(t: ObjectDefinition) {
          for (const { uid, type, query } of SLUG_QUERIES) {
            t.field(query, {
              type,
              args: {
                slug: nexus.nonNull(nexus.stringArg()),
                locale: nexus.arg({ type: 'I18NLocaleCode' }),
                fallbackLocale: nexus.arg({
                  type: 'I18NLocaleCode',
                  description: 'Served in this locale when missing in `locale`; compare the answer\'s `locale` to tell.',
                }),
              },
              async resolve(_parent: unknown, args: { slug: string; locale?: string | null; fallbackLocale?: string | null }) {
                const match =
                  (await findPublishedBySlug(strapi, uid, args.slug, { locale: args.locale ?? undefined })) ??
                  (args.fallbackLocale
                    ? await findPublishedBySlug(strapi, uid, args.slug, { locale: args.fallbackLocale })
                    : null);
                return match?.document ?? null;
              },
            });
          }
        },
      }),
    ],
    resolversConfig: Object.fromEntries(
      SLUG_QUERIES.map(({ uid, query }) => [`Query.${query}`, { auth: { scope: [`${uid}.findOne`] } }])
    ),
  }));
}
