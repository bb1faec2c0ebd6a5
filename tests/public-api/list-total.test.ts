/**
 * A public list's total is exact up to the list depth (10,000 items) and a lower bound past it
 * (src/lib/http/list-total.ts): REST `meta.pagination.totalIsLowerBound`, GraphQL
 * `pageInfo.totalIsLowerBound`. The count the app sends for a public list is bounded (a limit
 * inside it), so its work stops at the bound however large the archive; the admin's lists and
 * counts outside a public read stay exact.
 */
import type { Knex } from 'knex';
import qs from 'qs';
import { startApp, type TestApp } from '../helpers/app';
import { loginAsSuperAdmin } from '../helpers/admin';
import { statementsSent } from '../helpers/sql-statements';
import { TEST_DB_KIND } from '../helpers/database';
import { linksAcrossStatus } from '../helpers/documents';

let app: TestApp;
/** Danish articles added as rows (a draft row and a published one each, as Strapi keeps them), past the bound; a third also in English. */
const FILLER = 10_050;
const ENGLISH_EVERY = 3;
let danish = 0;
let english = 0;

beforeAll(async () => {
  app = await startApp({ seed: true });
  const knex = app.strapi.db.connection as Knex;
  const now = new Date();
  const rows = Array.from({ length: FILLER }, (_, index) => {
    const base = { document_id: `total${String(index).padStart(8, '0')}`, created_at: now, updated_at: now };
    const da = { ...base, locale: 'da', slug: `arkiv-${index}`, title: `Arkivartikel ${index}` };
    const en = { ...base, locale: 'en', slug: `archive-${index}`, title: `Archive article ${index}` };
    return (index % ENGLISH_EVERY === 0 ? [da, en] : [da]).flatMap((row) => [
      { ...row, published_at: null as Date | null },
      { ...row, published_at: now },
    ]);
  }).flat();
  await knex.batchInsert('articles', rows, 500);
  const count = async (locale: string) =>
    Number(((await knex('articles').whereNotNull('published_at').where({ locale }).count({ n: '*' })) as Array<{ n: number | string }>)[0]!.n);
  danish = await count('da');
  english = await count('en');
});
afterAll(async () => {
  await app?.stop();
});

const pagination = async (query: string) => {
  const response = await app.http().get(query);
  expect(response.status).toBe(200);
  return response.body.meta.pagination as { total: number; pageCount: number; pageSize: number; totalIsLowerBound: boolean };
};

