/**
 * Search over more rows than a page (issue 24's 10,000-article goal): totals are exact up to
 * 1,000 matches and past that say they are a lower bound (`totalIsLowerBound`), on both
 * databases; pages run through the rank's tiers (title, lead, anywhere) in the same order on
 * SQLite and PostgreSQL, however deep; on PostgreSQL every statement a search sends reads the
 * GIN indexes (no sequential scan of the index table, which would unpack every row's 2 kB
 * vector), and a first page filled by title matches reads nothing but the title tier and the
 * capped count. The rows are written by the index's own writer (writeIndexed), with bodies of
 * an article's length, as npm run bench:search does; no documents behind them are needed, a
 * search reads only the index.
 */
import type { Knex } from 'knex';
import { startApp, type TestApp } from '../helpers/app';
import { statementsSent, type SentStatement as Statement } from '../helpers/sql-statements';
import { TEST_DB_KIND } from '../helpers/database';
import { json, raw } from '../response-cache/shared';
import { NEWEST_WINDOW, TOTAL_CAP, writeIndexed, type IndexedDocument } from '../../src/api/search/index-store';
import { indexTerms, queryTerms, type SearchLocale } from '../../src/api/search/text';
import type { SearchService } from '../../src/api/search/services/search';

let app: TestApp;
const ROWS = 1100;
/** Older Danish articles, short: with the newer Danish rows, more than the newest NEWEST_WINDOW. */
const ARCHIVE = NEWEST_WINDOW + 100;
const FILLER = 'kommune borger skole trafik plan budget møde rapport data projekt'.split(' ');
const ARTICLE = 'api::article.article';
const EVENT = 'api::event.event';

/** ~400 words of filler around the given words: a body of an article's length. */
const body = (i: number, words: string[]) =>
  Array.from({ length: 400 }, (_, n) => FILLER[(i * 7 + n * 3) % FILLER.length]).join(' ') + (words.length ? ` ${words.join(' ')}.` : '.');

/**
 * The fixture: every Danish article has "vindmølle" in its body (1,100 matches, past the cap),
 * and one in ten in its title; "havvind" is in a few titles, leads and bodies (66 articles and
 * 4 events: a list of 70 to page through); "solcelle batteri" both in a title, both in a lead,
 * or spread over the two. English rows and events share some words, to be left out by locale
 * and type.
 */
function fixture(): IndexedDocument[] {
  const rows: IndexedDocument[] = [];
  /** A row; `short` without the filler body, `startsAt` an event's, `documentId` another locale's document. */
  const add = (
    contentType: string,
    locale: SearchLocale,
    i: number,
    title: string,
    lead: string,
    bodyWords: string[],
    { short = false, startsAt = null, documentId }: { short?: boolean; startsAt?: Date | null; documentId?: string } = {},
  ) => {
    const text = { title, lead, body: short ? bodyWords.join(' ') : body(i, bodyWords) };
    rows.push({
      contentType,
      documentId: documentId ?? `scale${contentType === EVENT ? 'e' : i < 0 ? 'o' : 'a'}${String(Math.abs(i)).padStart(5, '0')}${locale}`,
      locale,
      slug: `scale-${i}-${locale}`,
      ...text,
      startsAt,
      publishedAt: new Date(Date.UTC(2020, 0, 1) + i * 3_600_000),
      terms: { title: indexTerms(text.title, locale), lead: indexTerms(text.lead, locale), body: indexTerms(text.body, locale) },
      dependsOn: [],
    });
  };
  for (let i = 0; i < ROWS; i++) {
    const k = i % 100;
    const title = ['Nyt fra kommunen', i % 10 === 0 ? 'vindmølle' : '', k === 0 ? 'havvind' : '', k === 6 || k === 8 ? 'solcelle' : '', k === 6 ? 'batteri' : ''].join(' ');
    const lead = ['Borgerne spørger', k === 1 || k === 2 ? 'havvind' : '', k === 7 ? 'solcelle batteri' : '', k === 8 ? 'batteri' : ''].join(' ');
    add(ARTICLE, 'da', i, title, lead, ['vindmølle', ...(k >= 3 && k <= 5 ? ['havvind'] : [])]);
  }
  for (let i = 0; i < 11; i++) add(ARTICLE, 'en', i * 100, 'Havvind in English', 'The lead', ['vindmølle']);
  // An older archive, newest last: "mosebrug" in its 1,100 oldest titles and its 5 newest, so the
  // newest NEWEST_WINDOW Danish rows hold 5 of its 1,105 title matches (newestFirst's fallback).
  for (let i = 1; i <= ARCHIVE; i++) add(ARTICLE, 'da', -i, `Arkiv ${i > ARCHIVE - 1100 || i <= 5 ? 'mosebrug' : 'tørv'}`, 'Fra arkivet', [], { short: true });
  // The newest rows of all: six events of "kommunen", three past and three to come, the first
  // three in English too (the same documents): the newest rows must keep a search's time filter
  // and a fallback locale's "missing in English".
  for (let k = 0; k < 6; k++) {
    const i = ROWS + 100 + k;
    const startsAt = new Date(Date.UTC(k < 3 ? 2021 : 2099, 0, 1));
    add(EVENT, 'da', i, 'Kommunen inviterer', 'Mød op', [], { short: true, startsAt });
    if (k < 3) add(EVENT, 'en', i, 'The municipality invites', 'Come along', [], { short: true, startsAt, documentId: `scalee${i}da` });
  }
  for (let i = 0; i < 4; i++) add(EVENT, 'da', i * 250 + 50, 'Debat om havvind', 'Mød op', []);
  return rows;
}

