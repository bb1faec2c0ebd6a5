/**
 * The partner feature, one folder: partners and their tokens, partner auth, event push and
 * webhook subscriptions (Strapi's layout: content-types/, controllers/, routes/, services/,
 * middlewares/), and the plain modules beside them, which Strapi's API loader does not read:
 * - sync/: the pushed payload (zod), idempotency, creation locks, the one-pass bulk writer;
 * - matching/: names, identities (organisations, people, venues), event matching, the
 *   candidates kept for review;
 * - merge/: the review queue of possible duplicates, merge, undo, merged documentIds' redirects.
 * Configured by config/partner-matching.ts and config/merge.ts.
 *
 * src/index.ts calls these hooks where it used to call the pieces, in the same order. The
 * Document Service middleware that follows merged documentIds (merge/redirects.ts) is in the
 * list of src/lib/write-rules/order.ts, registered by src/index.ts with the others.
 *
 * A named export only: Strapi loads this file as the API's own module (`api::partner`) and would
 * run a default export's register/bootstrap/destroy itself, at other times than src/index.ts
 * (tests/review-merge/partner-feature.test.ts).
 */
import type { Core } from '@strapi/strapi';
import type { Feature } from '../../lib/feature';
import { grantToEditors } from '../../features/editorial/admin/roles';
import { REVIEW_ACTION, registerReviewPermission, registerReviewRoutes } from './merge/admin-routes';

export const partnerFeature = {
  name: 'partner',

  register(strapi: Core.Strapi): void {
    // Possible duplicates: the review queue and merge (admin API, permission api::partner.review-duplicates),
    // which the editor role has (src/features/editorial/admin/roles.ts, at bootstrap).
    registerReviewPermission(strapi);
    registerReviewRoutes(strapi);
    grantToEditors(strapi, REVIEW_ACTION);
  },
} satisfies Feature;
