/**
 * The name rules of src/api/partner/matching/names.ts, on their own: how organisation names, people's
 * names and event titles written differently by partners come out the same (and different ones
 * do not), with properties checked by fast-check over generated names.
 */
import fc from 'fast-check';
import { foldDanish, isJobTitle, normaliseText, organisationKey, organisationSimilarity, personNameKey, splitOrganisationTitle, titleSimilarity, NUMBERS_DIFFER_CAP } from '../../src/api/partner/matching/names';

const key = (name: string) => organisationKey(name);

describe('organisation names', () => {
  it.each([
    ['KL (Kommunernes Landsforening)', 'Kommunernes Landsforening KL'],
    ['KL (Kommunernes Landsforening)', 'Kommunernes Landsforening (KL)'],
    ['KL – Kommunernes Landsforening', 'kommunernes landsforening'],
    ['Dansk Erhverv', 'Dansk Erhverv (DE)'],
    ['Aabenraa Kommune', 'Aabenraa Kommunes'],
    ['Aabenraa Kommune', 'Åbenrå kommune'],
    ['Københavns Kommune', 'KØBENHAVNS KOMMUNE'],
    ['Aquatime A/S', 'Aquatime'],
    ['Novo Nordisk A/S', 'Novo Nordisk'],
    ['Center for IT og Medicoteknologi – Region Hovedstaden', 'Region Hovedstaden, Center for IT og Medicoteknologi'],
    ['Center for IT og Medicoteknologi - Region Hovedstaden', 'Center for IT og Medicoteknologi, Region Hovedstaden'],
    ['Center for Offentlig-Privat Innovation (CO-PI)', 'Center for offentlig privat innovation'],
  ])('"%s" is "%s" by name', (a, b) => {
    expect(key(a).name).not.toBe('');
    expect(key(a).name).toBe(key(b).name);
  });

  it.each([
    ['Dansk Erhverv', 'Dansk Industri'],
    ['Aabenraa Kommune', 'Aalborg Kommune'],
    ['Region Hovedstaden', 'Region Sjælland'],
    ['Center for IT og Medicoteknologi', 'Center for IT og Medicoteknologi – Region Hovedstaden'],
  ])('"%s" is not "%s"', (a, b) => {
    expect(key(a).name).not.toBe(key(b).name);
  });

  it('reads an acronym given alone as an acronym, with no name', () => {
    expect(key('KL')).toEqual({ name: '', acronym: 'kl' });
    expect(key('CO-PI')).toEqual({ name: '', acronym: 'copi' });
    expect(key('COPI')).toEqual({ name: '', acronym: 'copi' });
    expect(key('KL (Kommunernes Landsforening)')).toEqual({ name: 'kommunernes landsforening', acronym: 'kl' });
    expect(key('Dansk Erhverv (DE)')).toEqual({ name: 'dansk erhverv', acronym: 'de' });
  });

  it('does not take words of a name written in capitals for an acronym', () => {
    expect(key('SAMLING 0 ØST')).toEqual(key('Samling 0 Øst'));
    expect(key('SAMLING 0 ØST').acronym).toBeNull();
  });

  const capitalised = fc
    .tuple(fc.constantFrom(...'ABCDEFGHIJKLMNOPRSTUVÆØÅ'), fc.stringMatching(/^[a-zæøå]{3,10}$/))
    .map(([first, rest]) => first + rest);
  const multiWordName = fc.array(capitalised, { minLength: 2, maxLength: 4 }).map((words) => words.join(' '));
  const acronym = fc.stringMatching(/^[A-ZÆØÅ]{2,5}$/);

  it('property: an acronym in parentheses, before or after the name, or after a dash, gives the same key', () => {
    fc.assert(
      fc.property(multiWordName, acronym, (name, short) => {
        const expected = key(`${name} (${short})`);
        expect(expected.name).toBe(normaliseText(name));
        expect(expected.acronym).toBe(normaliseText(short));
        for (const variant of [`${short} (${name})`, `${name} ${short}`, `${short} – ${name}`, `${name} - ${short}`]) {
          expect(key(variant)).toEqual(expected);
        }
        // And the name alone has the same name part.
        expect(key(name).name).toBe(expected.name);
      }),
    );
  });

  it('property: case, spacing and a legal suffix never change the name part', () => {
    fc.assert(
      fc.property(multiWordName, fc.constantFrom('', ' A/S', ' ApS', ' a.m.b.a.', ' I/S'), (name, suffix) => {
        const base = key(name).name;
        expect(key(`${name}${suffix}`).name).toBe(base);
        expect(key(`  ${name.toLowerCase()}  `).name).toBe(base);
      }),
    );
  });
});

