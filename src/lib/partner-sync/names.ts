/**
 * Owns how names are compared when partners' spellings meet ours: event titles, organisation
 * names (with their acronyms, legal suffixes and unit/parent dashes) and the similarity of two
 * titles. Pure functions, no database: src/lib/partner-sync/identities.ts and
 * event-matching.ts use them, tests/partner-matching/names.test.ts pins them down.
 *
 * Folding: lower case; æ -> ae, ø -> oe, å -> aa (so "Søren" = "Soeren", "Aabenraa" = "Åbenrå");
 * other accents dropped (é -> e); every run of punctuation, dashes and spaces is one space.
 */
import { distance } from 'fastest-levenshtein';

const DANISH: Record<string, string> = { æ: 'ae', ø: 'oe', å: 'aa', ä: 'ae', ö: 'oe' };

/** Lower case with Danish letters spelled out and other accents dropped; punctuation kept. */
export function foldDanish(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[æøåäö]/g, (letter) => DANISH[letter]!)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
}

/** Folded, with every run of non-letters/digits (punctuation, dashes, spaces) as one space. */
export function normaliseText(text: string): string {
  return foldDanish(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The most two titles whose numbers differ can score: never a confident match on their own. */
export const NUMBERS_DIFFER_CAP = 0.6;

/**
 * How alike two titles are, 0..1: 1 - Levenshtein distance / length of the longer, on the
 * normalised titles and on their words sorted (so "Debat: X og Y" meets "X og Y – debat"),
 * whichever is higher. Titles whose numbers differ score at most NUMBERS_DIFFER_CAP.
 */
export function titleSimilarity(a: string, b: string): number {
  const left = normaliseText(a);
  const right = normaliseText(b);
  if (left === right) return 1;
  const ratio = (x: string, y: string) => {
    const longer = Math.max(x.length, y.length);
    return longer === 0 ? 1 : 1 - distance(x, y) / longer;
  };
  const sorted = (text: string) => text.split(' ').sort().join(' ');
  const score = Math.max(ratio(left, right), ratio(sorted(left), sorted(right)));
  // "Debat 12" and "Debat 52", "Del 1" and "Del 2": one digit apart, and two different events.
  const numbers = (text: string) => (text.match(/\d+/g) ?? []).join(' ');
  return numbers(left) === numbers(right) ? score : Math.min(score, NUMBERS_DIFFER_CAP);
}

/**
 * Legal-form suffixes dropped from the end of an organisation's name ("Aquatime A/S" =
 * "Aquatime"), compared after folding, with dots and slashes between letters removed
 * ("a.m.b.a." = "amba", "A/S" = "as").
 */
const LEGAL_SUFFIXES = ['as', 'aps', 'is', 'ps', 'ks', 'ivs', 'amba', 'fmba', 'smba', 'ltd', 'inc', 'gmbh', 'ab'];

/**
 * Words whose genitive is the same unit: "Aabenraa Kommunes" = "Aabenraa Kommune",
 * "Region Hovedstadens" stays "region hovedstadens" (a place name's own s is kept).
 */
const UNIT_GENITIVES: Record<string, string> = { kommunes: 'kommune', regions: 'region', styrelsens: 'styrelsen', ministeriets: 'ministeriet' };

/** An acronym as written: 2-8 letters/digits, at least two capitals, maybe one dash ("CO-PI", "KL", "DE"). */
function isAcronym(word: string): boolean {
  const trimmed = word.trim();
  if (!/^[\p{L}\p{N}]+(?:[-.&][\p{L}\p{N}]+)?$/u.test(trimmed)) return false;
  const letters = trimmed.replace(/[-.&]/g, '');
  if (letters.length < 2 || letters.length > 8) return false;
  const capitals = [...letters].filter((char) => /\p{Lu}/u.test(char)).length;
  return capitals >= 2 && capitals >= letters.length - 1;
}

/** One part of an organisation's name, normalised: no legal suffix, unit genitives as the unit. */
function normaliseNamePart(part: string): string {
  let words = normaliseText(part.replace(/(?<=\p{L})[./](?=\p{L})/gu, '')).split(' ').filter(Boolean);
  if (words.length === 1 && LEGAL_SUFFIXES.includes(words[0]!)) return '';
  words = words.map((word) => UNIT_GENITIVES[word] ?? word);
  while (words.length > 1 && LEGAL_SUFFIXES.includes(words[words.length - 1]!)) words = words.slice(0, -1);
  return words.join(' ');
}

export interface OrganisationKey {
  /** The normalised full name ("kommunernes landsforening"); '' when only an acronym was given. */
  name: string;
  /** The normalised acronym ("kl", "copi"), or null. */
  acronym: string | null;
}

/**
 * Splits an organisation's name into its full name and its acronym, whichever way it is written:
 * "KL (Kommunernes Landsforening)", "Kommunernes Landsforening (KL)", "Kommunernes Landsforening KL",
 * "KL – Kommunernes Landsforening", or "KL" alone (then `name` is ''). A dash (with spaces) or a
 * comma between two names that are not an acronym ("Center for IT og Medicoteknologi – Region
 * Hovedstaden") is a unit and its parent: both stay in the name, in a fixed (sorted) order, so
 * "Region Hovedstaden, Center for IT og Medicoteknologi" is the same name.
 */
export function organisationKey(raw: string): OrganisationKey {
  const text = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  let acronym: string | null = null;
  const parts: string[] = [];
  // "A (B)": one of the two may be the acronym.
  const parenthesised = /^(.*?)\s*\(([^()]*)\)\s*(.*)$/.exec(text);
  // The three groups are not optional: each is set (maybe '') on a match.
  const pieces = parenthesised ? [parenthesised[1]!, parenthesised[2]!, parenthesised[3]!] : [text];
  for (const piece of pieces) {
    // Dashes with spaces around them, and commas, separate acronym / unit / parent.
    for (const part of piece.split(/\s+[-–—]\s+|\s*,\s*/)) {
      const trimmed = part.trim();
      if (!trimmed) continue;
      if (acronym === null && isAcronym(trimmed)) acronym = trimmed;
      else parts.push(trimmed);
    }
  }
  // "Kommunernes Landsforening KL": an acronym appended (or put first) to a name of 2+ words.
  // Only in a name written in mixed case: in "SAMLING 0 ØST" every word looks like an acronym.
  const [only] = parts;
  if (acronym === null && parts.length === 1 && only !== undefined && /\p{Ll}/u.test(only)) {
    const words = only.split(' ');
    if (words.length >= 3 && isAcronym(words[words.length - 1]!) && !isAcronym(words[words.length - 2]!)) {
      acronym = words.pop()!;
      parts[0] = words.join(' ');
    } else if (words.length >= 3 && isAcronym(words[0]!) && !isAcronym(words[1]!)) {
      acronym = words.shift()!;
      parts[0] = words.join(' ');
    }
  }
  // A unit and its parent in either order are the same name.
  const names = parts.map(normaliseNamePart).filter(Boolean).sort();
  return {
    name: names.join(' '),
    acronym: acronym === null ? null : normaliseText(acronym).replace(/ /g, ''),
  };
}

/** A person's name for comparison: folded, punctuation and spacing normalised. */
export const personNameKey = (name: string) => normaliseText(name);