const rows = fixture();

beforeAll(async () => {
  app = await startApp();
  const knex = app.strapi.db.connection as Knex;
  await knex.transaction(async (trx) => {
    for (const row of rows) await writeIndexed(trx, row);
  });
  // As a rebuild does (reindexAll): fresh planner statistics.
  if (app.strapi.db.dialect.client !== 'sqlite') await knex.raw('analyze search_documents');
}, 300_000);
afterAll(async () => {
  await app?.stop();
});

/**
 * The rank's rule, computed here from the fixture's texts: every query term a prefix of a term
 * of the title (3), else of the lead (2), else anywhere (1); newest first; only the locale and
 * types asked for.
 */
function expected(q: string, locale: SearchLocale, contentTypes = [ARTICLE, EVENT], keep: (row: IndexedDocument) => boolean = () => true): string[] {
  const terms = queryTerms(q, locale);
  const has = (text: string) => {
    const words = text.split(' ');
    return terms.every((term) => words.some((word) => word.startsWith(term)));
  };
  return rows
    .map((row, index) => ({ row, index, rank: has(row.terms.title) ? 3 : has(row.terms.lead) ? 2 : has(`${row.terms.title} ${row.terms.lead} ${row.terms.body}`) ? 1 : 0 }))
    .filter(({ row, rank }) => rank > 0 && row.locale === locale && contentTypes.includes(row.contentType) && keep(row))
    .sort((a, b) => b.rank - a.rank || b.row.publishedAt!.getTime() - a.row.publishedAt!.getTime() || a.index - b.index)
    .map(({ row }) => row.documentId);
}

interface Page {
  data: Array<{ documentId: string }>;
  meta: { pagination: { page: number; pageSize: number; total: number; pageCount: number; totalIsLowerBound: boolean } };
}
const search = async (query: string): Promise<Page> => {
  const response = await raw(app, `/api/search?${query}`);
  expect([query, response.status]).toEqual([query, 200]);
  return json(response) as Page;
};

