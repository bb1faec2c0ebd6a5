// @ts-check
// A generated news archive in the import's NDJSON shape (docs/import.md), for `npm run
// bench:scale` and the import's speed runs: fifteen years of bilingual articles, the festival
// programmes and debates they cover, the people quoted and the organisations behind them. Made
// from a fixed seed, so two runs (and two machines) generate the same file byte for byte.
'use strict';

const fs = require('fs');
const { random } = require('./random');

/**
 * How many documents of each type, for `articles` articles (the proportions: 100k articles, 50k events, 5k people, 1k organisations, 200 topics).
 * @param {number} articles
 */
function archiveCounts(articles) {
  return {
    topics: Math.min(200, Math.max(10, Math.round(articles / 500))),
    organisations: Math.max(10, Math.round(articles / 100)),
    venues: Math.max(5, Math.round(articles / 1000)),
    people: Math.max(20, Math.round(articles / 20)),
    events: Math.round(articles / 2),
    articles,
  };
}

const DA_WORDS = (
  'innovation samarbejde region kommune virksomhed forskning grøn omstilling energi klima sundhed data ' +
  'digitalisering borgere velfærd fremtid udvikling projekt partnerskab offentlig privat centret debat ' +
  'konference festival programmet deltagere løsninger erfaringer viden uddannelse arbejdsmarked vækst ' +
  'bæredygtig teknologi landbrug vand mobilitet byggeri industri eksport iværksættere ansvar tillid ' +
  'og i på med for til af at der som en et den det har er blev skal kan vil mellem efter over ' +
  'nye flere store vigtige lokale nationale danske europæiske'
).split(' ');
const EN_WORDS = (
  'innovation collaboration region municipality company research green transition energy climate health ' +
  'data digitalisation citizens welfare future development project partnership public private centre ' +
  'debate conference festival programme participants solutions experience knowledge education labour ' +
  'market growth sustainable technology farming water mobility construction industry export founders ' +
  'trust and in on with for to of that which a the has is was will can between after over new more ' +
  'large important local national danish european'
).split(' ');
const FIRST_NAMES = 'Ane Mette Søren Lars Maja Freja Anders Jens Karen Ida Mads Sofie Peter Hanne Rasmus Line Niels Birgitte Jonas Emma Kasper Signe Thomas Louise Mikkel'.split(' ');
const LAST_NAMES = 'Hansen Jensen Nielsen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen Petersen Madsen Kristensen Olsen Thomsen Poulsen Johansen Møller Mortensen Kjær-Hansen Østergaard Bach Lund Holm Dahl'.split(' ');
const ORG_KINDS = ['ministry', 'region', 'municipality', 'company', 'association', 'research', 'festival', 'other'];
const CITIES = ['Aarhus', 'København', 'Odense', 'Aalborg', 'Esbjerg', 'Vejle', 'Roskilde', 'Herning'];
const YEARS = 15;
const DAY_MS = 86400000;

/**
 * Writes the archive for `articles` articles to `file`, in the import's order (targets before the
 * lines that link them). Returns the counts written.
 * @param {string} file
 * @param {{ articles: number, seed?: number, now?: Date }} options
 */
