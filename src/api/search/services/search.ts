/**
 * One search over published content (GET /api/search): the query's terms (text.ts) looked up in
 * the index (index-store.ts), best first, each hit with a snippet whose matching words are
 * marked. The request's rules are the controller's.
 */
import type { Core } from '@strapi/strapi';
import { SEARCHABLE, type SearchableType } from '../indexed-documents';
import { lookUp } from '../index-store';
import { highlight, queryTerms, type SearchLocale } from '../text';

export interface SearchRequest {
  q: string;
  locale: SearchLocale;
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

/** What the search service offers (the controller and GraphQL call it through strapi.service). */
export interface SearchService {
  search(request: SearchRequest): Promise<{ hits: SearchHit[]; total: number; terms: string[] }>;
  suggest(q: string, locale: SearchLocale): Promise<Array<{ type: SearchableType; documentId: string; slug: string | null; title: string }>>;
}

const SUGGESTIONS = 8;

const asIso = (value: Date | string | number | null) => (value === null ? null : new Date(value).toISOString());

export default ({ strapi }: { strapi: Core.Strapi }): SearchService => ({
  async search(request: SearchRequest): Promise<{ hits: SearchHit[]; total: number; terms: string[] }> {
    const terms = queryTerms(request.q, request.locale);
    if (terms.length === 0) return { hits: [], total: 0, terms };
    const typeOf = new Map(Object.entries(SEARCHABLE).map(([type, uid]) => [uid as string, type as SearchableType]));
    const { rows, total } = await lookUp(strapi.db.connection, {
      terms,
      locale: request.locale,
      contentTypes: request.types.map((type) => SEARCHABLE[type]),
      when: request.when,
      now: new Date(),
      limit: request.pageSize,
      offset: (request.page - 1) * request.pageSize,
    });
    const hits = rows.map((row) => {
      // The snippet from the lead, else the body, else the title: where the words are.
      const snippets = [row.lead, row.body, row.title].filter((text): text is string => Boolean(text)).map((text) => highlight(text, terms, request.locale));
      return {
        type: typeOf.get(row.content_type)!,
        documentId: row.document_id,
        locale: row.locale,
        slug: row.slug,
        title: row.title,
        snippet: snippets.find((snippet) => snippet.includes('<mark>')) ?? highlight(row.lead || row.title, terms, request.locale),
        score: Math.round(Number(row.rank) * 1000) / 1000,
        startsAt: asIso(row.starts_at),
      };
    });
    return { hits, total, terms };
  },

  /** Up to 8 titles and names for a search box: every type, title matches first. */
  async suggest(q, locale) {
    const terms = queryTerms(q, locale);
    if (terms.length === 0) return [];
    const typeOf = new Map(Object.entries(SEARCHABLE).map(([type, uid]) => [uid as string, type as SearchableType]));
    const { rows } = await lookUp(strapi.db.connection, {
      terms,
      locale,
      contentTypes: Object.values(SEARCHABLE),
      now: new Date(),
      limit: SUGGESTIONS,
      offset: 0,
    });
    return rows.map((row) => ({ type: typeOf.get(row.content_type)!, documentId: row.document_id, slug: row.slug, title: row.title }));
  },
});