describe('totals', () => {
  it(`a word in more than ${TOTAL_CAP} rows: total ${TOTAL_CAP}, flagged as a lower bound (REST and GraphQL)`, async () => {
    const page = await search('q=vindm%C3%B8lle');
    expect(page.meta.pagination).toEqual({ page: 1, pageSize: 10, total: TOTAL_CAP, pageCount: TOTAL_CAP / 10, totalIsLowerBound: true });
    expect(page.data.map((hit) => hit.documentId)).toEqual(expected('vindmølle', 'da').slice(0, 10));
    const graphql = await app.graphql<{ search: { total: number; totalIsLowerBound: boolean; hits: Array<{ documentId: string }> } }>(
      '{ search(q: "vindmølle") { total totalIsLowerBound hits { documentId } } }',
    );
    expect(graphql.body.errors).toBeUndefined();
    expect(graphql.body.data!.search).toMatchObject({ total: TOTAL_CAP, totalIsLowerBound: true });
  });

  it('pages past the cap still come, in order; the total grows to the hits seen, still a lower bound', async () => {
    const all = expected('vindmølle', 'da');
    expect(all).toHaveLength(ROWS);
    const deep = await search('q=vindm%C3%B8lle&pageSize=50&page=22');
    expect(deep.data.map((hit) => hit.documentId)).toEqual(all.slice(1050, 1100));
    expect(deep.meta.pagination).toMatchObject({ total: 1100, totalIsLowerBound: true });
    const past = await search('q=vindm%C3%B8lle&pageSize=50&page=23');
    expect(past.data).toEqual([]);
    expect(past.meta.pagination).toMatchObject({ total: 1100, totalIsLowerBound: true });
  });

  it('under the cap the total is exact, on a full page, a last page and past the end', async () => {
    for (const [query, total] of [
      ['q=havvind&pageSize=10', 70],
      ['q=havvind&pageSize=10&page=7', 70],
      ['q=havvind&pageSize=10&page=8', 70],
      ['q=havvind&types=articles', 66],
      ['q=havvind&locale=en', 11],
      ['q=solcelle+batteri', 33],
    ] as const) {
      const page = await search(query);
      expect([query, page.meta.pagination.total, page.meta.pagination.totalIsLowerBound]).toEqual([query, total, false]);
    }
  });
});

describe('order through the tiers, page by page (the same on SQLite and PostgreSQL)', () => {
  it.each([
    ['havvind', 'da', ''],
    ['havvind', 'da', '&types=articles'],
    ['havvind', 'da', '&types=events'],
    ['havvind', 'en', ''],
    ['solcelle batteri', 'da', ''],
    ['solc batt', 'da', ''],
  ] as const)('q=%s&locale=%s%s in pages of 7 is the rank order', async (q, locale, extra) => {
    const types = extra ? [extra.includes('events') ? EVENT : ARTICLE] : undefined;
    const want = expected(q, locale, types);
    expect(want.length).toBeGreaterThan(0);
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(want.length / 7) + 1; page++) {
      const answer = await search(`q=${encodeURIComponent(q)}&locale=${locale}${extra}&pageSize=7&page=${page}`);
      seen.push(...answer.data.map((hit) => hit.documentId));
    }
    expect(seen).toEqual(want);
  });

  it('a page that starts past the title tier skips it whole (page 3 of 7: the 14th hit on, 11 titles)', async () => {
    const want = expected('havvind', 'da', [ARTICLE]);
    const page = await search('q=havvind&types=articles&pageSize=7&page=3');
    expect(page.data.map((hit) => hit.documentId)).toEqual(want.slice(14, 21));
  });

  it.each([
    ['kommunen', '', [[1, 25], [3, 25], [40, 25], [45, 25]]],
    ['kommunen', '&types=articles', [[2, 25]]],
    ['mosebrug', '', [[1, 5], [1, 10], [2, 10], [50, 20]]],
    // In all 1,100 leads, no title: the lead tier from the newest rows.
    ['borgerne', '', [[1, 25], [3, 25]]],
  ] as const)(`q=%s%s, in more than ${TOTAL_CAP} titles: pages from the newest rows or the sorted titles are the rank order`, async (q, extra, pages) => {
    const want = expected(q, 'da', extra ? [ARTICLE] : undefined);
    expect(want.length).toBeGreaterThan(TOTAL_CAP);
    for (const [page, pageSize] of pages) {
      const answer = await search(`q=${q}${extra}&pageSize=${pageSize}&page=${page}`);
      expect([page, pageSize, answer.data.map((hit) => hit.documentId)]).toEqual([page, pageSize, want.slice((page - 1) * pageSize, page * pageSize)]);
    }
  });

  it('the newest rows keep the time filter (when=) and a fallback locale\'s "missing in English"', async () => {
    const now = Date.now();
    for (const when of ['upcoming', 'past'] as const) {
      const inTime = (row: IndexedDocument) => row.startsAt === null || (when === 'upcoming' ? row.startsAt.getTime() >= now : row.startsAt.getTime() < now);
      const want = expected('kommunen', 'da', undefined, inTime);
      expect(want.length).toBeGreaterThan(TOTAL_CAP);
      const page = await search(`q=kommunen&when=${when}&pageSize=25`);
      expect([when, page.data.map((hit) => hit.documentId)]).toEqual([when, want.slice(0, 25)]);
    }
    const inEnglish = new Set(rows.filter((row) => row.locale === 'en').map((row) => row.documentId));
    expect(expected('kommunen', 'en')).toEqual([]);
    const want = expected('kommunen', 'da', undefined, (row) => !inEnglish.has(row.documentId));
    const page = await search('q=kommunen&locale=en&fallbackLocale=da&pageSize=25');
    expect(page.data.map((hit) => hit.documentId)).toEqual(want.slice(0, 25));
  });

  it('suggestions: the newest titles that match, every type', async () => {
    const response = await raw(app, '/api/search/suggest?q=havv');
    expect(json(response).data.map((hit: { documentId: string }) => hit.documentId)).toEqual(expected('havv', 'da').slice(0, 8));
  });
});

