/**
 * The words of a text as the search index keeps them, and of a query as it looks them up: the
 * same steps on both sides, in the app, so SQLite and PostgreSQL find exactly the same things.
 * - words are runs of letters and digits, in lower case;
 * - stop words of the text's language are dropped (Danish or English);
 * - each word is stemmed with the Snowball stemmer of its language (@orama/stemmers), so
 *   "indkøbere" and "indkøb" meet at "indkøb";
 * - then folded: æ → ae, ø → oe, å → aa, other accents dropped, so "aeldrepleje" typed on an
 *   English keyboard meets "ældrepleje".
 * A query's terms are looked up as prefixes, which reaches compounds ("indkøb" finds
 * "indkøbsvogn") and the word being typed. Terms are [a-z0-9] only: no query is ever read as
 * FTS5 or tsquery syntax.
 */
import { stemmer as danishStemmer } from '@orama/stemmers/danish';
import { stemmer as englishStemmer } from '@orama/stemmers/english';

export type SearchLocale = 'da' | 'en';

const DANISH_STOP_WORDS = new Set(
  ('og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om vi min havde ham hun nu over da fra du ud ' +
    'sin dem os op man hans hvor eller hvad skal selv her alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne ' +
    'end dette mit også under have dig anden hende mine alt meget sit sine vor mod disse hvis din nogle hos blive mange ad bliver hendes ' +
    'været thi jer sådan').split(' '),
);
const ENGLISH_STOP_WORDS = new Set(
  ('a an and are as at be but by for from has have he her his i in is it its of on or our she that the their them they this to was we ' +
    'were what when where which who will with you your').split(' '),
);

const FOLDS: Record<string, string> = { æ: 'ae', ø: 'oe', å: 'aa', ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

/** Danish letters spelt out, other accents dropped: "Ældrepleje" → "aeldrepleje". */
export function fold(word: string): string {
  return word
    .toLowerCase()
    .replace(/[æøåäöüß]/g, (letter) => FOLDS[letter]!)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]/g, '');
}

/** The words of a text, in order, in lower case, as written. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** One word as the index keeps it, or undefined for a stop word. */
export function termOf(word: string, locale: SearchLocale): string | undefined {
  const lower = word.toLowerCase();
  if ((locale === 'da' ? DANISH_STOP_WORDS : ENGLISH_STOP_WORDS).has(lower)) return undefined;
  const term = fold(locale === 'da' ? danishStemmer(lower) : englishStemmer(lower));
  return term.length > 0 ? term : undefined;
}

/** A text as index terms, space-separated. */
export function indexTerms(text: string, locale: SearchLocale): string {
  return wordsOf(text)
    .map((word) => termOf(word, locale))
    .filter((term): term is string => term !== undefined)
    .join(' ');
}

/** A query's distinct terms (stop words dropped, unless the query is nothing else). */
export function queryTerms(query: string, locale: SearchLocale): string[] {
  const words = wordsOf(query);
  const terms = words.map((word) => termOf(word, locale)).filter((term): term is string => term !== undefined);
  const kept = terms.length > 0 ? terms : words.map(fold).filter(Boolean);
  return [...new Set(kept)];
}

/** HTML with `<mark>` around the words of `text` that a query term is a prefix of; everything else escaped. */
export function highlight(text: string, terms: string[], locale: SearchLocale, maxWords = 30): string {
  const escape = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  const parts = text.split(/([\p{L}\p{N}]+)/gu);
  const matches = (word: string) => {
    const term = termOf(word, locale) ?? fold(word);
    return terms.some((queryTerm) => term.startsWith(queryTerm) || fold(word).startsWith(queryTerm));
  };
  // A window of maxWords words around the first match (or the start).
  const wordIndexes = parts.map((_part, index) => (index % 2 === 1 ? index : -1)).filter((index) => index >= 0);
  const first = wordIndexes.find((index) => matches(parts[index]!)) ?? wordIndexes[0] ?? 0;
  const position = wordIndexes.indexOf(first);
  const start = Math.max(0, position - 8);
  const end = Math.min(wordIndexes.length, start + maxWords);
  const from = start === 0 ? 0 : wordIndexes[start]!;
  const to = end >= wordIndexes.length ? parts.length : wordIndexes[end]!;
  let html = '';
  for (let index = from; index < to; index++) {
    const part = parts[index]!;
    html += index % 2 === 1 && matches(part) ? `<mark>${escape(part)}</mark>` : escape(part);
  }
  return `${start > 0 ? '… ' : ''}${html.trim()}${to < parts.length ? ' …' : ''}`;
}
