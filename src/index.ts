import type { Core } from '@strapi/strapi';
import { ensureLocales } from './lib/i18n/locales';
import { syncPublicPermissions } from './lib/access/public-permissions';
import { publishedOnlyForContentApi } from './lib/access/published-only';
import { eventTimesRule } from './api/event/document-rules';
import { dynamicZoneComponentsRule } from './lib/validation/dynamic-zones';
import { registerLocalTimeFields } from './lib/time/graphql';
import { batchGraphqlRelationLoads } from './lib/graphql/batched-relations';
import { fallbackReads } from './lib/i18n/fallback';
import { registerFallbackFlag, registerFallbackListQueries, registerFallbackSingleReads } from './lib/i18n/graphql-fallback';
import { registerReverseRelationFields } from './lib/graphql/reverse-relations';
import { registerSyncQuery } from './lib/sync/graphql';
import { hideInternalTypesFromGraphql } from './lib/graphql/internal-types';
import { onChangeLog } from './lib/sync/change-log';
import { changeLogRule } from './lib/sync/public-changes';
import { enqueueWebhookDeliveries } from './lib/webhooks/outbox';
import { startWebhookWorker, stopWebhookWorker } from './lib/webhooks/worker';
import { drainOnSignal } from './lib/lifecycle/drain';
import { trackQueryActivity } from './lib/lifecycle/stop';
import { authFailuresCheckDatabase, survivePostCommitOutages } from './lib/db/unavailable';
import { commitFailuresReject } from './lib/db/commit';
import { keepSqliteStatistics, stopSqliteStatistics } from './lib/db/sqlite-statistics';
import { personDisplayFieldsRule } from './api/person/display-fields';
import { defaultShapeFindMany } from './lib/shapes/default-shape-reads';
import { followMergedDocumentIds } from './api/partner/merge/redirects';
import { partnerFeature } from './api/partner';
import { catchUpSearchIndex, indexChanges } from './api/search/indexer';
import { registerSearchQueries } from './api/search/graphql';
import { startChangeLogCompaction, stopChangeLogCompaction } from './lib/sync/compaction';
import { checkDbMetadata } from './strapi-seam/db-metadata';
import { checkQueryParamsAndSanitizers } from './strapi-seam/query-params-and-sanitizers';
import { useDocumentMiddlewares } from './lib/write-rules/order';
import { registerWriteRules } from './lib/write-rules/registry';
import { writeRulesMiddleware } from './lib/write-rules/document-service';
import { checkWebhookRunner } from './strapi-seam/webhook-runner';
import { entryEventsIdle, raiseEntryEvents } from './lib/strapi-events/entry-events';
import delivery, { publicCache } from './features/delivery';
import editorial, { slugRule } from './features/editorial';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    trackQueryActivity(strapi); // first: stopStrapi waits for the queries Strapi does not await
    commitFailuresReject(strapi); // a failed COMMIT fails the write (knex would let it pass as done)
    // The rules every write obeys, run by the Document Service and by the partners' bulk writer
    // alike (src/lib/write-rules/), in the order of WRITE_RULES; the change log is last.
    registerWriteRules(strapi, {
      'dynamic-zone-components': dynamicZoneComponentsRule,
      'event-times': eventTimesRule,
      slugs: slugRule,
      'person-display-fields': personDisplayFieldsRule,
      'change-log': changeLogRule,
    });
    // The Document Service's middlewares, in the order of DOCUMENT_MIDDLEWARES (src/lib/write-rules/order.ts).
    useDocumentMiddlewares(strapi, {
      'published-only': publishedOnlyForContentApi,
      'follow-merged-document-ids': followMergedDocumentIds,
      'fallback-reads': fallbackReads,
      'default-shape-find-many': defaultShapeFindMany,
      'write-rules': writeRulesMiddleware,
    });
    // Delivery (src/features/delivery/): the response cache, created here for the change log's
    // listener below, and GET /_ready.
    delivery.register(strapi);
    // The change log's consumers, all here: webhooks are written in the change's transaction,
    // the response cache and CDN purges learn of it once it has committed.
    const cache = publicCache(strapi);
    onChangeLog(strapi, { inTransaction: enqueueWebhookDeliveries });
    onChangeLog(strapi, { inTransaction: (trx, changes) => indexChanges(strapi, trx, changes) }); // search, exact at commit
    onChangeLog(strapi, { afterCommit: (changes) => cache.changed(changes) });
    // Strapi's own webhooks (admin, Settings → Webhooks) for writes past the Document Service.
    onChangeLog(strapi, { afterCommit: (changes) => raiseEntryEvents(strapi, changes) });
    hideInternalTypesFromGraphql(strapi);
    // Editorial (src/features/editorial/): articleBySlug…, and GET /preview/:type/:documentId.
    editorial.register(strapi);
    registerLocalTimeFields(strapi);
    registerFallbackListQueries(strapi);
    registerFallbackSingleReads(strapi); // article(documentId:, locale:, fallbackLocale:)
    registerFallbackFlag(strapi); // fallback: Boolean! on every localised type
    registerReverseRelationFields(strapi); // Person.events, Organisation.people
    registerSyncQuery(strapi); // syncChanges, the GraphQL side of GET /api/sync
    registerSearchQueries(strapi); // search, searchSuggestions: the GraphQL side of GET /api/search
    // Partners (src/api/partner/): the review queue of possible duplicates and merge (admin API).
    partnerFeature.register(strapi);
    drainOnSignal(strapi); // SIGTERM: finish requests in flight, then stop
    survivePostCommitOutages(strapi); // a database outage right after a commit must not end the process
    authFailuresCheckDatabase(strapi); // an outage is a 503, not the 401 users-permissions makes of it
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    // What is read from Strapi's internals has the shape the readers expect (src/strapi-seam/).
    checkDbMetadata(strapi);
    checkQueryParamsAndSanitizers(strapi);
    checkWebhookRunner(strapi);
    batchGraphqlRelationLoads(strapi);
    await keepSqliteStatistics(strapi); // SQLite's planner needs ANALYZE, which Strapi never runs
    await ensureLocales(strapi);
    await syncPublicPermissions(strapi);
    await editorial.bootstrap(strapi); // the admin's slug field, preview link checks, views, roles, first admin
    await catchUpSearchIndex(strapi); // a first start builds the search index; later ones catch up
    startWebhookWorker(strapi);
    startChangeLogCompaction(strapi); // old changes folded, old tombstones dropped (config/change-log.ts)
    // Last: the response cache learns the public types, rate limits connect to Redis, and then
    // the front door answers cache hits before Koa, on the server Strapi listens with.
    await delivery.bootstrap(strapi);
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await stopWebhookWorker(strapi);
    stopChangeLogCompaction(strapi);
    // Entry events already queued read their rows before the pool closes (at most 5 s).
    await Promise.race([entryEventsIdle(strapi), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    stopSqliteStatistics(strapi);
    await editorial.destroy(strapi);
    await delivery.destroy(strapi); // CDN purges, rate limits' Redis
  },
};
