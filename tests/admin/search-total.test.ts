/**
 * The admin list's search counts its matches up to 1,000 and says "more than 1,000" past that
 * (src/features/editorial/admin/search-total.ts); a search with fewer matches and a list without
 * a search stay exact. Read through the admin API an editor's browser uses, over 1,100 Danish
 * drafts written as rows (a thousand documents through the Document Service would take minutes;
 * the count reads rows, not documents).
 */
import type { Knex } from 'knex';
import { IntlMessageFormat } from 'intl-messageformat';
import { loginAsSuperAdmin, type AdminSession } from '../helpers/admin';
import { startApp, type TestApp } from '../helpers/app';
import { statementsSent } from '../helpers/sql-statements';
import { englishListHeader, LIST_HEADER_KEY, SEARCH_TOTAL_LIMIT, SEARCH_TOTAL_SHOWN } from '../../src/features/editorial/admin/search-total-text';
import danishAdmin from '../../src/admin/translations/da.json';
import { ARTICLES, articleDraftRow } from './shared';

let app: TestApp;
let admin: AdminSession;
const knex = () => app.strapi.db.connection as Knex;

/** Drafts whose title has "energi" in it: more than the admin states exactly. */
const COMMON = SEARCH_TOTAL_SHOWN + 50;
/** Drafts with a word no other article has. */
const RARE = 20;
/** The one title with a percent sign. */
const PERCENT_TITLE = 'Strøm fra 100% vind';

beforeAll(async () => {
  app = await startApp({ seed: true });
  admin = await loginAsSuperAdmin(app);
  const now = new Date();
  const draft = (index: number, title: string) => articleDraftRow('search-total', index, { title }, now);
  const rows = [
    ...Array.from({ length: COMMON }, (_, index) => draft(index, `Vindenergi til øerne, del ${index}`)),
    ...Array.from({ length: RARE }, (_, index) => draft(COMMON + index, `Kvælstofregnskab ${index}`)),
    draft(COMMON + RARE, PERCENT_TITLE),
  ];
  await knex().batchInsert('articles', rows, 250);
});
afterAll(async () => {
  await app?.stop();
});

const list = async (query: string) => {
  const response = await admin.get(`${ARTICLES}?page=1&pageSize=10&sort=title:ASC&locale=da${query}`);
  expect(response.status).toBe(200);
  return response.body as { results: Array<{ title: string }>; pagination: { total: number; pageCount: number } };
};

/** What the admin's header says of a total, in the messages src/admin/app.tsx gives the admin. */
const HEADER = { da: (danishAdmin as Record<string, string>)[LIST_HEADER_KEY]!, en: englishListHeader()[LIST_HEADER_KEY]! };
const header = (language: 'da' | 'en', total: number) => new IntlMessageFormat(HEADER[language], language).format({ number: total });

describe("a search with more matches than the admin states", () => {
  it('answers the bound and as many pages as the bound fills, with a page of real matches', async () => {
    const { results, pagination } = await list('&_q=energi');
    expect(pagination).toMatchObject({ total: SEARCH_TOTAL_LIMIT, pageCount: Math.ceil(SEARCH_TOTAL_LIMIT / 10) });
    expect(results).toHaveLength(10);
    for (const { title } of results) expect(title.toLowerCase()).toContain('energi');
  });

  it('counts inside a limit: the database stops at the bound', async () => {
    const sent = await statementsSent(app.strapi, () => list('&_q=energi'));
    // The list's total (the relation columns' counts per row are grouped counts: not this one).
    const counts = sent.filter(({ sql }) => /^select count\(\*\) as ["`]count["`] from \(select ["`]t0["`]\.["`]id["`] from (?:["`]\w+["`]\.)?["`]articles["`]/i.test(sql));
    expect(counts).toHaveLength(1);
    expect(counts[0]!.sql).toMatch(/limit (\?|\$\d+)\) as ["`]bounded["`]$/i);
    expect(counts[0]!.bindings).toContain(SEARCH_TOTAL_LIMIT);
  });

  it('the header says "more than 1,000" for that total, in Danish and English', async () => {
    const { pagination } = await list('&_q=energi');
    expect(header('da', pagination.total)).toBe('Mere end 1.000 indlæg fundet');
    expect(header('en', pagination.total)).toBe('More than 1,000 entries found');
  });
});

describe('exact where the bound is not reached or there is no search', () => {
  it('a rare word: every match counted', async () => {
    const { results, pagination } = await list('&_q=kv%C3%A6lstofregnskab');
    expect(pagination).toMatchObject({ total: RARE, pageCount: 2 });
    expect(results).toHaveLength(10);
    expect(header('da', pagination.total)).toBe('20 indlæg fundet');
    expect(header('en', 1)).toBe('1 entry found');
  });

  it('no search: the whole list counted, past the bound', async () => {
    const [counted] = (await knex()('articles').where({ locale: 'da' }).whereNull('published_at').count({ drafts: '*' })) as Array<{ drafts: number | string }>;
    const drafts = counted?.drafts;
    expect(Number(drafts)).toBeGreaterThan(SEARCH_TOTAL_LIMIT);
    const { pagination } = await list('');
    expect(pagination.total).toBe(Number(drafts));
  });

  it('an empty search is no search: exact', async () => {
    const { pagination } = await list('');
    expect((await list('&_q=')).pagination.total).toBe(pagination.total);
  });

  it("a search's '%' is text, not a wildcard: '100%' finds the one title with it, not every '…del 100…'", async () => {
    const { results, pagination } = await list('&_q=100%25');
    expect(pagination.total).toBe(1);
    expect(results.map(({ title }) => title)).toEqual([PERCENT_TITLE]);
  });

  it('a blank search is a search to Strapi (it matches every title with a space): bounded too', async () => {
    const { pagination } = await list('&_q=%20');
    expect(pagination.total).toBe(SEARCH_TOTAL_LIMIT);
  });
});

it('outside a request (scripts, jobs) the same search is counted exactly', async () => {
  const count = await app.strapi.db.query('api::article.article').count({ where: { locale: 'da', publishedAt: null }, _q: 'energi' } as never);
  expect(count).toBe(COMMON);
});