/** The statements `work` sends, with their bindings. */
const statementsOf = (work: () => Promise<unknown>) => statementsSent(app.strapi, work);

const readsIndex = ({ sql }: Statement) => /^\s*select/i.test(sql) && sql.includes('"search_documents"');
const service = () => app.strapi.service('api::search.search') as unknown as SearchService;

/** PostgreSQL's plan of each read of the index `work` sends, under the settings the search set in its transaction. */
async function plansOf(work: () => Promise<unknown>): Promise<Array<{ sql: string; bindings: unknown; plan: string }>> {
  const sent = await statementsOf(work);
  const settings = sent.filter(({ sql }) => sql.includes('set_config'));
  expect(settings.length).toBeGreaterThan(0);
  return (app.strapi.db.connection as Knex).transaction(async (trx) => {
    for (const { sql, bindings } of settings.slice(0, 1)) await trx.raw(sql, bindings as Knex.RawBinding[]);
    const plans: Array<{ sql: string; bindings: unknown; plan: string }> = [];
    for (const { sql, bindings } of sent.filter(readsIndex)) {
      const result = (await trx.raw(`explain ${sql.replace(/\$\d+/g, '?')}`, bindings as Knex.RawBinding[])) as { rows: Array<{ 'QUERY PLAN': string }> };
      plans.push({ sql, bindings, plan: result.rows.map((row) => row['QUERY PLAN']).join('\n') });
    }
    return plans;
  });
}

/**
 * What a read of the index is: a count (of a tier, or of all matches; of the terms as whole words
 * or as prefixes) or a page of a tier, read from its sorted GIN matches or from the newest rows
 * (a subquery of the rows newest first).
 */
