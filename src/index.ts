/**
 * The app: its features in boot order, the rules every write obeys, and the change log's
 * listeners. Each feature's register, bootstrap and destroy run in the order of FEATURES
 * (src/lib/feature.ts). The write rules, the Document Service's middlewares and the
 * change log's consumers are named here, in one place each, because their order matters across
 * features.
 */
import type { Core } from '@strapi/strapi';
import type { Feature } from './lib/feature';
import { publishedOnlyForContentApi } from './lib/access/published-only';
import { dynamicZoneComponentsRule } from './lib/validation/dynamic-zones';
import { fallbackReads } from './lib/i18n/fallback';
import { defaultShapeFindMany } from './lib/shapes/default-shape-reads';
import { onChangeLog } from './lib/sync/change-log';
import { changeLogRule } from './lib/sync/public-changes';
import { enqueueWebhookDeliveries } from './lib/webhooks/outbox';
import { raiseEntryEvents } from './lib/strapi-events/entry-events';
import { useDocumentMiddlewares } from './lib/write-rules/order';
import { registerWriteRules } from './lib/write-rules/registry';
import { writeRulesMiddleware } from './lib/write-rules/document-service';
import { eventTimesRule } from './api/event/document-rules';
import { personDisplayFieldsRule } from './api/person/display-fields';
import { followMergedDocumentIds } from './api/partner/merge/redirects';
import { indexChanges } from './api/search/indexer';
import { partnerFeature } from './api/partner';
import { searchFeature } from './api/search';
import platform from './features/platform';
import publicApi from './features/public-api';
import delivery, { publicCache } from './features/delivery';
import editorial, { slugRule } from './features/editorial';
import changes from './features/changes';

/**
 * Boot order, and stop order. platform first (queries tracked before anything runs, the seam
 * checked); delivery last: its bootstrap installs the front door, which answers cache hits before
 * Koa once everything else is ready, and at a stop it keeps purging the CDN until the webhook
 * worker and the entry events (changes) have stopped.
 */
const FEATURES: readonly Feature[] = [platform, publicApi, editorial, changes, searchFeature, partnerFeature, delivery];

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    for (const feature of FEATURES) feature.register?.(strapi);
    // The rules every write obeys, run by the Document Service and by the bulk writer (partners,
    // import) alike (src/lib/write-rules/), in the order of WRITE_RULES; the change log is last.
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
    // The change log's consumers, all here: webhooks and search are written in the change's
    // transaction; the response cache (with CDN purges) and Strapi's own webhooks (admin,
    // Settings → Webhooks, for writes past the Document Service) learn of it once it has committed.
    const cache = publicCache(strapi); // made by delivery's register
    onChangeLog(strapi, { inTransaction: enqueueWebhookDeliveries });
    onChangeLog(strapi, { inTransaction: (trx, changed) => indexChanges(strapi, trx, changed) });
    onChangeLog(strapi, { afterCommit: (changed) => cache.changed(changed) });
    onChangeLog(strapi, { afterCommit: (changed) => raiseEntryEvents(strapi, changed) });
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    for (const feature of FEATURES) await feature.bootstrap?.(strapi);
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    for (const feature of FEATURES) await feature.destroy?.(strapi);
  },
};
