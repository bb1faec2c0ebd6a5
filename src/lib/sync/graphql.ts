/**
 * GraphQL side of the change feed: `syncChanges(cursor:, types:, locale:, limit:)` answers
 * exactly what `GET /api/sync` answers (same service, same parameter rules in
 * ./feed-request.ts, same cursors: a cursor from one continues in the other).
 *
 * `entry` is the JSON scalar, not a union of the content types: it is the REST payload as is
 * (the current public version, one level populated, sanitised), so both transports carry the
 * same item. A union would resolve every relation of every entry again through GraphQL's
 * resolvers (another shape than REST, and more queries per page) and could not say "one level".
 * A front end that wants an entry's GraphQL shape reads it by `documentId` and `locale`.
 */
import type { Core } from '@strapi/strapi';
import type { Nexus, ObjectDefinition } from '../graphql/nexus';
import { errors } from '@strapi/utils';
import { GraphQLError } from 'graphql';
import { HttpError } from '../http/http-error';
import { CHANGE_ACTIONS } from './change-store';
import { addLocalTimes } from '../time/local-fields';
import { feedService, readFeedRequest } from './feed-request';

interface SyncArgs {
  cursor?: string | null;
  types?: string[] | null;
  locale?: string | null;
  limit?: number | null;
}

export function registerSyncQuery(strapi: Core.Strapi): void {
  const extension = strapi.plugin('graphql').service('extension');
  extension.use(({ nexus }: { nexus: Nexus }) => ({
    types: [
      nexus.enumType({
        name: 'SyncAction',
        description: 'What happened: `current` in the first full listing, then the change log\'s actions',
        members: ['current', ...CHANGE_ACTIONS],
      }),
      nexus.objectType({
        name: 'SyncChange',
        description: 'One item of the change feed, as `GET /api/sync` gives it',
        definition(t: ObjectDefinition) {
          t.int('position', { description: 'Place in the change log; null in the first full listing' });
          t.nonNull.field('action', { type: 'SyncAction' });
          t.nonNull.string('type', { description: 'Plural API name: `events`, `articles`…' });
          t.nonNull.id('documentId');
          t.nonNull.string('locale');
          t.string('occurredAt', { description: 'ISO 8601 (UTC) of the change; null in the first full listing' });
          t.string('occurredAtLocal', { description: 'occurredAt with the offset of Europe/Copenhagen' });
          t.field('entry', {
            type: 'JSON',
            description: 'The current public version (one level populated), exactly as REST has it; null for tombstones',
          });
          t.id('mergedInto', { description: 'On the tombstone of a document merged into another: the documentId it was merged into; null otherwise' });
        },
      }),
      nexus.objectType({
        name: 'SyncChangesPage',
        definition(t: ObjectDefinition) {
          t.nonNull.list.nonNull.field('items', { type: 'SyncChange' });
          t.nonNull.string('nextCursor', { description: 'Pass as `cursor` (here or to `GET /api/sync`) to continue' });
          t.nonNull.boolean('hasMore', { description: 'Follow `nextCursor` at once while true; later when false' });
        },
      }),
      nexus.extendType({
        type: 'Query',
        definition(t: ObjectDefinition) {
          t.nonNull.field('syncChanges', {
            type: 'SyncChangesPage',
            description: 'The change feed of public content, as `GET /api/sync`: a first full listing, then every change once, in order',
            args: {
              cursor: nexus.stringArg(),
              types: nexus.list(nexus.nonNull(nexus.stringArg({ description: 'Plural API names; all public types when left out' }))),
              locale: nexus.stringArg({ description: 'da or en; both when left out' }),
              limit: nexus.intArg({ description: 'Items per page, 1–500 (default 100)' }),
            },
            async resolve(_parent: unknown, args: SyncArgs) {
              const request = readFeedRequest(strapi, {
                cursor: args.cursor ?? undefined,
                types: args.types ?? undefined,
                locale: args.locale ?? undefined,
                limit: args.limit ?? undefined,
              });
              if (!request.ok) throw new errors.ValidationError(request.message, { param: request.param === 'type' ? 'types' : request.param });
              const page = await feedService(strapi)
                .page(request.state, request.limit)
                .catch((error: unknown) => {
                  // An expired cursor (410 in REST): the same code and details for GraphQL clients.
                  if (error instanceof HttpError) throw new GraphQLError(error.message, { extensions: { code: error.code.toUpperCase().replace(/-/g, '_'), details: { code: error.code, ...error.details } } });
                  throw error;
                });
              // REST adds `<field>Local` to every /api answer (global::local-times): the same here.
              return { ...page, items: page.items.map((item) => addLocalTimes(item)) };
            },
          });
        },
      }),
    ],
    // Public, like GET /api/sync: it reports public content only.
    resolversConfig: { 'Query.syncChanges': { auth: false } },
  }));
}
