/**
 * Organisation and person matching that survives spelling (issue 13, item 2): one person under
 * three spellings of her organisation, the seed's panel found again under the partners' own
 * spellings, two namesakes at different organisations kept apart, an acronym that two
 * organisations share matching neither, and the reason of every match kept privately.
 */
import { startApp, type TestApp } from '../helpers/app';
import { createPartners, put, talkWith, type Partners } from './shared';

let app: TestApp;
let partners: Partners;

beforeAll(async () => {
  app = await startApp({ seed: true });
  partners = await createPartners(app);
});
afterAll(async () => {
  await app?.stop();
});

/** The people named in a partner's event, as the public sees them. */
async function participantsOf(documentId: string): Promise<Array<{ documentId: string; name: string }>> {
  const response = await app.http().get(`/api/events/${documentId}`).query({ locale: 'da', populate: { participants: { populate: ['person'] } } });
  expect(response.status).toBe(200);
  return response.body.data.participants.map((participant: { person: { documentId: unknown; name: unknown } }) => ({ documentId: participant.person.documentId, name: participant.person.name }));
}

/** documentIds of people (draft rows, Danish) whose name contains `text`. */
async function peopleNamed(text: string): Promise<string[]> {
  const rows = await app.strapi.db.query('api::person.person').findMany({ select: ['documentId'], where: { locale: 'da', publishedAt: null, name: { $containsi: text } } });
  return rows.map((row: { documentId: string }) => row.documentId).sort();
}

async function organisationsNamed(text: string): Promise<Array<{ documentId: string; name: string; shortName: string | null }>> {
  return app.strapi.db.query('api::organisation.organisation').findMany({
    select: ['documentId', 'name', 'shortName'],
    where: { locale: 'da', publishedAt: null, $or: [{ name: { $containsi: text } }, { shortName: { $containsi: text } }] },
  });
}

async function pushed(partner: keyof Partners, externalId: string, body: unknown): Promise<string> {
  const response = await put(app, partners[partner], externalId, body);
  expect([response.status, response.body.data?.result ?? response.body.error]).toEqual([201, 'created']);
  return response.body.data.documentId;
}

describe('one person under three spellings of her organisation', () => {
  const events: string[] = [];

  it('makes one Lone Kjær at one KL, whichever way the three partners write KL', async () => {
    events.push(await pushed('festival', 'fm-lone', talkWith(9, { name: 'Lone Kjær', organisation: 'KL (Kommunernes Landsforening)', title: 'Chefkonsulent' }, 'Velfærd på vej')));
    events.push(await pushed('copi', 'copi-lone', talkWith(10, { name: 'Lone  Kjær', organisation: 'Kommunernes Landsforening KL' }, 'Indkøb i kommunerne')));
    events.push(await pushed('kl', 'kl-lone', talkWith(11, { name: 'lone kjær', organisation: 'kommunernes landsforening' }, 'KL om innovation')));
    const lone = await peopleNamed('kjær');
    expect(lone).toHaveLength(1);
    for (const event of events) expect((await participantsOf(event)).map((person) => person.documentId)).toEqual(lone);
    const kl = await organisationsNamed('landsforening');
    expect(kl.map((organisation) => [organisation.name, organisation.shortName])).toEqual([['KL (Kommunernes Landsforening)', 'KL']]);
  });

  it('finds KL by its acronym alone, as it is the only organisation that goes by it', async () => {
    const event = await pushed('festival', 'fm-lone-2', talkWith(12, { name: 'Lone Kjær', organisation: 'KL' }, 'Kort om KL'));
    expect((await participantsOf(event)).map((person) => person.documentId)).toEqual(await peopleNamed('kjær'));
    expect(await organisationsNamed('KL')).toHaveLength(1);
  });
});

