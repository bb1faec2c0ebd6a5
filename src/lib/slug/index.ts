/**
 * Owns how titles and names become URL slugs: Danish letters are transliterated the way
 * Danes write them without the letters (æ -> ae, ø -> oe, å -> aa), other accents are dropped.
 */

const DANISH_LETTERS: Record<string, string> = {
  æ: 'ae',
  ø: 'oe',
  å: 'aa',
  Æ: 'ae',
  Ø: 'oe',
  Å: 'aa',
};

export function slugify(text: string, maxLength = 80): string {
  const transliterated = text
    .replace(/[æøåÆØÅ]/g, (letter) => DANISH_LETTERS[letter]!)
    // Split accented letters into base letter + combining mark, then drop the marks.
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase();

  return transliterated
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
}