describe('text and people’s names', () => {
  it('folds Danish letters both ways they are written', () => {
    expect(personNameKey('Søren Kjær')).toBe(personNameKey('Soeren Kjaer'));
    expect(personNameKey('  Mette   HARBO. ')).toBe('mette harbo');
    expect(foldDanish('ÆØÅ æøå é')).toBe('aeoeaa aeoeaa e');
    expect(personNameKey('Anne Jensen')).not.toBe(personNameKey('Anna Jensen'));
  });

  it('property: normalising is idempotent and leaves no Danish letter, capital, punctuation or double space', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcæøåÆØÅ ABC-–.,:!?()é1'.split('')), maxLength: 40 }), (text) => {
        const once = normaliseText(text);
        expect(normaliseText(once)).toBe(once);
        expect(once).not.toMatch(/[æøåÆØÅA-Z]|[^\p{L}\p{N} ]|  |^ | $/u);
      }),
    );
  });
});

describe('title similarity', () => {
  it('is 1 for titles that differ in case, punctuation, dashes and Danish spelling only', () => {
    expect(titleSimilarity('Spænd innovation for den offentlige indkøbsvogn', 'SPAEND innovation – for den offentlige indkoebsvogn!')).toBe(1);
  });

  it('scores a lightly different title high, a doubtful one in between, another debate low', () => {
    const seeded = 'Spænd innovation for den offentlige indkøbsvogn';
    expect(titleSimilarity(seeded, 'Spænd innovation for den offentlige indkøbsvogn – debat')).toBeGreaterThanOrEqual(0.85);
    const doubtful = titleSimilarity(seeded, 'Innovation i den offentlige indkøbsproces');
    expect(doubtful).toBeGreaterThanOrEqual(0.5);
    expect(doubtful).toBeLessThan(0.85);
    expect(titleSimilarity(seeded, 'Kommunernes klimaplaner')).toBeLessThan(0.5);
  });

  it('never scores titles whose numbers differ above the cap', () => {
    expect(titleSimilarity('Fremtidens indkøb, del 1', 'Fremtidens indkøb, del 2')).toBe(NUMBERS_DIFFER_CAP);
    expect(titleSimilarity('Debat nummer 12', 'Debat nummer 52')).toBeLessThanOrEqual(NUMBERS_DIFFER_CAP);
  });

  it('property: symmetric, between 0 and 1, and 1 for a title against itself', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), (a, b) => {
        const score = titleSimilarity(a, b);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
        expect(titleSimilarity(b, a)).toBeCloseTo(score, 10);
        expect(titleSimilarity(a, a)).toBe(1);
      }),
    );
  });
});

