/**
 * Organisations in the editors' review queue, and job titles written into a person's
 * organisation field (issue 26, item 2). A new organisation that no rule joins to one we have,
 * but that may be it (a letter or two apart, an acronym several share, the acronym of another),
 * is created as before and the pair waits for an editor, with both sides' evidence: names,
 * acronyms, the partners that named each, and people at each. "Direktør, Dansk Erhverv" is the
 * person at Dansk Erhverv with the title Direktør, however the two are put together.
 */
import { startApp, type JsonBody, type TestApp } from '../helpers/app';
import type { AdminSession } from '../helpers/admin';
import { sessions } from '../review-merge/shared';
import { contentCounts, createPartners, put, talkWith, type Partners } from './shared';

let app: TestApp;
let partners: Partners;
let editor: AdminSession;

beforeAll(async () => {
  app = await startApp({ seed: true });
  partners = await createPartners(app);
  ({ editor } = await sessions(app));
});
afterAll(async () => {
  await app?.stop();
});

async function pushed(partner: keyof Partners, externalId: string, body: unknown): Promise<string> {
  const response = await put(app, partners[partner], externalId, body);
  expect([response.status, response.body.data?.result ?? response.body.error]).toEqual([201, 'created']);
  return response.body.data.documentId;
}

/** The people of a partner's event with their affiliations (title, organisation name), as the public sees them. */
async function panelOf(event: string): Promise<Array<{ name: string; affiliations: Array<{ title: string; organisation: string | null }> }>> {
  const response = await app.http().get(`/api/events/${event}`).query({
    locale: 'da',
    populate: { participants: { populate: { person: { populate: { affiliations: { populate: ['organisation'] } } } } } },
  });
  expect(response.status).toBe(200);
  return response.body.data.participants.map((participant: { person: { name: string; affiliations: Array<{ title: string; organisation: { name: string } | null }> } }) => ({
    name: participant.person.name,
    affiliations: participant.person.affiliations.map((affiliation) => ({ title: affiliation.title, organisation: affiliation.organisation?.name ?? null })),
  }));
}

const organisationsNamed = async (text: string): Promise<string[]> =>
  (
    await app.strapi.db.query('api::organisation.organisation').findMany({ select: ['name'], where: { locale: 'da', publishedAt: null, name: { $containsi: text } } })
  ).map((row: { name: string }) => row.name).sort();

const queue = async (kind = 'organisation') => {
  const response = await editor.get(`/admin/duplicates/candidates?kind=${kind}`);
  expect(response.status).toBe(200);
  return response.body.data as JsonBody[];
};

describe('a job title in the organisation field', () => {
  it('puts the person at the organisation we have, with the title on the affiliation, whichever way it is written', async () => {
    const before = await contentCounts(app);
    const event = await pushed('festival', 'fm-titles', {
      ...talkWith(9, {}, 'Titler i feltet'),
      participants: [
        { name: 'Jens Holst', organisation: 'Direktør, Dansk Erhverv', part: 'speaker' },
        { name: 'Ida Lund', organisation: 'Dansk Erhverv – chefkonsulent', part: 'speaker' },
        { name: 'Bo Dam', organisation: 'Adm. direktør i Erhvervshus Hovedstaden', part: 'speaker' },
        // A title given in `title` wins over one in the organisation field.
        { name: 'Eva Krogh', organisation: 'Erhvervshus Hovedstaden (konsulent)', title: 'Seniorkonsulent', part: 'speaker' },
      ],
    });
    expect(await panelOf(event)).toEqual([
      { name: 'Jens Holst', affiliations: [{ title: 'Direktør', organisation: 'Dansk Erhverv' }] },
      { name: 'Ida Lund', affiliations: [{ title: 'chefkonsulent', organisation: 'Dansk Erhverv' }] },
      { name: 'Bo Dam', affiliations: [{ title: 'Adm. direktør', organisation: 'Erhvervshus Hovedstaden' }] },
      { name: 'Eva Krogh', affiliations: [{ title: 'Seniorkonsulent', organisation: 'Erhvervshus Hovedstaden' }] },
    ]);
    // No organisation was made of a title: four people, one event, no organisation.
    const after = await contentCounts(app);
    expect(after.organisations).toBe(before.organisations);
    expect(await organisationsNamed('direktør')).toEqual([]);
  });

  it('finds the same person again when the next partner writes the title the other way round', async () => {
    const event = await pushed('kl', 'kl-titles', talkWith(10, { name: 'Jens Holst', organisation: 'Dansk Erhverv - Direktør' }, 'Samme direktør'));
    const [jens] = await panelOf(event);
    expect(jens).toEqual({ name: 'Jens Holst', affiliations: [{ title: 'Direktør', organisation: 'Dansk Erhverv' }] });
    const people = await app.strapi.db.query('api::person.person').count({ where: { locale: 'da', publishedAt: null, name: 'Jens Holst' } });
    expect(people).toBe(1);
  });

  it('takes a field that is only a title as no organisation: the person is made without an affiliation', async () => {
    const before = await contentCounts(app);
    const event = await pushed('festival', 'fm-title-only', talkWith(11, { name: 'Lise Bruun', organisation: 'Direktør' }, 'Kun en titel'));
    expect(await panelOf(event)).toEqual([{ name: 'Lise Bruun', affiliations: [] }]);
    expect((await contentCounts(app)).organisations).toBe(before.organisations);
  });
});

