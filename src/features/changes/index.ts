/**
 * Changes out: what partners and other systems pull or are told. The change feed's GraphQL
 * query (REST `GET /api/sync` is src/api/sync/), the webhook worker that delivers the outbox,
 * the change log's compaction (config/change-log.ts), and Strapi's own entry events for writes
 * past the Document Service. The change log itself is the spine in src/lib/sync/, and its
 * listeners are registered in one place, src/index.ts.
 */
import type { Core } from '@strapi/strapi';
import type { Feature } from '../../lib/feature';
import { registerSyncQuery } from '../../lib/sync/graphql';
import { startChangeLogCompaction, stopChangeLogCompaction } from '../../lib/sync/compaction';
import { startWebhookWorker, stopWebhookWorker } from '../../lib/webhooks/worker';
import { entryEventsIdle } from '../../lib/strapi-events/entry-events';

/** How long a stop waits for entry events already queued to read their rows. */
const ENTRY_EVENTS_GRACE_MS = 5000;

const changes: Feature = {
  name: 'changes',

  register(strapi: Core.Strapi) {
    registerSyncQuery(strapi); // syncChanges, the GraphQL side of GET /api/sync
  },

  async bootstrap(strapi: Core.Strapi) {
    startWebhookWorker(strapi);
    startChangeLogCompaction(strapi); // old changes folded, old tombstones dropped (config/change-log.ts)
  },

  async destroy(strapi: Core.Strapi) {
    await stopWebhookWorker(strapi);
    stopChangeLogCompaction(strapi);
    // Entry events already queued read their rows before the pool closes.
    await Promise.race([entryEventsIdle(strapi), new Promise((resolve) => setTimeout(resolve, ENTRY_EVENTS_GRACE_MS).unref())]);
  },
};

export default changes;
