/**
 * The search feature's hooks: GraphQL `search` and `searchSuggestions` (REST is this API's
 * routes), and the index caught up at boot (a first start builds it). The index is kept from the
 * change log by a listener registered in src/index.ts with the others.
 *
 * A named export only: Strapi loads this file as the API's own module (`api::search`) and would
 * run a default export's register/bootstrap/destroy itself.
 */
import type { Core } from '@strapi/strapi';
import type { Feature } from '../../lib/feature';
import { catchUpSearchIndex } from './indexer';
import { registerSearchQueries } from './graphql';

export const searchFeature = {
  name: 'search',

  register(strapi: Core.Strapi): void {
    registerSearchQueries(strapi); // search, searchSuggestions: the GraphQL side of GET /api/search
  },

  async bootstrap(strapi: Core.Strapi): Promise<void> {
    await catchUpSearchIndex(strapi); // a first start builds the search index; later ones catch up
  },
} satisfies Feature;
