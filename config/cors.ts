import type { Core } from '@strapi/strapi';
import { parseCorsOrigins } from '../src/features/delivery/cors/origins';

/**
 * Cross-origin access (src/features/delivery/cors/). The public API answers every origin with `*` and no
 * credentials; the admin and the partner API answer only these origins.
 *
 * - CORS_ORIGINS: comma-separated origins (`https://cms.example.dk,http://localhost:3000`),
 *   default none (the admin served by this app is same-origin and needs no CORS).
 */
export default ({ env }: Core.Config.Shared.ConfigParams) => ({
  origins: parseCorsOrigins(env('CORS_ORIGINS', '')),
});
