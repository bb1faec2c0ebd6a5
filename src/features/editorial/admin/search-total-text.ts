/**
 * What the admin's list header says of a search's total. Pure (no imports): read by the server
 * rule that bounds the count (./search-total.ts) and by the admin bundle (src/admin/app.tsx).
 *
 * The admin's search counts up to SEARCH_TOTAL_SHOWN + 1 rows and stops. A total of exactly
 * SEARCH_TOTAL_SHOWN + 1 therefore means "more than SEARCH_TOTAL_SHOWN" (true also when exactly
 * SEARCH_TOTAL_SHOWN + 1 match), and the header says so through an ICU `=N` case, since the content manager
 * shows `pagination.total` as it is and has no other way to say "at least".
 */

/** The largest search total the admin states exactly. */
export const SEARCH_TOTAL_SHOWN = 1000;

/** What a bounded search count answers when more than SEARCH_TOTAL_SHOWN match. */
export const SEARCH_TOTAL_LIMIT = SEARCH_TOTAL_SHOWN + 1;

/** Strapi's message key for the list header's "N entries found". */
export const LIST_HEADER_KEY = 'content-manager.pages.ListView.header-subtitle';

/**
 * The list header in English, with the "more than" case. The Danish one is in
 * src/admin/translations/da.json with the admin's other Danish (the same `=1001` case).
 */
export function englishListHeader(): Record<string, string> {
  const shown = SEARCH_TOTAL_SHOWN.toLocaleString('en-GB');
  return {
    [LIST_HEADER_KEY]: `{number, plural, =0 {# entries found} one {# entry found} =${SEARCH_TOTAL_LIMIT} {More than ${shown} entries found} other {# entries found}}`,
  };
}
