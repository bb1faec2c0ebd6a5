/**
 * GraphQL side of locale fallback for lists. Strapi's generated queries cannot take new
 * arguments, so each localised public type gets a sibling query with the same arguments plus
 * `fallbackLocale`: `articlesWithFallback(locale: "en", fallbackLocale: "da", filters:, sort:,
 * pagination:)`, answered by the same merge as REST (src/lib/i18n/fallback.ts). Each item's
 * `locale` says which locale it is served in, and `fallback: Boolean!` whether that is the fallback.
 * Single documents: `<type>BySlug(fallbackLocale:)` and `<type>(documentId:, locale:, fallbackLocale:)`.
 */
import type { Core, UID } from '@strapi/strapi';
import type { Nexus, ObjectDefinition } from '../graphql/nexus';
import { getArgumentValues } from 'graphql/execution/values';
import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { PUBLIC_CONTENT_TYPES } from '../access/content-types';
import { DEFAULT_LOCALE } from './locales';
import { findManyWithFallback } from './fallback';

type Args = Record<string, unknown> & { locale?: string | null; fallbackLocale: string };

const localisedTypes = (strapi: Core.Strapi) =>
  PUBLIC_CONTENT_TYPES.filter((uid) => (strapi.contentType(uid).pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized);

export function registerFallbackListQueries(strapi: Core.Strapi): void {
  const graphql = strapi.plugin('graphql');
  const naming = graphql.service('utils').naming;
  const { transformArgs } = graphql.service('builders').utils;
  const localised = localisedTypes(strapi);
  const queryName = (uid: UID.ContentType) => `${naming.getFindQueryName(strapi.contentType(uid))}WithFallback`;

  graphql.service('extension').use(({ nexus }: { nexus: Nexus }) => ({
    types: [
      nexus.extendType({
        type: 'Query',
        definition(t: ObjectDefinition) {
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
                const documents = strapi.documents(uid) as { findMany(params: object): Promise<unknown> };
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

/**
 * `article(documentId:, locale:, fallbackLocale:)` and the same for every localised type: Strapi's
 * own find-one query, with one optional argument more. Strapi builds that query with no way to
 * add an argument, so its shadow-CRUD `findOne` is turned off and the query defined again here
 * with Strapi's own arguments and resolver (same name, type, permission and answers), plus
 * `fallbackLocale`: when the document is missing in `locale`, it is read again in the fallback.
 */
export function registerFallbackSingleReads(strapi: Core.Strapi): void {
  const graphql = strapi.plugin('graphql');
  const naming = graphql.service('utils').naming;
  const extension = graphql.service('extension');
  const localised = localisedTypes(strapi);
  for (const uid of localised) extension.shadowCRUD(uid).disableAction('findOne');

  extension.use(({ nexus }: { nexus: Nexus }) => ({
    types: [
      nexus.extendType({
        type: 'Query',
        definition(t: ObjectDefinition) {
          const { transformArgs, getContentTypeArgs } = graphql.service('builders').utils;
          for (const uid of localised) {
            const contentType = strapi.contentType(uid);
            t.field(naming.getFindOneQueryName(contentType), {
              type: naming.getTypeName(contentType),
              // Read by the i18n plugin, which adds the `locale` argument, as on Strapi's own query.
              extensions: { strapi: { contentType } },
              args: {
                ...getContentTypeArgs(contentType, { multiple: false }),
                fallbackLocale: nexus.arg({
                  type: 'I18NLocaleCode',
                  description: "Served in this locale when missing in `locale`; the answer's `fallback` tells.",
                }),
              },
              async resolve(parent: unknown, { fallbackLocale, ...args }: Record<string, unknown>, context: unknown) {
                const { findOne } = graphql.service('builders').get('content-api').buildQueriesResolvers({ contentType });
                const found = await findOne(parent, transformArgs(args, { contentType }), context);
                if (found || !fallbackLocale || fallbackLocale === (args.locale ?? DEFAULT_LOCALE)) return found;
                return findOne(parent, transformArgs({ ...args, locale: fallbackLocale }, { contentType }), context);
              },
            });
          }
        },
      }),
    ],
    resolversConfig: Object.fromEntries(
      localised.map((uid) => [`Query.${naming.getFindOneQueryName(strapi.contentType(uid))}`, { auth: { scope: [`${uid}.findOne`] } }])
    ),
  }));
}

/**
 * `fallback: Boolean!` on every localised type: true when the item is served in another locale
 * than the one the query asked for (its root field's `locale`, Danish when not given). Relations
 * come in the locale their parent is served in, so they say the same as their parent, as in REST.
 * Worked out from the query itself: no SQL.
 */
export function registerFallbackFlag(strapi: Core.Strapi): void {
  const graphql = strapi.plugin('graphql');
  const naming = graphql.service('utils').naming;
  graphql.service('extension').use(({ nexus }: { nexus: Nexus }) => ({
    types: localisedTypes(strapi).map((uid) =>
      nexus.extendType({
        type: naming.getTypeName(strapi.contentType(uid)),
        definition(t: ObjectDefinition) {
          t.nonNull.boolean('fallback', {
            description: 'True when this item is served in the fallback locale, not the `locale` the query asked for',
            resolve(parent: { locale?: string | null }, _args: unknown, _context: unknown, info: GraphQLResolveInfo) {
              const requested = requestedLocale(info);
              return requested !== null && typeof parent.locale === 'string' && parent.locale !== requested;
            },
          });
        },
      })
    ),
    resolversConfig: {},
  }));
}

/** Per execution (its variables object) and root field: the locale that root field asked for. */
const requestedByExecution = new WeakMap<object, Map<string, string | null>>();

/** The `locale` argument of the root field this item hangs under; null when that field takes none. */
function requestedLocale(info: GraphQLResolveInfo): string | null {
  let path = info.path;
  while (path.prev) path = path.prev;
  const key = String(path.key);
  let known = requestedByExecution.get(info.variableValues);
  if (!known) requestedByExecution.set(info.variableValues, (known = new Map()));
  if (known.has(key)) return known.get(key) ?? null;

  const node = findRootField(info, info.operation.selectionSet, key);
  const root = info.operation.operation === 'mutation' ? info.schema.getMutationType() : info.schema.getQueryType();
  const definition = node ? root?.getFields()[node.name.value] : undefined;
  let requested: string | null = null;
  if (node && definition?.args.some((arg) => arg.name === 'locale')) {
    const args = getArgumentValues(definition, node, info.variableValues) as { locale?: string | null };
    requested = args.locale ?? DEFAULT_LOCALE;
  }
  known.set(key, requested);
  return requested;
}

function findRootField(info: GraphQLResolveInfo, selectionSet: SelectionSetNode, key: string): FieldNode | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === 'Field' && (selection.alias ?? selection.name).value === key) return selection;
    const nested =
      selection.kind === 'InlineFragment'
        ? selection.selectionSet
        : selection.kind === 'FragmentSpread'
          ? info.fragments[selection.name.value]?.selectionSet
          : undefined;
    const found = nested && findRootField(info, nested, key);
    if (found) return found;
  }
  return undefined;
}