function writeArchive(file, { articles, seed = 27, now = new Date('2026-12-01T12:00:00Z') }) {
  const counts = archiveCounts(articles);
  const rng = random(seed);
  const out = fs.openSync(file, 'w');
  /** @type {string[]} */
  let buffer = [];
  /** @param {Record<string, unknown>} line */
  const emit = (line) => {
    buffer.push(JSON.stringify(line));
    if (buffer.length >= 1000) flush();
  };
  const flush = () => {
    if (buffer.length > 0) fs.writeSync(out, buffer.join('\n') + '\n');
    buffer = [];
  };
  /** @param {string[]} list @param {number} n */
  const words = (list, n) => Array.from({ length: n }, () => rng.pick(list)).join(' ');
  /** @param {string[]} list @param {number} n */
  const sentence = (list, n) => {
    const text = words(list, n);
    return text.charAt(0).toUpperCase() + text.slice(1) + '.';
  };
  /** @param {string[]} list */
  const paragraph = (list) => Array.from({ length: rng.int(3, 5) }, () => sentence(list, rng.int(8, 16))).join(' ');
  /** @param {string[]} list @param {number} paragraphs */
  const text = (list, paragraphs) => Array.from({ length: paragraphs }, () => paragraph(list)).join('\n\n');
  /** @param {string[]} list */
  const title = (list) => sentence(list, rng.int(4, 8)).slice(0, -1);
  /** @param {string} prefix @param {number} count @param {number} n */
  const sample = (prefix, count, n) => {
    const keys = new Set();
    while (keys.size < Math.min(n, count)) keys.add(`${prefix}/${rng.int(1, count)}`);
    return [...keys];
  };
  const start = now.getTime() - YEARS * 365 * DAY_MS;

  try {
    for (let i = 1; i <= counts.topics; i++) {
      emit({ type: 'topic', key: `topic/${i}`, da: { name: `${title(DA_WORDS)} ${i}`, description: sentence(DA_WORDS, 12) }, en: { name: `${title(EN_WORDS)} ${i}` } });
    }
    for (let i = 1; i <= counts.organisations; i++) {
      const parent = i > 10 && rng.next() < 0.3 ? `org/${rng.int(1, 10)}` : undefined;
      emit({
        type: 'organisation',
        key: `org/${i}`,
        kind: rng.pick(ORG_KINDS),
        ...(parent ? { parent } : {}),
        website: `https://org${i}.example.dk`,
        da: { name: `${title(DA_WORDS)} ${i}` },
        en: { name: `${title(EN_WORDS)} ${i}` },
      });
    }
    for (let i = 1; i <= counts.venues; i++) {
      emit({ type: 'venue', key: `venue/${i}`, code: `V${i}`, city: rng.pick(CITIES), latitude: 55 + rng.next() * 2, longitude: 8.5 + rng.next() * 4, da: { name: `Sal ${i}` }, en: { name: `Hall ${i}` } });
    }
    for (let i = 1; i <= counts.people; i++) {
      const organisation = `org/${rng.int(1, counts.organisations)}`;
      const role = { title: rng.pick(['Direktør', 'Professor', 'Borgmester', 'Projektleder', 'Rådgiver']), organisation, from: `20${rng.int(10, 25)}-0${rng.int(1, 9)}-01` };
      emit({
        type: 'person',
        key: `person/${i}`,
        name: `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)} ${i}`,
        da: { bio: paragraph(DA_WORDS), affiliations: [role] },
        en: { bio: paragraph(EN_WORDS), affiliations: [{ ...role, title: 'Director' }] },
      });
    }
    // Every 50th event is a festival; the 49 after it are its programme.
    let festival = '';
    for (let i = 1; i <= counts.events; i++) {
      const startsAt = new Date(start + Math.floor(((i - 1) / counts.events) * (YEARS + 1) * 365 * DAY_MS) + rng.int(9, 18) * 3600000);
      const isFestival = i % 50 === 1;
      /** @param {Date} date */
      const iso = (date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
      emit({
        type: 'event',
        key: `event/${i}`,
        startsAt: iso(startsAt),
        endsAt: iso(new Date(startsAt.getTime() + (isFestival ? 3 * DAY_MS : 2 * 3600000))),
        kind: isFestival ? 'festival' : rng.pick(['debate', 'conference', 'workshop', 'webinar']),
        venue: `venue/${rng.int(1, counts.venues)}`,
        ...(!isFestival && festival ? { parent: festival } : {}),
        organisers: sample('org', counts.organisations, rng.int(1, 2)),
        topics: sample('topic', counts.topics, rng.int(1, 2)),
        participants: sample('person', counts.people, rng.int(2, 4)).map((person, index) => ({ person, part: index === 0 ? 'moderator' : 'panelist' })),
        da: { title: `${title(DA_WORDS)} ${i}`, summary: sentence(DA_WORDS, 20), description: text(DA_WORDS, 2) },
        en: { title: `${title(EN_WORDS)} ${i}`, summary: sentence(EN_WORDS, 20), description: text(EN_WORDS, 2) },
      });
      if (isFestival) festival = `event/${i}`;
    }
    for (let i = 1; i <= counts.articles; i++) {
      const events = rng.next() < 0.3 ? [`event/${rng.int(1, counts.events)}`] : [];
      emit({
        type: 'article',
        key: `article/${i}`,
        authors: sample('person', counts.people, rng.int(1, 2)),
        topics: sample('topic', counts.topics, rng.int(1, 3)),
        events,
        da: { title: `${title(DA_WORDS)} ${i}`, lead: sentence(DA_WORDS, 25), body: text(DA_WORDS, 5), seo: { metaTitle: title(DA_WORDS).slice(0, 60) } },
        // One article in five is Danish only (the fallback list serves it in English readers' lists).
        ...(rng.next() < 0.8 ? { en: { title: `${title(EN_WORDS)} ${i}`, lead: sentence(EN_WORDS, 25), body: text(EN_WORDS, 5) } } : {}),
      });
    }
    flush();
  } finally {
    fs.closeSync(out);
  }
  return counts;
}

module.exports = { archiveCounts, writeArchive };
