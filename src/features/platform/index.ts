/**
 * Platform: how the app runs and stops, whatever it serves. Queries are tracked so a stop waits
 * for them, links written side by side get their places at COMMIT, a failed COMMIT fails the
 * write, a database outage is a 503 (not a 401, not a crash), SIGTERM drains requests in flight,
 * SQLite's planner gets its statistics, Strapi's join tables the indexes a large archive needs,
 * and what is read from Strapi's internals is checked at boot (src/strapi-seam/). First in
 * src/index.ts's list.
 */
import type { Core } from '@strapi/strapi';
import type { Feature } from '../../lib/feature';
import { drainOnSignal } from '../../lib/lifecycle/drain';
import { trackQueryActivity } from '../../lib/lifecycle/stop';
import { authFailuresCheckDatabase, survivePostCommitOutages } from '../../lib/db/unavailable';
import { guardCommits } from '../../lib/db/commit';
import { keepSqliteStatistics, stopSqliteStatistics } from '../../lib/db/planner-statistics';
import { ensureJoinTableIndexes } from '../../lib/db/join-table-indexes';
import { checkDbMetadata } from '../../strapi-seam/db-metadata';
import { checkQueryParamsAndSanitizers } from '../../strapi-seam/query-params-and-sanitizers';
import { checkWebhookRunner } from '../../strapi-seam/webhook-runner';
import { checkQueryRootAlias } from '../../strapi-seam/query-root-alias';

const platform: Feature = {
  name: 'platform',

  register(strapi: Core.Strapi) {
    trackQueryActivity(strapi); // first: stopStrapi waits for the queries Strapi does not await
    guardCommits(strapi); // at COMMIT: bulk-written links placed after other writers', a failed COMMIT fails the write
    drainOnSignal(strapi); // SIGTERM: finish requests in flight, then stop
    survivePostCommitOutages(strapi); // a database outage right after a commit must not end the process
    authFailuresCheckDatabase(strapi); // an outage is a 503, not the 401 users-permissions makes of it
  },

  async bootstrap(strapi: Core.Strapi) {
    // What is read from Strapi's internals has the shape the readers expect (src/strapi-seam/).
    checkDbMetadata(strapi);
    checkQueryParamsAndSanitizers(strapi);
    checkWebhookRunner(strapi);
    checkQueryRootAlias(strapi);
    await ensureJoinTableIndexes(strapi); // component row → owner, a link's position: Strapi indexes neither
    await keepSqliteStatistics(strapi); // SQLite's planner needs ANALYZE, which Strapi never runs
  },

  async destroy(strapi: Core.Strapi) {
    stopSqliteStatistics(strapi);
  },
};

export default platform;