describe('a job title in a person’s organisation field', () => {
  it.each([
    ['Direktør, Dansk Erhverv', 'Dansk Erhverv', 'Direktør'],
    ['Dansk Erhverv – direktør', 'Dansk Erhverv', 'direktør'],
    ['Dansk Erhverv - Direktør', 'Dansk Erhverv', 'Direktør'],
    ['Dansk Erhverv, direktør', 'Dansk Erhverv', 'direktør'],
    ['Dansk Erhverv (direktør)', 'Dansk Erhverv', 'direktør'],
    ['Direktør i Dansk Erhverv', 'Dansk Erhverv', 'Direktør'],
    ['Adm. direktør, Novo Nordisk A/S', 'Novo Nordisk A/S', 'Adm. direktør'],
    ['Markedschef, Dansk Erhverv (DE)', 'Dansk Erhverv (DE)', 'Markedschef'],
    ['Konstitueret direktør, Center for IT og Medicoteknologi – Region Hovedstaden', 'Center for IT og Medicoteknologi – Region Hovedstaden', 'Konstitueret direktør'],
    ['Direktør for digitalisering, KL', 'KL', 'Direktør for digitalisering'],
    ['Head of Research, Novo Nordisk', 'Novo Nordisk', 'Head of Research'],
    ['CEO at Aquatime', 'Aquatime', 'CEO'],
    ['Chefkonsulent hos KL', 'KL', 'Chefkonsulent'],
  ])('%s is %s, title %s', (field, organisation, title) => {
    expect(splitOrganisationTitle(field)).toEqual({ organisation, title });
  });

  it.each([
    'Center for IT og Medicoteknologi – Region Hovedstaden',
    'Region Hovedstaden, Center for IT og Medicoteknologi',
    'Dansk Erhverv (DE)',
    'KL (Kommunernes Landsforening)',
    'Kommunernes Landsforening KL',
    'Aabenraa Kommunes',
    'Erhvervshus Hovedstaden',
    'Center for Offentlig-Privat Innovation (CO-PI)',
    'Partnerskab for Offentlig Digitalisering',
    'Dansk Design Center',
    'Lederforum i Region Syddanmark',
  ])('leaves %s whole: no part of it is a title', (field) => {
    expect(splitOrganisationTitle(field)).toEqual({ organisation: field, title: null });
  });

  it('reads a field that is only a title as no organisation', () => {
    expect(splitOrganisationTitle('Direktør')).toEqual({ organisation: '', title: 'Direktør' });
    expect(isJobTitle('Center for Offentlig-Privat Innovation')).toBe(false);
  });

  it('property: the organisation left is never a title, and a name with no title word comes back as given', () => {
    const word = fc.constantFrom('Dansk', 'Erhverv', 'Region', 'Hovedstaden', 'Center', 'for', 'Innovation', 'Aarhus', 'Kommune', 'Novo', 'Nordisk', 'A/S');
    const name = fc.array(word, { minLength: 1, maxLength: 5 }).map((words) => words.join(' '));
    const title = fc.constantFrom('Direktør', 'adm. direktør', 'Markedschef', 'CEO', 'Head of Research', 'Chefkonsulent', 'Formand');
    fc.assert(
      fc.property(name, title, fc.constantFrom(', ', ' – ', ' - '), fc.boolean(), (organisation, jobTitle, separator, titleFirst) => {
        expect(splitOrganisationTitle(organisation)).toEqual({ organisation, title: null });
        const field = titleFirst ? `${jobTitle}${separator}${organisation}` : `${organisation}${separator}${jobTitle}`;
        expect(splitOrganisationTitle(field)).toEqual({ organisation, title: jobTitle });
      }),
    );
  });
});

describe('organisation similarity', () => {
  it('is high for a letter or an s apart, low for another organisation, 0 for an acronym alone', () => {
    expect(organisationSimilarity(key('Dansk Erhverv'), key('Dansk Erhvervs'))).toBeGreaterThanOrEqual(0.85);
    expect(organisationSimilarity(key('Erhvervshus Hovedstaden'), key('Erhvervshuset Hovedstaden'))).toBeGreaterThanOrEqual(0.85);
    expect(organisationSimilarity(key('Dansk Erhverv'), key('Dansk Industri'))).toBeLessThan(0.85);
    expect(organisationSimilarity(key('KL'), key('Kommunernes Landsforening'))).toBe(0);
  });
});
