import { startApp, type TestApp } from '../helpers/app';
import { ARTICLE, DEBATE, LOCALES, PANEL, QUOTED, publicList } from './shared';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ seed: true });
});
afterAll(async () => {
  await app?.stop();
});

describe.each(LOCALES)('public REST serves the seed story in %s', (locale) => {
  it('returns the article with its quotes, each said by a person with affiliations at organisations', async () => {
    const query =
      `/api/articles?locale=${locale}` +
      '&populate[quotes][populate][person][populate][affiliations][populate][organisation]=true' +
      '&populate[cover]=true&populate[topics]=true&populate[events]=true';
    const [article] = await publicList(app, query);

    expect(article).toMatchObject({ title: ARTICLE[locale].title, slug: ARTICLE[locale].slug, locale });
    expect(article.cover).toMatchObject({ mime: 'image/png', width: 1200, height: 630 });
    expect(article.events.map((event: { title: unknown }) => event.title)).toEqual([DEBATE[locale].title]);
    expect(article.topics).toHaveLength(1);

    const quoted = article.quotes
      .map((quote: { person: { affiliations: Array<{ current: unknown; title: unknown; organisation: { name: unknown } }>; locale: unknown; name: string }; locale: unknown }) => {
        const current = quote.person.affiliations.find((affiliation) => affiliation.current)!;
        expect(quote.locale).toBe(locale);
        expect(quote.person.locale).toBe(locale);
        return { person: quote.person.name, title: current.title, organisation: current.organisation.name };
      })
      .sort((a: { person: string }, b: { person: string }) => a.person.localeCompare(b.person));
    expect(quoted).toEqual(QUOTED[locale]);
  });

  it('returns the body blocks in order: text, quote, text, quote, text, fact box, event teaser', async () => {
    const [article] = await publicList(
      app,
      `/api/articles?locale=${locale}&populate[body][on][blocks.quote][populate][quote][populate]=person` +
        '&populate[body][on][blocks.rich-text]=true&populate[body][on][blocks.fact-box][populate]=facts' +
        '&populate[body][on][blocks.event-teaser][populate]=event'
    );
    expect(article.body.map((block: { __component: unknown }) => block.__component)).toEqual([
      'blocks.rich-text',
      'blocks.quote',
      'blocks.rich-text',
      'blocks.quote',
      'blocks.rich-text',
      'blocks.fact-box',
      'blocks.event-teaser',
    ]);
    expect(article.body[1].quote.person.name).toBe('Mette Harbo');
    expect(article.body[3].quote.person.name).toBe('Morten Jung');
    expect(article.body[5].facts.map((fact: { value: unknown }) => fact.value).join(' ')).toContain('J5');
    expect(article.body[6].event.slug).toBe(DEBATE[locale].slug);
  });

  it('returns the debate with participants, organisers, venue and the festival as parent', async () => {
    const [event] = await publicList(
      app,
      `/api/events?locale=${locale}&filters[slug][$eq]=${DEBATE[locale].slug}` +
        '&populate[participants][populate]=person&populate[organisers]=true&populate[venue]=true&populate[parent]=true'
    );
    expect(event).toMatchObject({
      title: DEBATE[locale].title,
      startsAt: DEBATE.startsAt,
      endsAt: DEBATE.endsAt,
      timeZone: 'Europe/Copenhagen',
      kind: 'debate',
      eventStatus: 'scheduled',
      attendanceMode: 'offline',
    });
    expect(event.participants.map((participant: { person: { name: unknown } }) => participant.person.name).sort()).toEqual(PANEL);
    expect(event.participants.every((participant: { part: unknown }) => participant.part === 'panelist')).toBe(true);
    expect(event.organisers.map((organisation: { name: unknown }) => organisation.name).sort()).toEqual(DEBATE.organisers[locale]);
    expect(event.venue).toMatchObject({ code: DEBATE.venueCode, name: DEBATE.venueName[locale] });
    expect(event.parent).toMatchObject({ title: DEBATE.festival[locale], kind: 'festival' });
  });

  it('links relations both ways: person -> quotes, organisation -> units and events, event -> articles', async () => {
    const [mette] = await publicList(app, `/api/people?locale=${locale}&filters[slug][$eq]=mette-harbo&populate=quotes`);
    expect(mette.quotes).toHaveLength(1);

    const [copi] = await publicList(
      app,
      `/api/organisations?locale=${locale}&filters[shortName][$eq]=CO-PI&populate=organisedEvents`
    );
    expect(copi.aliases).toContain('CO-PI');
    expect(copi.organisedEvents.map((event: { title: unknown }) => event.title)).toEqual([DEBATE[locale].title]);

    const [unit] = await publicList(
      app,
      `/api/organisations?locale=${locale}&filters[shortName][$eq]=CIMT&populate[parent][populate]=units`
    );
    expect(unit.parent.kind).toBe('region');
    expect(unit.parent.units.map((child: { shortName: unknown }) => child.shortName)).toEqual(['CIMT']);

    const [debate] = await publicList(
      app,
      `/api/events?locale=${locale}&filters[slug][$eq]=${DEBATE[locale].slug}&populate=articles`
    );
    expect(debate.articles.map((article: { slug: unknown }) => article.slug)).toEqual([ARTICLE[locale].slug]);
  });
});

describe.each(LOCALES)('reverse lookups through components, with Strapi filters, in %s', (locale) => {
  it("finds a person's events through the events' participants", async () => {
    const events = await publicList(app, `/api/events?locale=${locale}&filters[participants][person][slug][$eq]=morten-jung`);
    expect(events.map((event: { title: unknown }) => event.title)).toEqual([DEBATE[locale].title]);
  });

  it("finds an organisation's people through their affiliations", async () => {
    const people = await publicList(
      app,
      `/api/people?locale=${locale}&filters[affiliations][organisation][shortName][$eq]=CO-PI&sort=name`
    );
    expect(people.map((person: { name: unknown }) => person.name)).toEqual(['Morten Jung']);
  });

  it("finds the articles a person is quoted in through the quotes", async () => {
    const articles = await publicList(app, `/api/articles?locale=${locale}&filters[quotes][person][slug][$eq]=mette-harbo`);
    expect(articles.map((article: { slug: unknown }) => article.slug)).toEqual([ARTICLE[locale].slug]);
  });
});

describe('public REST locale handling', () => {
  it('answers in Danish when the request names no locale', async () => {
    const [article] = await publicList(app, '/api/articles');
    expect(article).toMatchObject({ locale: 'da', title: ARTICLE.da.title });
  });

  it('serves one document in both locales under the same documentId', async () => {
    const [da] = await publicList(app, '/api/articles?locale=da');
    const [en] = await publicList(app, '/api/articles?locale=en');
    expect(en.documentId).toBe(da.documentId);
    expect(en.title).not.toBe(da.title);
  });
});
