/**
 * The admin's list view counts a search's matches up to 1,000 and says "more than 1,000" past
 * that (./search-total-text.ts), as GitHub's and Gmail's searches do. The rest of the list is
 * Strapi's: the page of matches, its sort, its filters.
 *
 * Why: Strapi's search (`_q`) is `ILIKE '%term%'` over every text column of the row, and the
 * admin's list counts every match exactly. A common word is in a third of the archive
 * ("energi": 37% of the articles), so the exact count checked all 100,000 drafts to count some
 * 37,000 for every search; no index serves a substring that common. Counted to 1,001, the count
 * stops after about 2,700 rows whatever the archive (docs/scale.md). Lists without a search
 * stay exact (an index counts them), and so does a search with 1,000 matches or fewer.
 */
import type { Core } from '@strapi/strapi';
import { boundCounts } from '../../../lib/http/list-total';
import { SEARCH_TOTAL_LIMIT } from './search-total-text';

const LIST_VIEW = '/content-manager/collection-types/';

/** Whether counts made now are for the admin's list view of a search. */
function isAdminListSearch(strapi: Core.Strapi, params: Record<string, unknown> | undefined): boolean {
  const request = strapi.requestContext.get() as { path?: string } | undefined;
  const search = params?._q;
  // Any non-empty `_q` is a search to Strapi (`if (state.search)`), blanks too.
  return typeof request?.path === 'string' && request.path.toLowerCase().startsWith(LIST_VIEW) && typeof search === 'string' && search !== '';
}

export function boundAdminSearchTotals(strapi: Core.Strapi): void {
  boundCounts(strapi, (_uid, params) => (isAdminListSearch(strapi, params) ? SEARCH_TOTAL_LIMIT : undefined));
}