describe('REST', () => {
  it('a list past the bound says 10,000, as a lower bound, and as many pages as a client may ask for', async () => {
    expect(danish).toBeGreaterThan(10_000);
    expect(await pagination('/api/articles?locale=da&fields[0]=title')).toEqual({ page: 1, pageSize: 25, pageCount: 400, total: 10_000, totalIsLowerBound: true });
    // The last page a client may ask for is there and full; the next is refused (the list depth).
    const last = await app.http().get('/api/articles?locale=da&fields[0]=title&pagination[page]=400');
    expect(last.status).toBe(200);
    expect(last.body.data).toHaveLength(25);
    expect((await app.http().get('/api/articles?locale=da&fields[0]=title&pagination[page]=401')).status).toBe(400);
  });

  it('a list under the bound is exact, and says so', async () => {
    expect(english).toBeLessThan(10_000);
    expect(await pagination('/api/articles?locale=en&fields[0]=title')).toMatchObject({ total: english, totalIsLowerBound: false });
    expect(await pagination('/api/articles?locale=da&fields[0]=title&filters[title][$startsWith]=Arkivartikel 12')).toMatchObject({
      // 12, 120-129, 1200-1299, 12000-… past FILLER: 1 + 10 + 100.
      total: 111,
      totalIsLowerBound: false,
    });
  });

  it('a filter through a relation counts each document once (the bounded count keeps Strapi\'s distinct)', async () => {
    const topics = (await app.http().get('/api/topics?locale=da&fields[0]=slug')).body.data as Array<{ slug: string }>;
    expect(topics.length).toBeGreaterThan(0);
    const filter = topics.map((topic, index) => `filters[topics][slug][$in][${index}]=${topic.slug}`).join('&');
    const response = await app.http().get(`/api/articles?locale=da&fields[0]=title&pagination[pageSize]=100&${filter}`);
    expect(response.status).toBe(200);
    expect(response.body.data.length).toBeGreaterThan(0);
    expect(response.body.meta.pagination).toMatchObject({ total: response.body.data.length, totalIsLowerBound: false });
  });

  it('with a fallback locale, the two locales\' totals together are bounded too', async () => {
    expect(await pagination('/api/articles?locale=en&fallbackLocale=da&fields[0]=title')).toMatchObject({ total: 10_000, totalIsLowerBound: true, pageCount: 400 });
  });

  it('with a fallback locale, when the requested locale alone reaches the bound, the fallback locale is not counted', async () => {
    const sent = await statementsSent(app.strapi, async () => {
      expect(await pagination('/api/articles?locale=da&fallbackLocale=en&fields[0]=title')).toMatchObject({ total: 10_000, totalIsLowerBound: true });
    });
    expect(sent.filter(({ sql }) => /^select count/i.test(sql))).toHaveLength(1);
  });

  it('the count it sends stops at the bound: a limit inside the count, not a count of every row', async () => {
    const counts = (await statementsSent(app.strapi, () => app.http().get('/api/articles?locale=da&fields[0]=title&pagination[pageSize]=5'))).filter(({ sql }) =>
      /^select count/i.test(sql),
    );
    expect(counts).toHaveLength(1);
    expect(counts[0]!.sql).toMatch(/^select count\(\*\) as ["`]count["`] from \(select ["`]t0["`]\.["`]id["`] from ["`]?\w*["`]?\.?["`]articles["`] as ["`]t0["`] where [^)]*\) limit (\?|\$\d)\) as ["`]bounded["`]$/);
    // Not in id order (Strapi's order for stable pages): the database counts in whatever order is cheapest.
    expect(counts[0]!.sql).not.toMatch(/order by/i);
    expect(counts[0]!.bindings).toContain(10_000);
  });

  it('pagination[withCount]=false (Strapi\'s) still skips the count and the total', async () => {
    const sent = await statementsSent(app.strapi, async () => {
      const response = await app.http().get('/api/articles?locale=da&fields[0]=title&pagination[withCount]=false');
      expect(response.status).toBe(200);
      expect(response.body.meta.pagination).not.toHaveProperty('total');
      expect(response.body.meta.pagination).not.toHaveProperty('totalIsLowerBound');
    });
    expect(sent.filter(({ sql }) => /^select count/i.test(sql))).toEqual([]);
  });
});

describe('GraphQL', () => {
  it('pageInfo says the same: 10,000 and a lower bound past it, exact under it', async () => {
    const { status, body } = await app.graphql<{ da: { pageInfo: unknown }; en: { pageInfo: unknown } }>(
      `{ da: articles_connection(locale: "da") { pageInfo { total pageCount totalIsLowerBound } }
         en: articles_connection(locale: "en") { pageInfo { total pageCount totalIsLowerBound } } }`,
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.da.pageInfo).toEqual({ total: 10_000, pageCount: 400, totalIsLowerBound: true });
    expect(body.data?.en.pageInfo).toEqual({ total: english, pageCount: Math.ceil(english / 25), totalIsLowerBound: false });
  });
});

describe('exact where a total is not a public list', () => {
  it("the admin's list view counts every article", async () => {
    const admin = await loginAsSuperAdmin(app);
    const response = await admin.get('/content-manager/collection-types/api::article.article?page=1&pageSize=10&locale=da');
    expect(response.status).toBe(200);
    expect(response.body.pagination.total).toBe(danish);
  });

  it('the Document Service outside a request counts every article', async () => {
    expect(await app.strapi.documents('api::article.article').count({ locale: 'da', status: 'published' })).toBe(danish);
  });

  it('the partner API is not a public list: its requests are never bounded', async () => {
    const { countsAreBounded } = await import('../../src/lib/http/list-total');
    const bounded = async (path: string) => {
      let answer: boolean | undefined;
      await app.strapi.requestContext.run({ path } as never, async () => {
        answer = countsAreBounded(app.strapi);
      });
      return answer;
    };
    expect(await bounded('/api/articles')).toBe(true);
    expect(await bounded('/graphql')).toBe(true);
    expect(await bounded('/api/partner/events')).toBe(false);
    expect(await bounded('/content-manager/collection-types/api::article.article')).toBe(false);
  });
});

describe('deep pages read their ids first (src/lib/http/ids-first.ts)', () => {
  const knex = () => app.strapi.db.connection as Knex;
  const page = async (query: string) => {
    const response = await app.http().get(query);
    expect(response.status).toBe(200);
    return (response.body.data as Array<{ documentId: string }>).map((item) => item.documentId);
  };
  /** The page as the database orders it, read directly. */
  const expected = async (offset: number, order: Array<{ column: string; order: 'asc' | 'desc' }>, titlePrefix?: string) => {
    const query = knex()('articles').select('document_id').where({ locale: 'da' }).whereNotNull('published_at').orderBy(order).limit(25).offset(offset);
    if (titlePrefix) query.where('title', 'like', `${titlePrefix}%`);
    return ((await query) as Array<{ document_id: string }>).map((row) => row.document_id);
  };
  const idsFirst = /^select ["`]t0["`]\.["`]id["`] from ["`]?\w*["`]?\.?["`]articles["`] as ["`]t0["`] .* offset/i;

  it('the same items, in the same order, as the database gives them: default order, a sort, a filter', async () => {
    const byId = [{ column: 'id', order: 'asc' as const }];
    expect(await page('/api/articles?locale=da&fields[0]=title&pagination[start]=1000&pagination[limit]=25')).toEqual(await expected(1000, byId));
    expect(await page('/api/articles?locale=da&fields[0]=title&pagination[page]=400')).toEqual(await expected(9975, byId));
    expect(await page('/api/articles?locale=da&fields[0]=title&sort=title:desc&pagination[page]=300')).toEqual(await expected(7475, [{ column: 'title', order: 'desc' }]));
    // "Arkivartikel 1…": 1, 10-19, 100-199, 1000-1999, 10000-10049.
    expect(await page('/api/articles?locale=da&fields[0]=title&filters[title][$startsWith]=Arkivartikel 1&pagination[start]=1100&pagination[limit]=25')).toEqual(
      await expected(1100, byId, 'Arkivartikel 1'),
    );
  });

  it('from item 1,000 on, the page is its ids first (then its rows by id); shallower pages are one read', async () => {
    // Pages no other test asked for (a page asked for before may be answered from the response cache).
    const deep = await statementsSent(app.strapi, () => page('/api/articles?locale=da&fields[0]=title&pagination[start]=1025&pagination[limit]=25'));
    expect(deep.filter(({ sql }) => idsFirst.test(sql))).toHaveLength(1);
    expect(deep.filter(({ sql }) => /^select .* from ["`]?\w*["`]?\.?["`]articles["`] as ["`]t0["`] where .*["`]t0["`]\.["`]id["`] in \(/i.test(sql))).toHaveLength(1);
    const shallow = await statementsSent(app.strapi, () => page('/api/articles?locale=da&fields[0]=title&pagination[start]=950&pagination[limit]=25'));
    expect(shallow.filter(({ sql }) => idsFirst.test(sql))).toEqual([]);
    expect(shallow.filter(({ sql }) => /^select .* from ["`]?\w*["`]?\.?["`]articles["`] as ["`]t0["`] .* offset/i.test(sql))).toHaveLength(1);
    // Outside a public request (the admin, scripts) a page is Strapi's one read.
    const outside = await statementsSent(app.strapi, () => app.strapi.documents('api::article.article').findMany({ locale: 'da', status: 'published', start: 1000, limit: 25 }));
    expect(outside.filter(({ sql }) => idsFirst.test(sql))).toEqual([]);
  });

  it('a page filtered through a relation reads its ids first too, at any depth, to the items Strapi would give', async () => {
    const topics = (await app.http().get('/api/topics?locale=da&fields[0]=slug')).body.data as Array<{ slug: string }>;
    const filter = topics.map((topic, index) => `filters[topics][slug][$in][${index}]=${topic.slug}`).join('&');
    const sent = await statementsSent(app.strapi, () => page(`/api/articles?locale=da&fields[0]=title&sort=title:asc&${filter}`));
    // The ids (with the sort's column, which Strapi's distinct needs), not `distinct t0.*`.
    expect(sent.filter(({ sql }) => /^select distinct [^*]* from ["`]?\w*["`]?\.?["`]articles["`] as ["`]t0["`] left join/i.test(sql))).toHaveLength(1);
    expect(sent.filter(({ sql }) => /^select distinct ["`]t0["`]\.\* from ["`]?\w*["`]?\.?["`]articles["`]/i.test(sql))).toEqual([]);
    const inStrapi = (await app.strapi.documents('api::article.article').findMany({
      locale: 'da',
      status: 'published',
      fields: ['title'],
      sort: 'title:asc',
      filters: { topics: { slug: { $in: topics.map((topic) => topic.slug) } } },
      limit: 25,
    })) as Array<{ documentId: string }>;
    expect(inStrapi.length).toBeGreaterThan(0);
    expect(await page(`/api/articles?locale=da&fields[0]=title&sort=title:asc&${filter}&pagination[pageSize]=25`)).toEqual(inStrapi.map((article) => article.documentId));
    // Sorted by a relation's field, deep: Strapi's distinct needs the sort's column beside the id.
    const bySortedRelation = await app.http().get('/api/articles?locale=da&fields[0]=title&sort[0]=topics.name:asc&pagination[start]=1000&pagination[limit]=25');
    expect(bySortedRelation.status).toBe(200);
    expect(bySortedRelation.body.data).toHaveLength(25);
  });

  it("a page read ids first still populates published rows only: a venue's events (venues have no drafts) leave out an event's unpublished edit", async () => {
    const knex = app.strapi.db.connection as Knex;
    const linked = (await knex('events_venue_lnk')
      .join('events', 'events.id', 'events_venue_lnk.event_id')
      .whereNotNull('events.published_at')
      .where('events.locale', 'da')
      .first('events.document_id as documentId', 'events.title as title')) as { documentId: string; title: string } | undefined;
    if (!linked) throw new Error('the seed has no published Danish event at a venue');
    const events = app.strapi.documents('api::event.event');
    await events.update({ documentId: linked.documentId, locale: 'da', data: { title: 'Kladde: ikke offentlig endnu' } } as never);
    try {
      const sent = await statementsSent(app.strapi, async () => {
        const response = await app.http().get(`/api/venues?locale=da&filters[events][documentId][$eq]=${linked.documentId}&populate[events][fields][0]=title`);
        expect(response.status).toBe(200);
        const venues = response.body.data as Array<{ events: Array<{ documentId: string; title: string }> }>;
        expect(venues.length).toBeGreaterThan(0);
        const listed = venues.flatMap((venue) => venue.events).filter((event) => event.documentId === linked.documentId);
        expect(listed.map((event) => event.title)).toEqual([linked.title]);
      });
      // Read ids first (the filter goes through a relation), then the rows by id.
      expect(sent.filter(({ sql }) => /^select distinct [^*]* from ["`]?\w*["`]?\.?["`]venues["`] as ["`]t0["`] left join/i.test(sql))).toHaveLength(1);
    } finally {
      await events.discardDraft({ documentId: linked.documentId, locale: 'da' } as never);
    }
  });

  it('a read that selects columns without the id is left to Strapi (its rows could not be put back in order)', async () => {
    const topics = (await app.http().get('/api/topics?locale=da&fields[0]=slug')).body.data as Array<{ slug: string }>;
    const read = () =>
      app.strapi.db.query('api::article.article').findMany({
        select: ['documentId'],
        where: { locale: 'da', publishedAt: { $notNull: true }, topics: { slug: { $in: topics.map((topic) => topic.slug) } } },
        orderBy: { title: 'asc' },
        limit: 5,
      });
    const outside = await read();
    expect(outside.length).toBeGreaterThan(0);
    let inside: unknown;
    await app.strapi.requestContext.run({ path: '/api/articles' } as never, async () => {
      inside = await read();
    });
    expect(inside).toEqual(outside);
  });

  it('GraphQL pages the same way, to the same items', async () => {
    const { status, body } = await app.graphql<{ articles: Array<{ documentId: string }> }>(`{ articles(locale: "da", pagination: { start: 1000, limit: 25 }) { documentId } }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.articles.map((article) => article.documentId)).toEqual(await expected(1000, [{ column: 'id', order: 'asc' }]));
  });

  (TEST_DB_KIND === 'postgres' ? it : it.skip)('on PostgreSQL the ids come from (id, locale, published_at) alone, not from the table', async () => {
    await knex().raw('vacuum analyze articles');
    const [ids] = (await statementsSent(app.strapi, () => page('/api/articles?locale=da&fields[0]=title&pagination[page]=399'))).filter(({ sql }) => idsFirst.test(sql));
    const plan = (await knex().raw(`explain ${ids!.sql.replace(/\$\d+/g, '?')}`, ids!.bindings as Knex.RawBinding[])) as { rows: Array<{ 'QUERY PLAN': string }> };
    expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/Index Only Scan using articles_id_locale_published_idx/);
  });
});

describe("a count through a relation joins the target's published rows only (src/lib/http/published-targets.ts)", () => {
  const knex = () => app.strapi.db.connection as Knex;
  type Filters = Record<string, unknown>;
  let topic: string;
  let slugs: string[];
  const ARCHIVE_12 = { $startsWith: 'Arkivartikel 12' };

  beforeAll(async () => {
    const topics = (await app.http().get('/api/topics?locale=da&fields[0]=slug&populate[articles][fields][0]=title')).body.data as Array<{
      documentId: string;
      slug: string;
      articles: unknown[];
    }>;
    const used = topics.filter((each) => each.articles.length > 0);
    expect(used.length).toBeGreaterThan(0);
    topic = used[0]!.documentId;
    slugs = topics.map((each) => each.slug);
  });

  // Each request asks another page size, so that none is the response cache's answer to an earlier one.
  let asked = 0;
  const publicTotal = async (filters: Filters) => {
    const pagination = { pageSize: (asked++ % 100) + 1 };
    const response = await app.http().get(`/api/articles?${qs.stringify({ locale: 'da', fields: ['title'], pagination, filters }, { encodeValuesOnly: true })}`);
    expect(response.status).toBe(200);
    return response.body.meta.pagination.total as number;
  };
  /** Strapi's own count: outside a request, so exact and as Strapi joins (all the target's rows). */
  const strapiCount = async (filters: Filters) => Math.min(10_000, await app.strapi.documents('api::article.article').count({ locale: 'da', status: 'published', filters }));
  const countSql = async (filters: Filters) => {
    const sent = await statementsSent(app.strapi, () => publicTotal(filters));
    const counts = sent.filter(({ sql }) => /^select count/i.test(sql));
    expect(counts).toHaveLength(1);
    return counts[0]!.sql;
  };
  /** The aliases whose `published_at is not null` the count's SQL asks for, the articles' (t0) aside. */
  const publishedTargets = (sql: string) => [...sql.matchAll(/["`](t\d+)["`]\.["`]published_at["`] is not null/g)].map((match) => match[1]).filter((alias) => alias !== 't0');

  const cases = (): Array<[string, Filters, boolean]> => [
    ['a topic by documentId', { topics: { documentId: { $eq: topic } } }, true],
    ['a topic by documentId, the short form', { topics: { documentId: topic } }, true],
    ['topics by slug ($in)', { topics: { slug: { $in: slugs } } }, true],
    ['a topic by a word of its name, any case', { topics: { name: { $containsi: 'e' } } }, true],
    ['an author by name', { authors: { name: { $notNull: true } } }, true],
    ['a topic in an $and', { $and: [{ topics: { documentId: topic } }, { title: { $notNull: true } }] }, true],
    ['without a topic ($null holds for a row with no link)', { topics: { documentId: { $null: true } }, title: ARCHIVE_12 }, false],
    ['any topic but one ($ne)', { topics: { documentId: { $ne: topic } } }, false],
    ['not the topic ($not)', { $not: { topics: { documentId: topic } } }, false],
    ['the topic or a title ($or)', { $or: [{ topics: { documentId: topic } }, { title: ARCHIVE_12 }] }, false],
  ];

  it("the public total equals Strapi's own count for each filter; the SQL narrows the relation where a row with no link cannot match, and nowhere else", async () => {
    for (const [name, filters, narrowed] of cases()) {
      expect([name, await publicTotal(filters)]).toEqual([name, await strapiCount(filters)]);
      expect([name, publishedTargets(await countSql(filters)).length > 0]).toEqual([name, narrowed]);
    }
    expect(await publicTotal({ topics: { documentId: { $null: true } }, title: ARCHIVE_12 })).toBe(111);
    expect(await publicTotal({ topics: { documentId: topic } })).toBeGreaterThan(0);
  });

  it("the page's ids still join every link (their index gives them in order); only the count is narrowed", async () => {
    const sent = await statementsSent(app.strapi, () => app.http().get(`/api/articles?locale=da&fields[0]=title&filters[topics][documentId][$eq]=${topic}`));
    const pages = sent.filter(({ sql }) => /^select distinct/i.test(sql) && /articles_topics_lnk/.test(sql));
    expect(pages.length).toBeGreaterThan(0);
    for (const { sql } of pages) expect(publishedTargets(sql)).toEqual([]);
  });

  it("what it relies on: a link the Document Service never writes (a published article to a draft topic) is in Strapi's count and not in the public total", async () => {
    const [article] = (await knex()('articles').select('id').where({ document_id: 'total00000001', locale: 'da' }).whereNotNull('published_at')) as Array<{ id: number }>;
    const [draftTopic] = (await knex()('topics').select('id').where({ document_id: topic, locale: 'da' }).whereNull('published_at')) as Array<{ id: number }>;
    const filters = { topics: { documentId: topic } };
    const before = await publicTotal(filters);
    expect(await linksAcrossStatus(app.strapi)).toEqual([]);
    await knex()('articles_topics_lnk').insert({ article_id: article!.id, topic_id: draftTopic!.id });
    try {
      expect(await linksAcrossStatus(app.strapi)).toEqual([`articles_topics_lnk ${article!.id} -> ${draftTopic!.id}`]);
      expect(await strapiCount(filters)).toBe(before + 1);
      expect(await publicTotal(filters)).toBe(before);
    } finally {
      await knex()('articles_topics_lnk').where({ article_id: article!.id, topic_id: draftTopic!.id }).delete();
    }
    expect(await strapiCount(filters)).toBe(before);
  });
});