describe('the seed’s panel under the partners’ spellings', () => {
  it('finds every panellist, creating no person and no organisation', async () => {
    const seeded = await Promise.all(['Mette Harbo', 'Morten Jung', 'Karen Storgaard Larsen', 'Kim Toft Madsen'].map((name) => peopleNamed(name)));
    for (const ids of seeded) expect(ids).toHaveLength(1);
    const organisations = await app.strapi.db.query('api::organisation.organisation').count({ where: { locale: 'da', publishedAt: null } });
    const event = await pushed('copi', 'copi-panel', {
      ...talkWith(13, { name: 'Mette Harbo', organisation: 'Region Hovedstaden, Center for IT og Medicoteknologi' }, 'Panelet igen'),
      participants: [
        { name: 'Mette Harbo', organisation: 'Region Hovedstaden, Center for IT og Medicoteknologi', part: 'panelist' },
        { name: 'Morten Jung', organisation: 'Dansk Erhverv (DE)', part: 'panelist' },
        { name: 'Karen Storgaard Larsen', organisation: 'Aabenraa Kommunes', part: 'panelist' },
        { name: 'Kim Toft Madsen', organisation: 'Aquatime A/S', part: 'panelist' },
      ],
    });
    expect((await participantsOf(event)).map((person) => person.documentId)).toEqual(seeded.map((ids) => ids[0]));
    expect(await app.strapi.db.query('api::organisation.organisation').count({ where: { locale: 'da', publishedAt: null } })).toBe(organisations);
  });

  it('counts an organisation she was at before: Mette Harbo at "Københavns Kommunes" is the seed’s Mette Harbo', async () => {
    const event = await pushed('kl', 'kl-mette', talkWith(14, { name: 'Mette Harbo', organisation: 'Københavns Kommunes' }, 'Fra kommune til region'));
    expect((await participantsOf(event)).map((person) => person.documentId)).toEqual(await peopleNamed('Mette Harbo'));
  });

  it('keeps why each was matched, privately: rule and score per key', async () => {
    const [morten] = await peopleNamed('Morten Jung');
    const keys = await app.strapi.db.connection('partner_identities').where({ kind: 'person', document_id: morten }).select('partner_key', 'rule', 'score');
    expect(keys).toEqual([{ partner_key: '*', rule: 'person-name+organisation', score: 1 }]);
    const [danskErhverv] = await organisationsNamed('Dansk Erhverv');
    const organisationKeys = await app.strapi.db.connection('partner_identities').where({ kind: 'organisation', document_id: danskErhverv!.documentId }).select('external_id', 'rule');
    expect(organisationKeys).toEqual([{ external_id: 'org:dansk erhverv', rule: 'organisation-name' }]);
    const person = await app.http().get(`/api/people/${morten}`).query({ locale: 'da' });
    expect(JSON.stringify(person.body)).not.toMatch(/person-name|organisation-name|partner_identities/);
  });
});

describe('two namesakes at different organisations', () => {
  it('stay two people, and the pair is kept for review', async () => {
    const aarhus = await pushed('festival', 'fm-anne', talkWith(15, { name: 'Anne Jensen', organisation: 'Aarhus Kommune', title: 'Direktør' }, 'Aarhus viser vej'));
    const novo = await pushed('copi', 'copi-anne', talkWith(16, { id: 'aj-novo', name: 'Anne Jensen', organisation: 'Novo Nordisk A/S', title: 'VP' }, 'Industrien og det offentlige'));
    const [atAarhus] = await participantsOf(aarhus);
    const [atNovo] = await participantsOf(novo);
    expect(atAarhus!.documentId).not.toBe(atNovo!.documentId);
    expect(await peopleNamed('Anne Jensen')).toHaveLength(2);

    const candidates = await app.strapi.db.connection('partner_match_candidates').where({ kind: 'person' });
    expect(candidates.map((row: { partner_key: unknown; external_id: unknown; candidate_document_id: unknown; document_id: unknown; rule: unknown; status: unknown }) => [row.partner_key, row.external_id, row.candidate_document_id, row.document_id, row.rule, row.status])).toEqual([
      ['co-pi', 'aj-novo', atAarhus!.documentId, atNovo!.documentId, 'person-same-name-other-organisation', 'pending'],
    ]);
    expect(JSON.parse(candidates[0].evidence).pushed).toMatchObject({ name: 'Anne Jensen', organisation: 'Novo Nordisk A/S' });
  });

  it('finds each again at her own organisation, under another spelling of it', async () => {
    const event = await pushed('kl', 'kl-anne', {
      ...talkWith(17, {}, 'To af samme navn'),
      participants: [
        { name: 'ANNE JENSEN', organisation: 'Novo Nordisk', part: 'speaker' },
        { name: 'Anne Jensen', organisation: 'Aarhus Kommunes', part: 'speaker' },
      ],
    });
    const [novo, aarhus] = await participantsOf(event);
    expect(novo!.documentId).not.toBe(aarhus!.documentId);
    expect(await peopleNamed('Anne Jensen')).toHaveLength(2);
  });
});

