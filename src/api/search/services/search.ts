/**
 * One search over published content (GET /api/search): the query's terms (text.ts) looked up in
 * the index (index-store.ts), best first, each hit with a snippet whose matching words are
 * marked. The request's rules are the controller's.
 */
import type { Core } from '@strapi/strapi';
import { SEARCHABLE, type SearchableType } from '../indexed-documents';
import { lookUp, type IndexRow } from '../index-store';
import { highlight, queryTerms, type SearchLocale } from '../text';

export interface SearchRequest {
  q: string;
  locale: SearchLocale;
  /** Documents missing in `locale` are searched in this one (as `fallbackLocale` elsewhere). */
  fallbackLocale?: SearchLocale;
  types: SearchableType[];
  page: number;
  pageSize: number;
  when?: 'upcoming' | 'past';
}

export interface SearchHit {
  type: SearchableType;
  documentId: string;
  locale: string;
  slug: string | null;
  title: string;
  snippet: string;
  score: number;
  startsAt: string | null;
}

export interface SearchResult {
  hits: SearchHit[];
  /** How many match: exact up to TOTAL_CAP (index-store.ts), else a lower bound, and totalIsLowerBound says so. */
  total: number;
  totalIsLowerBound: boolean;
  terms: string[];
}

/** What the search service offers (the controller and GraphQL call it through strapi.service). */
export interface SearchService {
  search(request: SearchRequest): Promise<SearchResult>;
  suggest(q: string, locale: SearchLocale): Promise<Array<{ type: SearchableType; documentId: string; slug: string | null; title: string }>>;
}

const SUGGESTIONS = 8;

const asIso = (value: Date | string | number | null) => (value === null ? null : new Date(value).toISOString());
const time = (value: Date | string | number | null) => (value === null ? 0 : new Date(value).getTime());

/** lookUp's order across two lists: rank, then newest published; the requested locale's first. */
const byRank = (a: IndexRow, b: IndexRow) => Number(b.rank) - Number(a.rank) || time(b.published_at) - time(a.published_at) || Number(a.id) - Number(b.id);

export default ({ strapi }: { strapi: Core.Strapi }): SearchService => ({
  async search(request: SearchRequest): Promise<SearchResult> {
    const terms = queryTerms(request.q, request.locale);
    if (terms.length === 0) return { hits: [], total: 0, totalIsLowerBound: false, terms };
    const typeOf = new Map(Object.entries(SEARCHABLE).map(([type, uid]) => [uid as string, type as SearchableType]));
    // Every type: no filter on the type (the index holds nothing else).
    const contentTypes = request.types.length === Object.keys(SEARCHABLE).length ? undefined : request.types.map((type) => SEARCHABLE[type]);
    const offset = (request.page - 1) * request.pageSize;
    const common = { contentTypes, when: request.when, now: new Date() };
    let rows: IndexRow[];
    let total: number;
    let totalIsLowerBound: boolean;
    const termsOf = new Map<string, string[]>([[request.locale, terms]]);
    if (!request.fallbackLocale) {
      ({ rows, total, totalIsLowerBound } = await lookUp(strapi.db.connection, { ...common, terms, locale: request.locale, limit: request.pageSize, offset }));
    } else {
      // Two lists, each stemmed in its own language (the fallback one only of documents missing
      // in the requested locale), merged in the one order lookUp uses, then paged as one.
      const fallbackTerms = queryTerms(request.q, request.fallbackLocale);
      termsOf.set(request.fallbackLocale, fallbackTerms);
      const upTo = offset + request.pageSize;
      const primary = await lookUp(strapi.db.connection, { ...common, terms, locale: request.locale, limit: upTo, offset: 0 });
      const fallback =
        fallbackTerms.length === 0
          ? { rows: [], total: 0, totalIsLowerBound: false }
          : await lookUp(strapi.db.connection, { ...common, terms: fallbackTerms, locale: request.fallbackLocale, missingIn: request.locale, limit: upTo, offset: 0 });
      rows = [...primary.rows, ...fallback.rows].sort(byRank).slice(offset, upTo);
      total = primary.total + fallback.total;
      totalIsLowerBound = primary.totalIsLowerBound || fallback.totalIsLowerBound;
    }
    const hits = rows.map((row) => {
      const rowTerms = termsOf.get(row.locale) ?? terms;
      const locale = row.locale as SearchLocale;
      // The snippet from the lead, else the body, else the title: where the words are.
      const snippets = [row.lead, row.body, row.title].filter((text): text is string => Boolean(text)).map((text) => highlight(text, rowTerms, locale));
      return {
        type: typeOf.get(row.content_type)!,
        documentId: row.document_id,
        locale: row.locale,
        slug: row.slug,
        title: row.title,
        snippet: snippets.find((snippet) => snippet.includes('<mark>')) ?? highlight(row.lead || row.title, rowTerms, locale),
        score: Math.round(Number(row.rank) * 1000) / 1000,
        startsAt: asIso(row.starts_at),
      };
    });
    return { hits, total, totalIsLowerBound, terms };
  },

  /** Up to 8 titles and names for a search box: every type, title matches first. */
  async suggest(q, locale) {
    const terms = queryTerms(q, locale);
    if (terms.length === 0) return [];
    const typeOf = new Map(Object.entries(SEARCHABLE).map(([type, uid]) => [uid as string, type as SearchableType]));
    const { rows } = await lookUp(strapi.db.connection, {
      terms,
      locale,
      now: new Date(),
      limit: SUGGESTIONS,
      offset: 0,
      withTotal: false,
    });
    return rows.map((row) => ({ type: typeOf.get(row.content_type)!, documentId: row.document_id, slug: row.slug, title: row.title }));
  },
});