function kindOf({ sql, bindings }: { sql: string; bindings: unknown }): string {
  const text = sql.replace(/"/g, '');
  const tier = /d\.terms @@ \$\d+::tsquery and not/.test(text)
    ? 'anywhere'
    : /d\.lead_terms @@ \$\d+::tsquery and not/.test(text)
      ? 'lead'
      : /d\.title_terms @@/.test(text)
        ? 'title'
        : 'all';
  if (text.includes('count(*) as')) return `count ${tier}${String((bindings as unknown[])[0]).includes(':*') ? '' : ' (whole words)'}`;
  return `${/from \(select d\.\* from search_documents/.test(text) ? 'newest' : 'sorted'} ${tier}`;
}

const onPostgres = TEST_DB_KIND === 'postgres' ? describe : describe.skip;

onPostgres('PostgreSQL reads the GIN indexes (the planner left no other way)', () => {
  const request = { locale: 'da' as const, types: ['articles', 'events', 'people', 'organisations', 'topics'] as const, page: 1, pageSize: 10 };

  it('a first page filled by title matches: the title tier counted as whole words, its matches sorted, the capped count of all, nothing else', async () => {
    const plans = await plansOf(() => service().search({ ...request, types: [...request.types], q: 'vindmølle' }));
    // 110 titles as a whole word (under the cap): the tier's matches sorted, counted beside them;
    // all 1,100 Danish rows have the word somewhere, which its whole-word count shows.
    expect(plans.map(kindOf)).toEqual(['count title (whole words)', 'sorted title', 'count all (whole words)']);
    // The whole words in the Danish titles' own index; the prefix in the index of every title.
    expect(plans[0]!.plan).toContain('Bitmap Index Scan on search_documents_title_terms_da_idx');
    expect(plans[1]!.plan).toContain('Bitmap Index Scan on search_documents_title_terms_idx');
    expect(plans[2]!.plan).toContain('Bitmap Index Scan on search_documents_terms_idx');
    for (const { plan } of plans) expect(plan).not.toMatch(/Seq Scan/);
  });

  it.each([
    ['every type', [...request.types]],
    ['one type', ['articles']],
  ] as const)(
    `a word in more than ${TOTAL_CAP} titles (%s): its page from the newest rows by btree, unsorted; the title tier's count shows the total passes the cap, so no count of all`,
    async (_name, types) => {
      // "kommunen" is in all 1,100 newer Danish titles ("Nyt fra kommunen").
      const answers: Array<Awaited<ReturnType<SearchService['search']>>> = [];
      const plans = await plansOf(async () => answers.push(await service().search({ ...request, types: [...types], q: 'kommunen' })));
      expect(plans.map(kindOf)).toEqual(['count title (whole words)', 'newest title']);
      expect(plans[0]!.plan).toContain('Bitmap Index Scan on search_documents_title_terms_da_idx');
      // Of one type, the planner takes the type's own index where the type is rare among the locale's rows.
      expect(plans[1]!.plan).toMatch(/Index Scan using search_documents_(type_)?newest_idx/);
      expect(plans[1]!.plan).not.toMatch(/Sort|Seq Scan/);
      expect(answers[0]).toMatchObject({ total: TOTAL_CAP, totalIsLowerBound: true });
    },
  );

  it(`a word in more than ${TOTAL_CAP} leads and no title: the title tier sorted (none), the lead tier from the newest rows`, async () => {
    const plans = await plansOf(() => service().search({ ...request, types: [...request.types], q: 'borgerne' }));
    expect(plans.map(kindOf)).toEqual(['count title (whole words)', 'sorted title', 'count lead (whole words)', 'newest lead']);
    expect(plans[3]!.plan).toContain('Index Scan using search_documents_newest_idx');
    for (const { plan } of plans) expect(plan).not.toMatch(/Seq Scan/);
  });

  it(`a word in more than ${TOTAL_CAP} titles that the newest rows hold too few of: the newest rows, then its sorted titles`, async () => {
    const plans = await plansOf(() => service().search({ ...request, types: [...request.types], q: 'mosebrug' }));
    expect(plans.map(kindOf)).toEqual(['count title (whole words)', 'newest title', 'sorted title']);
    for (const { plan } of plans) expect(plan).not.toMatch(/Seq Scan/);
  });

  it.each([
    ['every tier and the skip past the titles', { q: 'havvind', types: ['articles'], page: 3, pageSize: 7 }, ['title_terms_idx', 'lead_terms_idx', 'search_documents_terms_idx']],
    ['a fallback locale (documents missing in English)', { q: 'vindmølle', locale: 'en', fallbackLocale: 'da' }, ['title_terms_idx']],
    ['events by time', { q: 'havvind', types: ['events'], when: 'past' }, ['title_terms_idx']],
  ] as const)('%s: GIN indexes only', async (_name, change, indexes) => {
    const plans = await plansOf(() => service().search({ ...request, types: [...request.types], ...change } as Parameters<SearchService['search']>[0]));
    expect(plans.length).toBeGreaterThan(1);
    for (const { plan } of plans) {
      expect(plan).not.toMatch(/Seq Scan/);
      expect(plan).toMatch(/Bitmap Index Scan on search_documents_(title_terms(_da|_en)?|lead_terms|terms)_idx/);
    }
    for (const index of indexes) expect(plans.map(({ plan }) => plan).join('\n')).toContain(index);
  });

  it('suggestions: no count; the newest rows first, the sorted titles when they hold too few', async () => {
    const common = await plansOf(() => service().suggest('havv', 'da'));
    expect(common.map(kindOf)).toEqual(['newest title']);
    expect(common[0]!.plan).toContain('Index Scan using search_documents_newest_idx');
    const rare = await plansOf(() => service().suggest('mose', 'da'));
    expect(rare.map(kindOf)).toEqual(['newest title', 'sorted title']);
    expect(rare[1]!.plan).toContain('Bitmap Index Scan on search_documents_title_terms_idx');
    for (const { plan } of [...common, ...rare]) expect(plan).not.toMatch(/Seq Scan/);
  });
});
