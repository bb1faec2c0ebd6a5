import { startApp, type TestApp } from '../helpers/app';
import { ARTICLE, DEBATE, LOCALES, PANEL, QUOTED } from './shared';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ seed: true });
});
afterAll(async () => {
  await app?.stop();
});

const ARTICLE_QUERY = /* GraphQL */ `
  query Article($locale: I18NLocaleCode, $slug: String!) {
    articles(locale: $locale, filters: { slug: { eq: $slug } }) {
      documentId
      locale
      title
      cover { mime width }
      quotes {
        text
        person {
          name
          affiliations { title current organisation { name } }
        }
      }
      body {
        __typename
        ... on ComponentBlocksQuote { quote { person { name } } }
        ... on ComponentBlocksFactBox { title facts { label value } }
        ... on ComponentBlocksEventTeaser { event { slug } }
      }
    }
  }
`;

const EVENT_QUERY = /* GraphQL */ `
  query Event($locale: I18NLocaleCode, $slug: String!) {
    events(locale: $locale, filters: { slug: { eq: $slug } }) {
      title
      startsAt
      endsAt
      kind
      eventStatus
      venue { code name }
      parent { title kind }
      organisers { name }
      participants { part person { name } }
      articles { slug }
    }
  }
`;

describe.each(LOCALES)('public GraphQL serves the seed story in %s', (locale) => {
  it('returns the article with quotes -> person -> affiliations -> organisation and its body blocks', async () => {
    const { status, body } = await app.graphql(ARTICLE_QUERY, { locale, slug: ARTICLE[locale].slug });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const [article] = body.data.articles;

    expect(article).toMatchObject({ locale, title: ARTICLE[locale].title, cover: { mime: 'image/png', width: 1200 } });
    const quoted = article.quotes
      .map((quote: { person: { affiliations: Array<{ current: unknown; title: unknown; organisation: { name: unknown } }>; name: string } }) => {
        const current = quote.person.affiliations.find((affiliation) => affiliation.current)!;
        return { person: quote.person.name, title: current.title, organisation: current.organisation.name };
      })
      .sort((a: { person: string }, b: { person: string }) => a.person.localeCompare(b.person));
    expect(quoted).toEqual(QUOTED[locale]);

    expect(article.body.map((block: { __typename: unknown }) => block.__typename)).toEqual([
      'ComponentBlocksRichText',
      'ComponentBlocksQuote',
      'ComponentBlocksRichText',
      'ComponentBlocksQuote',
      'ComponentBlocksRichText',
      'ComponentBlocksFactBox',
      'ComponentBlocksEventTeaser',
    ]);
    expect(article.body[6].event.slug).toBe(DEBATE[locale].slug);
  });

  it('returns the debate with participants, organisers, venue, parent festival and articles', async () => {
    const { body } = await app.graphql(EVENT_QUERY, { locale, slug: DEBATE[locale].slug });
    expect(body.errors).toBeUndefined();
    const [event] = body.data.events;

    expect(event).toMatchObject({
      title: DEBATE[locale].title,
      startsAt: DEBATE.startsAt,
      endsAt: DEBATE.endsAt,
      kind: 'debate',
      eventStatus: 'scheduled',
      venue: { code: DEBATE.venueCode, name: DEBATE.venueName[locale] },
      parent: { title: DEBATE.festival[locale], kind: 'festival' },
    });
    expect(event.participants.map((participant: { person: { name: unknown } }) => participant.person.name).sort()).toEqual(PANEL);
    expect(event.organisers.map((organisation: { name: unknown }) => organisation.name).sort()).toEqual(DEBATE.organisers[locale]);
    expect(event.articles).toEqual([{ slug: ARTICLE[locale].slug }]);
  });
});

describe.each(LOCALES)('reverse lookups through components, with GraphQL filters, in %s', (locale) => {
  it("finds a person's events and an organisation's people", async () => {
    const { body } = await app.graphql(
      /* GraphQL */ `
        query Reverse($locale: I18NLocaleCode) {
          events(locale: $locale, filters: { participants: { person: { slug: { eq: "kim-toft-madsen" } } } }) { title }
          people(locale: $locale, filters: { affiliations: { organisation: { shortName: { eq: "CIMT" } } } }) { name }
        }
      `,
      { locale }
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.events).toEqual([{ title: DEBATE[locale].title }]);
    expect(body.data.people).toEqual([{ name: 'Mette Harbo' }]);
  });
});

it('answers GraphQL in Danish when the query names no locale', async () => {
  const { body } = await app.graphql('{ articles { locale title } }');
  expect(body.data.articles).toEqual([{ locale: 'da', title: ARTICLE.da.title }]);
});
