/**
 * GraphQL side of locale fallback for lists. Strapi's generated queries cannot take new
 * arguments, so each localised public type gets a sibling query with the same arguments plus
 * `fallbackLocale`: `articlesWithFallback(locale: "en", fallbackLocale: "da", filters:, sort:,
 * pagination:)`, answered by the same merge as REST (src/lib/i18n/fallback.ts). Each item's
 * `locale` says which locale it is served in. Single documents: `<type>BySlug(fallbackLocale:)`.
 */
import type { Core, UID } from '@strapi/strapi';
import { PUBLIC_CONTENT_TYPES } from '../access/content-types';
import { DEFAULT_LOCALE } from './locales';
import { findManyWithFallback } from './fallback';

type Args = Record<string, unknown> & { locale?: string | null; fallbackLocale: string };

export function registerFallbackListQueries(strapi: Core.Strapi): void {
  const graphql = strapi.plugin('graphql');
  const naming = graphql.service('utils').naming;
  const { transformArgs } = graphql.service('builders').utils;
  const localised = PUBLIC_CONTENT_TYPES.filter(
    (uid) => (strapi.contentType(uid).pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized
  );
  const queryName = (uid: UID.ContentType) => `${naming.getFindQueryName(strapi.contentType(uid))}WithFallback`;

  graphql.service('extension').use(({ nexus }: { nexus: any }) => ({
    types: [
      nexus.extendType({
        type: 'Query',
        definition(t: any) {
          for (const uid of localised) {
            const contentType = strapi.contentType(uid);
            const typeName = naming.getTypeName(contentType);
            t.nonNull.list.field(queryName(uid), {
              type: nexus.nonNull(typeName),
              description: `${naming.getFindQueryName(contentType)} in \`locale\`, with the documents missing there served in \`fallbackLocale\``,
              args: {
                locale: nexus.arg({ type: 'I18NLocaleCode' }),
                fallbackLocale: nexus.nonNull(nexus.arg({ type: 'I18NLocaleCode' })),
                filters: nexus.arg({ type: naming.getFiltersInputTypeName(contentType) }),
                pagination: nexus.arg({ type: 'PaginationArg', default: {} }),
                sort: nexus.arg({ type: nexus.list('String'), default: [] }),
              },
              async resolve(_parent: unknown, { fallbackLocale, locale, ...args }: Args, context: { state: { auth?: unknown } }) {
                const query = transformArgs(args, { contentType, usePagination: true });
                await strapi.contentAPI.validate.query(query, contentType, { auth: context.state.auth });
                const sanitized = await strapi.contentAPI.sanitize.query(query, contentType, { auth: context.state.auth });
                const requested = locale ?? DEFAULT_LOCALE;
                const params = { ...sanitized, status: 'published', locale: requested };
                const documents = strapi.documents(uid) as unknown as { findMany(params: object): Promise<unknown> };
                if (fallbackLocale === requested) return documents.findMany(params);
                return findManyWithFallback(strapi, uid, params, { requested, fallback: fallbackLocale }, (windowed) =>
                  documents.findMany(windowed)
                );
              },
            });
          }
        },
      }),
    ],
    resolversConfig: Object.fromEntries(localised.map((uid) => [`Query.${queryName(uid)}`, { auth: { scope: [`${uid}.find`] } }])),
  }));
}
