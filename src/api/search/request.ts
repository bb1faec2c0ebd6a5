/** The search's parameters, for REST and GraphQL alike; every bad one names itself. */
import { SEARCHABLE, type SearchableType } from './indexed-documents';
import { wordsOf, type SearchLocale } from './text';
import type { SearchRequest } from './services/search';

const PARAMETERS = ['q', 'locale', 'fallbackLocale', 'types', 'when', 'page', 'pageSize'];
const MAX_QUERY_LENGTH = 200;
const MAX_TERMS = 8;
const MAX_PAGE_SIZE = 50;
const MAX_PAGE = 100;

export type Parsed = { ok: true; request: SearchRequest } | { ok: false; param: string; message: string };

export function readSearchRequest(query: Record<string, unknown>): Parsed {
  const bad = (param: string, message: string): Parsed => ({ ok: false, param, message });
  for (const [param, value] of Object.entries(query)) {
    if (!PARAMETERS.includes(param)) return bad(param, `unknown parameter "${param}" (use ${PARAMETERS.join(', ')})`);
    if (typeof value !== 'string') return bad(param, `${param} must be given once, as a plain value`);
  }
  const q = String(query.q ?? '').trim();
  if (!q) return bad('q', 'q is required: the words to search for');
  if (q.length > MAX_QUERY_LENGTH) return bad('q', `q is at most ${MAX_QUERY_LENGTH} characters`);
  if (wordsOf(q).length > MAX_TERMS) return bad('q', `q has at most ${MAX_TERMS} words`);
  const locale = String(query.locale ?? 'da');
  if (locale !== 'da' && locale !== 'en') return bad('locale', 'locale must be "da" or "en"');
  // Over REST the locale fallback middleware (src/lib/i18n/fallback.ts) reads fallbackLocale
  // first; GraphQL passes it here.
  const fallback = query.fallbackLocale === undefined ? undefined : String(query.fallbackLocale);
  if (fallback !== undefined && fallback !== 'da' && fallback !== 'en') return bad('fallbackLocale', 'fallbackLocale must be "da" or "en"');
  const all = Object.keys(SEARCHABLE) as SearchableType[];
  const types = query.types === undefined ? all : String(query.types).split(',').map((type) => type.trim());
  const unknown = types.find((type) => !all.includes(type as SearchableType));
  if (unknown !== undefined || types.length === 0) return bad('types', `types must list some of ${all.join(', ')}; got "${unknown ?? ''}"`);
  const when = query.when === undefined ? undefined : String(query.when);
  if (when !== undefined && when !== 'upcoming' && when !== 'past') return bad('when', 'when must be "upcoming" or "past"');
  const whole = (param: string, fallback: number, max: number): number | Parsed => {
    const raw = query[param] === undefined ? String(fallback) : String(query[param]);
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < 1 || value > max) return bad(param, `${param} must be a whole number from 1 to ${max}`);
    return value;
  };
  const page = whole('page', 1, MAX_PAGE);
  if (typeof page !== 'number') return page;
  const pageSize = whole('pageSize', 10, MAX_PAGE_SIZE);
  if (typeof pageSize !== 'number') return pageSize;
  return {
    ok: true,
    request: { q, locale, ...(fallback && fallback !== locale ? { fallbackLocale: fallback as SearchLocale } : {}), types: [...new Set(types)] as SearchableType[], page, pageSize, when },
  };
}

const SUGGEST_PARAMETERS = ['q', 'locale'];
const MAX_SUGGEST_LENGTH = 100;

/** `GET /api/search/suggest?q=&locale=`: the words typed so far. */
export function readSuggestRequest(query: Record<string, unknown>): { ok: true; request: { q: string; locale: SearchLocale } } | { ok: false; param: string; message: string } {
  for (const [param, value] of Object.entries(query)) {
    if (!SUGGEST_PARAMETERS.includes(param)) return { ok: false, param, message: `unknown parameter "${param}" (use q, locale)` };
    if (typeof value !== 'string') return { ok: false, param, message: `${param} must be given once, as a plain value` };
  }
  const q = String(query.q ?? '').trim();
  if (!q) return { ok: false, param: 'q', message: 'q is required: what has been typed' };
  if (q.length > MAX_SUGGEST_LENGTH || wordsOf(q).length > MAX_TERMS) return { ok: false, param: 'q', message: `q is at most ${MAX_SUGGEST_LENGTH} characters and ${MAX_TERMS} words` };
  const locale = String(query.locale ?? 'da');
  if (locale !== 'da' && locale !== 'en') return { ok: false, param: 'locale', message: 'locale must be "da" or "en"' };
  return { ok: true, request: { q, locale } };
}
