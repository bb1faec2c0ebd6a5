/**
 * Owns how names are compared when partners' spellings meet ours: event titles, organisation
 * names (with their acronyms, legal suffixes and unit/parent dashes) and the similarity of two
 * titles. Pure functions, no database: src/api/partner/matching/identities.ts and
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

/**
 * Job titles as partners write them into a person's organisation field. A part of that field is
 * a title when, folded, every word is a title word, a word ending in a title word ("markedschef",
 * "chefkonsulent", "vicedirektør") or a qualifier ("adm.", "senior"), optionally followed by
 * "for …" / "of …" ("Direktør for digitalisering", "Head of Research").
 */
const TITLE_WORDS = [
  // Danish
  'direktoer', 'chef', 'leder', 'konsulent', 'formand', 'naestformand', 'borgmester', 'raadmand', 'minister',
  'professor', 'lektor', 'adjunkt', 'forsker', 'postdoc', 'stifter', 'medstifter', 'grundlaegger', 'ejer',
  'partner', 'ordfoerer', 'koordinator', 'raadgiver', 'specialist', 'analytiker', 'medarbejder', 'sekretaer',
  'udvikler', 'arkitekt', 'projektleder', 'overlaege', 'laege', 'sygeplejerske', 'radiograf', 'regionsraadsmedlem',
  'byraadsmedlem', 'folketingsmedlem', 'medlem', 'praesident', 'redaktoer', 'journalist', 'studerende',
  // English
  'ceo', 'cto', 'cfo', 'coo', 'cio', 'cmo', 'vp', 'director', 'manager', 'head', 'founder', 'cofounder', 'owner',
  'chair', 'chairman', 'chairwoman', 'chairperson', 'president', 'advisor', 'adviser', 'consultant', 'officer',
  'researcher', 'lead', 'mayor', 'member', 'editor', 'engineer', 'analyst', 'coordinator', 'student',
];
const TITLE_QUALIFIERS = new Set([
  'adm', 'administrerende', 'konstitueret', 'kst', 'vice', 'senior', 'junior', 'special', 'chief', 'executive',
  'faglig', 'teknisk', 'kommerciel', 'politisk', 'international', 'digital', 'ledende', 'afdelings', 'kontor',
  'co', 'deputy', 'assistant', 'associate', 'managing', 'general', 'program', 'programme', 'project', 'product',
  'ph', 'd', 'og', 'and', '&',
]);

const isTitleWord = (word: string) => TITLE_WORDS.some((title) => word === title || (title.length >= 4 && word.endsWith(title)));

/** Whether a part of an organisation field is a job title rather than a name ("Direktør", "Head of Research"). */
export function isJobTitle(part: string): boolean {
  // A title fits the affiliation's title field (160) with room; a longer part is a name.
  if (part.trim().length > 80) return false;
  const words = normaliseText(part).split(' ').filter(Boolean);
  const tail = words.findIndex((word) => word === 'for' || word === 'of');
  const head = tail === -1 ? words : words.slice(0, tail);
  if (head.length === 0 || head.length > 5 || (tail !== -1 && tail === words.length - 1)) return false;
  return head.some(isTitleWord) && head.every((word) => isTitleWord(word) || TITLE_QUALIFIERS.has(word));
}

/**
 * A person's organisation field with a job title in it, split: "Direktør, Dansk Erhverv",
 * "Dansk Erhverv – direktør", "Dansk Erhverv (direktør)" and "Direktør i Dansk Erhverv" are all
 * Dansk Erhverv, title "Direktør" (as written). Only a part the title rule recognises is taken
 * out, so a unit and its parent ("Center for IT og Medicoteknologi – Region Hovedstaden") and an
 * acronym ("Dansk Erhverv (DE)") stay in the name. A field that is only a title has no
 * organisation.
 */
export function splitOrganisationTitle(raw: string): { organisation: string; title: string | null } {
  const text = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  // "Dansk Erhverv (direktør)".
  const parenthesised = /^(.*?)\s*\(([^()]*)\)\s*$/u.exec(text);
  if (parenthesised && parenthesised[1] && isJobTitle(parenthesised[2]!)) return { organisation: parenthesised[1].trim(), title: parenthesised[2]!.trim() };
  // Parts separated by a comma or a dash with spaces: the title is a first or last part.
  const parts = text.split(/\s*,\s*|\s+[-–—]\s+/u).filter(Boolean);
  if (parts.length >= 2) {
    const separators = text.match(/\s*,\s*|\s+[-–—]\s+/gu) ?? [];
    const join = (from: number, to: number) => parts.slice(from, to).map((part, index) => (index === 0 ? part : `${separators[from + index - 1]!}${part}`)).join('');
    if (isJobTitle(parts[0]!) && !isJobTitle(parts[1]!)) return { organisation: join(1, parts.length).trim(), title: parts[0]!.trim() };
    const last = parts.length - 1;
    if (isJobTitle(parts[last]!) && !isJobTitle(parts[last - 1]!)) return { organisation: join(0, last).trim(), title: parts[last]!.trim() };
  }
  // "Direktør i Dansk Erhverv", "CEO of Novo Nordisk", "Head of Research at Aquatime": split at
  // the last such word that leaves a title before it and a name after it.
  const words = text.split(' ');
  for (let at = words.length - 2; at >= 1; at -= 1) {
    if (!/^(?:i|hos|ved|at|of)$/u.test(words[at]!)) continue;
    const before = words.slice(0, at).join(' ');
    const after = words.slice(at + 1).join(' ');
    if (isJobTitle(before) && !isJobTitle(after)) return { organisation: after, title: before };
  }
  if (isJobTitle(text)) return { organisation: '', title: text };
  return { organisation: text, title: null };
}

/**
 * How alike two organisation names are, 0..1: titleSimilarity on their keys' names (so case,
 * Danish spelling, legal suffixes and word order do not count), 0 when either has no name.
 */
export function organisationSimilarity(a: OrganisationKey, b: OrganisationKey): number {
  if (!a.name || !b.name) return 0;
  return titleSimilarity(a.name, b.name);
}