describe('organisations in the review queue', () => {
  let lookalike: JsonBody;

  it('creates a new spelling a letter apart, and asks an editor whether it is the one we have, with both sides’ evidence', async () => {
    await pushed('copi', 'copi-hub', talkWith(12, { name: 'Nina Friis', organisation: 'Erhvervshuset Hovedstaden', title: 'Projektleder' }, 'Erhvervshusets dag'));
    expect(await organisationsNamed('Erhvervshus')).toEqual(['Erhvervshus Hovedstaden', 'Erhvervshuset Hovedstaden']);
    const items = await queue();
    expect(items).toHaveLength(1);
    lookalike = items[0]!;
    expect(lookalike).toMatchObject({
      kind: 'organisation',
      status: 'pending',
      rule: 'organisation-similar-name',
      partner: 'co-pi',
      pushed: {
        document: { type: 'organisation', label: 'Erhvervshuset Hovedstaden', locales: ['da', 'en'] },
        evidence: { name: 'Erhvervshuset Hovedstaden', partner: 'co-pi', people: ['Nina Friis'] },
      },
      candidate: {
        document: { type: 'organisation', label: 'Erhvervshus Hovedstaden' },
        // The seed's organisation, with the people the first test put there.
        evidence: { name: 'Erhvervshus Hovedstaden', people: expect.arrayContaining(['Bo Dam', 'Eva Krogh']) },
      },
    });
    expect(lookalike.score).toBeGreaterThanOrEqual(0.85);
    expect(lookalike.score).toBeLessThan(1);
  });

  it('asks nothing new when the same spelling is pushed again: the new organisation is found by its name', async () => {
    const before = await contentCounts(app);
    await pushed('kl', 'kl-hub', talkWith(13, { name: 'Nina Friis', organisation: 'Erhvervshuset Hovedstaden' }, 'Erhvervshusets dag igen'));
    expect(await queue()).toHaveLength(1);
    expect((await contentCounts(app)).organisations).toBe(before.organisations);
  });

  it('merges the two when the editor says they are the same: one organisation, and later pushes of either spelling find it', async () => {
    const keep = (lookalike.candidate as { document: { documentId: string; updatedAt: string } }).document;
    const merge = (lookalike.pushed as { document: { documentId: string; updatedAt: string } }).document;
    const response = await editor.post(`/admin/duplicates/candidates/${lookalike.id}/merge`, {
      keep: { documentId: keep.documentId, updatedAt: keep.updatedAt },
      merge: { documentId: merge.documentId, updatedAt: merge.updatedAt },
    });
    expect(response.status).toBe(200);
    expect(await organisationsNamed('Erhvervshus')).toEqual(['Erhvervshus Hovedstaden']);
    const event = await pushed('festival', 'fm-hub', talkWith(14, { name: 'Nina Friis', organisation: 'Erhvervshuset Hovedstaden' }, 'Efter sammenlægningen'));
    const [nina] = await panelOf(event);
    expect(nina!.affiliations).toEqual([{ title: 'Projektleder', organisation: 'Erhvervshus Hovedstaden' }]);
    expect(await organisationsNamed('Erhvervshus')).toEqual(['Erhvervshus Hovedstaden']);
    expect(await queue()).toEqual([]);
  });

  it('asks about every organisation an acronym given alone may be, when several go by it', async () => {
    const organisations = app.strapi.documents('api::organisation.organisation');
    const known: string[] = [];
    for (const name of ['Danske Regioner', 'Dansk Rugby']) {
      const created = await organisations.create({ locale: 'da', data: { name, shortName: 'DR', kind: 'association' } as never });
      await organisations.publish({ documentId: created.documentId, locale: 'da' });
      known.push(created.documentId);
    }
    await pushed('festival', 'fm-dr', talkWith(15, { name: 'Ulla Berg', organisation: 'DR', title: 'Chef' }, 'Hvilket DR?'));
    const items = (await queue()).filter((item) => (item.pushed as { evidence: { name: string } }).evidence.name === 'DR');
    expect(items.map((item) => [item.rule, (item.candidate as { document: { documentId: string } }).document.documentId]).sort()).toEqual(
      known.map((documentId) => ['organisation-acronym-shared', documentId]).sort(),
    );
    for (const item of items) expect((item.candidate as { evidence: { acronym: string } }).evidence.acronym).toBe('dr');
  });

  it('does not ask about an organisation that is merely another one', async () => {
    const before = (await queue()).length;
    await pushed('kl', 'kl-other', talkWith(16, { name: 'Kurt Lind', organisation: 'Dansk Sygeplejeråd', title: 'Formand' }, 'Sygeplejen'));
    expect(await queue()).toHaveLength(before);
  });

  it('refuses a bad queue filter with a 400 naming it, and writes nothing', async () => {
    const before = await contentCounts(app);
    const response = await editor.get('/admin/duplicates/candidates?kind=organisations');
    expect(response.status).toBe(400);
    expect(response.body.error.details).toMatchObject({ field: 'kind' });
    expect(await contentCounts(app)).toEqual(before);
  });
});