describe('a double surname written with a hyphen by one partner and a space by another', () => {
  it('finds the namesake either way round and keeps the pair for review', async () => {
    // Ours first without Danish letters and with a space; the push spells it "Kjær-Hansen".
    const plain = await pushed('festival', 'fm-soeren', talkWith(19, { name: 'Soeren Kjaer Hansen', organisation: 'Region Midtjylland', title: 'Chefkonsulent' }, 'Sundhed tæt på borgeren'));
    const hyphen = await pushed('copi', 'copi-soeren', talkWith(20, { id: 'skh-danfoss', name: 'Søren Kjær-Hansen', organisation: 'Danfoss A/S', title: 'Direktør' }, 'Industriens grønne omstilling'));
    // And the other way round: hyphen first, a space in the push.
    const hyphenFirst = await pushed('festival', 'fm-ida', talkWith(21, { name: 'Ida Bach-Nielsen', organisation: 'Region Midtjylland', title: 'Konsulent' }, 'Data i sundheden'));
    const spaceLater = await pushed('copi', 'copi-ida', talkWith(22, { id: 'ibn-danfoss', name: 'Ida Bach Nielsen', organisation: 'Danfoss A/S', title: 'Analytiker' }, 'Data i industrien'));
    const [soerenAtRegion, soerenAtDanfoss, idaAtRegion, idaAtDanfoss] = (await Promise.all([plain, hyphen, hyphenFirst, spaceLater].map(participantsOf))).map((people) => people[0]);
    const pairs = await app.strapi.db
      .connection('partner_match_candidates')
      .where({ kind: 'person' })
      .whereIn('external_id', ['skh-danfoss', 'ibn-danfoss'])
      .orderBy('external_id', 'desc')
      .select('external_id', 'candidate_document_id', 'document_id', 'rule', 'status');
    expect(pairs).toEqual([
      { external_id: 'skh-danfoss', candidate_document_id: soerenAtRegion!.documentId, document_id: soerenAtDanfoss!.documentId, rule: 'person-same-name-other-organisation', status: 'pending' },
      { external_id: 'ibn-danfoss', candidate_document_id: idaAtRegion!.documentId, document_id: idaAtDanfoss!.documentId, rule: 'person-same-name-other-organisation', status: 'pending' },
    ]);
  });
});

describe('an acronym two organisations share', () => {
  it('matches neither of them: the person is not put at the wrong one', async () => {
    const organisations = app.strapi.documents('api::organisation.organisation');
    for (const name of ['Dansk Industri', 'Danmarks Idrætsforbund']) {
      const created = await organisations.create({ locale: 'da', data: { name, shortName: 'DI', kind: 'association' } as never });
      await organisations.publish({ documentId: created.documentId, locale: 'da' });
    }
    const known = (await organisationsNamed('Dansk Industri')).concat(await organisationsNamed('Idrætsforbund')).map((organisation) => organisation.documentId);
    await pushed('festival', 'fm-di', talkWith(18, { name: 'Peter Holm', organisation: 'DI', title: 'Chef' }, 'Sport eller industri'));
    const [peter] = await peopleNamed('Peter Holm');
    const person = await app.strapi.db.query('api::person.person').findOne({
      where: { documentId: peter, locale: 'da', publishedAt: null },
      populate: { affiliations: { populate: { organisation: { select: ['documentId', 'name'] } } } },
    });
    const at = person.affiliations.map((affiliation: { organisation: { documentId: unknown } }) => affiliation.organisation.documentId);
    expect(at).toHaveLength(1);
    expect(known).not.toContain(at[0]);
    // "Dansk Industri (DI)" has a name as well as the acronym: the name decides.
    await pushed('kl', 'kl-di', talkWith(19, { name: 'Sara Bech', organisation: 'Dansk Industri (DI)', title: 'Analytiker' }, 'Industriens bud'));
    const sara = await app.strapi.db.query('api::person.person').findOne({
      where: { locale: 'da', publishedAt: null, name: 'Sara Bech' },
      populate: { affiliations: { populate: { organisation: { select: ['documentId', 'name'] } } } },
    });
    expect(sara.affiliations.map((affiliation: { organisation: { name: unknown } }) => affiliation.organisation.name)).toEqual(['Dansk Industri']);
  });
});
