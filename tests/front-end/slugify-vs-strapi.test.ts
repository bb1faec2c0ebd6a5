/**
 * Why our slugify (src/lib/slug) stays, written down when issue 11 tried Strapi's own instead: a
 * uid attribute's `options` (`customReplacements`, `decamelize`, ...) go to
 * `@sindresorhus/slugify`, which the content manager's uid service calls to propose a slug.
 * With Danish replacements it makes our slug for every short Danish title (the property below),
 * but not for long titles (we cut at 80 characters), nor for letters it transliterates its own
 * way (ü -> ue where we write u; ł, þ, œ kept as letters where we drop them), nor for what we
 * decompose (ﬁ, ½). Slugs are URLs already out there, so ours stays and this file shows the
 * reasons still hold. (The admin's wrapper in src/features/editorial/admin/slug-field.ts stays too: Strapi's
 * uid service numbers duplicates from -1 and counts the document itself; tests/admin/views.test.ts.)
 * No app needed.
 */
import fc from 'fast-check';
import strapiSlugify from '@sindresorhus/slugify';
import { slugify } from '../../src/lib/slug';

/** The options a uid attribute would need to come closest to our slugs. */
const UID_OPTIONS = {
  decamelize: false,
  customReplacements: [
    ['æ', 'ae'],
    ['ø', 'oe'],
    ['å', 'aa'],
    ['Æ', 'ae'],
    ['Ø', 'oe'],
    ['Å', 'aa'],
    ['&', ' '],
  ] as Array<[string, string]>,
};
const strapiSlug = (title: string) => strapiSlugify(title, UID_OPTIONS);

const danishLetters = 'abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅéÉ';
const danishTitle = fc
  .array(fc.oneof(fc.constantFrom(...danishLetters.split('')), fc.constantFrom(' ', ' ', '-', ',', '.', '?', '!', ':', '&', '"', '(', ')', '0', '1', '9')), {
    maxLength: 60,
  })
  .map((characters) => characters.join(''));

it('makes our slug for any short Danish title, given Danish replacements', () => {
  fc.assert(
    fc.property(danishTitle, (title) => {
      expect(strapiSlug(title)).toBe(slugify(title));
    }),
    { numRuns: 2000 },
  );
});

it.each([
  ['a long title (we cut at 80 characters)', 'Regionernes og kommunernes fælles indkøb af sundhedsteknologi: erfaringer fra fem år med innovationspartnerskaber'],
  ['German letters (ü -> ue; we write u)', 'Café Müller & Søn'],
  ['Swedish letters (ö -> oe; we write o)', 'Malmö og Göteborg'],
  ['letters without a decomposition (ł, þ, œ)', 'Łódź, Þórshöfn og Œuvre'],
  ['compatibility characters (ﬁ, ½)', '½ års ﬁnansiering'],
])('cannot make our slug for %s', (_case, title) => {
  expect(strapiSlug(title)).not.toBe(slugify(title));
});
