/**
 * PUT /api/partner/events/:externalId: create, update, unchanged, If-Match, Idempotency-Key,
 * validation, withdrawal and cancellation, and one partner never reaching another's events.
 */
import { startApp, type TestApp } from '../helpers/app';
import { createPartner, type TestPartner } from '../helpers/partners';
import { countWrites } from '../helpers/sql-statements';
import type { Response } from 'supertest';

let app: TestApp;
let festival: TestPartner;
let cohost: TestPartner;
let drafts: TestPartner;

beforeAll(async () => {
  app = await startApp({ seed: true });
  festival = await createPartner(app, { name: 'Folkemødet', key: 'folkemoedet', publishMode: 'publish' });
  cohost = await createPartner(app, { name: 'Dansk Erhverv', key: 'dansk-erhverv', publishMode: 'publish' });
  drafts = await createPartner(app, { name: 'Erhvervshus', key: 'erhvervshus', publishMode: 'draft' });
});
afterAll(async () => {
  await app?.stop();
});

const debate = (overrides: Record<string, unknown> = {}) => ({
  startsAt: '2024-06-13T14:00',
  endsAt: '2024-06-13T15:00',
  timeZone: 'Europe/Copenhagen',
  kind: 'debate',
  venue: { id: 'tent-7', name: 'Telt 7, Kæmpestranden', nameEn: 'Tent 7, Kæmpestranden', city: 'Allinge' },
  organisers: [{ name: 'CO-PI' }],
  participants: [
    { id: 'p-41', name: 'Jonas  Kirk', organisation: 'COPI', title: 'Projektleder', part: 'moderator' },
    { name: 'Sofie Lund', organisation: 'Aabenraa Kommune', title: 'Indkøbschef', part: 'panelist' },
  ],
  topics: ['innovative-offentlige-indkoeb'],
  da: { title: 'Tør vi købe det nye?', summary: 'Debat om innovative indkøb.', description: 'Første afsnit.\n\nAndet afsnit.' },
  en: { title: 'Dare we buy the new?', summary: 'A debate on innovative procurement.' },
  ...overrides,
});

const put = (partner: TestPartner, externalId: string, body: unknown) =>
  app.http().put(`/api/partner/events/${externalId}`).set('Authorization', partner.auth).send(body as object);

const publicEvent = async (documentId: string, locale = 'da') =>
  app.http().get(`/api/events/${documentId}`).query({ locale, populate: { participants: { populate: ['person'] }, venue: true, organisers: true, topics: true } });

describe('create, update, unchanged', () => {
  let documentId: string;
  let etag: string;

  it('creates the event in both locales with 201, an ETag and a Location', async () => {
    const response = await put(festival, 'fm24-101', debate());
    expect(response.status).toBe(201);
    expect(response.body.data).toMatchObject({ externalId: 'fm24-101', result: 'created', version: 1, published: true, withdrawn: false, locales: ['da', 'en'] });
    expect(response.headers.etag).toBe(response.body.data.etag);
    expect(response.headers.location).toBe('/api/partner/events/fm24-101');
    documentId = response.body.data.documentId;
    etag = response.headers.etag!;
  });

  it('is public in both locales with its people, venue, organiser and topic resolved', async () => {
    const da = await publicEvent(documentId, 'da');
    expect(da.status).toBe(200);
    expect(da.body.data).toMatchObject({
      title: 'Tør vi købe det nye?',
      startsAt: '2024-06-13T12:00:00.000Z',
      startsAtLocal: '2024-06-13T14:00:00+02:00',
      venue: { name: 'Telt 7, Kæmpestranden', city: 'Allinge' },
      organisers: [{ name: 'Center for Offentlig-Privat Innovation' }],
      topics: [{ slug: 'innovative-offentlige-indkoeb' }],
    });
    expect(da.body.data.participants.map((p: { person?: { name: unknown } | null; part: unknown }) => [p.person?.name, p.part])).toEqual([
      ['Jonas  Kirk', 'moderator'],
      ['Sofie Lund', 'panelist'],
    ]);
    expect(da.body.data.description).toHaveLength(2);
    expect(JSON.stringify(da.body)).not.toMatch(/sourcePartner|externalId|folkemoedet/);

    const en = await publicEvent(documentId, 'en');
    expect(en.body.data).toMatchObject({ title: 'Dare we buy the new?', venue: { name: 'Tent 7, Kæmpestranden' } });
    expect(en.body.data.participants.map((p: { person?: { name: unknown } | null }) => p.person?.name)).toEqual(['Jonas  Kirk', 'Sofie Lund']);
  });

  it('matches the organiser to the existing organisation through its alias, creating none', async () => {
    const copi = await app.strapi.db.query('api::organisation.organisation').findMany({ where: { shortName: 'CO-PI', locale: 'da', publishedAt: null } });
    expect(copi).toHaveLength(1);
  });

  it('answers the same body again with 200 unchanged and writes nothing', async () => {
    let response!: Response;
    const writes = await countWrites(app.strapi, async () => {
      response = await put(festival, 'fm24-101', debate());
    });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ result: 'unchanged', version: 1 });
    expect(response.headers.etag).toBe(etag);
    expect(writes).toBe(0);
  });

  it('treats key order and spelled-out defaults as the same body', async () => {
    const { da, en, ...rest } = debate({ status: 'scheduled', attendanceMode: 'offline' });
    const response = await put(festival, 'fm24-101', { en, da, ...rest });
    expect(response.body.data.result).toBe('unchanged');
  });

  it('updates with 200 and a new ETag', async () => {
    const response = await put(festival, 'fm24-101', debate({ startsAt: '2024-06-13T14:30:00+02:00' }));
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ result: 'updated', version: 2 });
    expect(response.headers.etag).not.toBe(etag);
    const da = await publicEvent(documentId);
    expect(da.body.data.startsAt).toBe('2024-06-13T12:30:00.000Z');
    etag = response.headers.etag!;
  });

  it('answers a stale If-Match with 412 and writes nothing; the current one is accepted', async () => {
    let stale!: Response;
    const writes = await countWrites(app.strapi, async () => {
      stale = await put(festival, 'fm24-101', debate({ summary: undefined })).set('If-Match', '"1-0000000000000000"');
    });
    expect(stale.status).toBe(412);
    expect(stale.body.error).toMatchObject({ status: 412, name: 'PreconditionFailedError' });
    expect(writes).toBe(0);

    const fresh = await put(festival, 'fm24-101', debate({ startsAt: '2024-06-13T14:30:00+02:00', kind: 'workshop' })).set('If-Match', etag);
    expect(fresh.status).toBe(200);
    expect(fresh.body.data.result).toBe('updated');
  });

  it('answers If-Match on an event that does not exist with 412', async () => {
    const response = await put(festival, 'fm24-nothing', debate()).set('If-Match', '*');
    expect(response.status).toBe(412);
  });

  it('drops the English version when the body no longer has English texts', async () => {
    const response = await put(festival, 'fm24-101', debate({ en: undefined, startsAt: '2024-06-13T14:30:00+02:00', kind: 'workshop' }));
    expect(response.body.data).toMatchObject({ result: 'updated', locales: ['da'] });
    expect((await publicEvent(documentId, 'en')).status).toBe(404);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first answer for a retry, and refuses the key with another body (422)', async () => {
    const first = await put(festival, 'fm24-102', debate({ da: { title: 'Idempotent' } })).set('Idempotency-Key', 'req-7f1c');
    expect(first.status).toBe(201);

    const retry = await put(festival, 'fm24-102', debate({ da: { title: 'Idempotent' } })).set('Idempotency-Key', 'req-7f1c');
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers.etag).toBe(first.headers.etag);

    const misuse = await put(festival, 'fm24-102', debate({ da: { title: 'Something else' } })).set('Idempotency-Key', 'req-7f1c');
    expect(misuse.status).toBe(422);
    expect(misuse.body.error).toMatchObject({ status: 422, name: 'IdempotencyKeyReusedError' });
  });

  it('keeps keys per partner', async () => {
    const response = await put(cohost, 'de-1', debate({ da: { title: 'Andet selskab' } })).set('Idempotency-Key', 'req-7f1c');
    expect(response.status).toBe(201);
  });
});

describe('validation', () => {
  it('names every bad field with a JSON pointer and writes nothing', async () => {
    const bad = {
      ...debate(),
      startsAt: 'next Tuesday',
      timeZone: 'Europe/Atlantis',
      kind: 'party',
      venue: { name: 'Telt', latitude: 123 },
      participants: [{ name: '', part: 'host' }],
      da: { title: '' },
      en: { title: 'x'.repeat(201) },
      colour: 'red',
    };
    let response!: Response;
    const writes = await countWrites(app.strapi, async () => {
      response = await put(festival, 'fm24-bad', bad);
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
    const pointers = response.body.error.details.errors.map((error: { pointer: string }) => error.pointer).sort();
    expect(pointers).toEqual(
      ['/colour', '/da/title', '/en/title', '/kind', '/participants/0/name', '/participants/0/part', '/startsAt', '/timeZone', '/venue/latitude'].sort(),
    );
    expect(writes).toBe(0);
  });

  it('refuses an end before the start, and a wall-clock time that does not exist (summer-time gap)', async () => {
    const backwards = await put(festival, 'fm24-bad', debate({ endsAt: '2024-06-13T13:00' }));
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details.errors).toEqual([{ pointer: '/endsAt', path: ['endsAt'], message: 'must not be before startsAt' }]);

    const gap = await put(festival, 'fm24-bad', debate({ startsAt: '2024-03-31T02:30', endsAt: undefined }));
    expect(gap.status).toBe(400);
    expect(gap.body.error.details.errors[0]).toMatchObject({ pointer: '/startsAt', message: 'is not a real time in Europe/Copenhagen' });
  });

  it('refuses references that do not resolve: an unknown topic, a festival not pushed yet', async () => {
    const topic = await put(festival, 'fm24-bad', debate({ topics: ['innovative-offentlige-indkoeb', 'no-such-topic'] }));
    expect(topic.status).toBe(400);
    expect(topic.body.error.details.errors).toEqual([expect.objectContaining({ pointer: '/topics/1', message: 'no topic with slug "no-such-topic"' })]);

    const parent = await put(festival, 'fm24-bad', debate({ festival: 'fm24' }));
    expect(parent.status).toBe(400);
    expect(parent.body.error.details.errors[0].pointer).toBe('/festival');
    expect((await app.http().get('/api/partner/events/fm24-bad').set('Authorization', festival.auth)).status).toBe(404);
  });

  it('refuses a bad externalId and a body that is not an object', async () => {
    const id = await put(festival, 'has%20space', debate());
    expect(id.status).toBe(400);
    expect(id.body.error.details).toEqual({ param: 'externalId' });
    const array = await put(festival, 'fm24-bad', [1, 2]);
    expect(array.status).toBe(400);
  });

  it('refuses a malformed Idempotency-Key with a 400 naming the header, writing nothing', async () => {
    let response!: Response;
    const writes = await countWrites(app.strapi, async () => {
      response = await put(festival, 'fm24-idem', debate()).set('Idempotency-Key', 'x'.repeat(201));
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError', details: { header: 'Idempotency-Key' } });
    expect(writes).toBe(0);
  });

  it('needs a partner token', async () => {
    const response = await app.http().put('/api/partner/events/fm24-101').send(debate());
    expect(response.status).toBe(401);
  });
});

describe('partners stay apart', () => {
  it('answers 404 when another partner reads or withdraws an event, and keeps an equal externalId separate', async () => {
    expect((await app.http().get('/api/partner/events/fm24-101').set('Authorization', cohost.auth)).status).toBe(404);
    expect((await app.http().delete('/api/partner/events/fm24-101').set('Authorization', cohost.auth)).status).toBe(404);
    const own = await put(cohost, 'fm24-101', debate({ da: { title: 'Dansk Erhvervs egen' } }));
    expect(own.status).toBe(201);
    const original = await app.http().get('/api/partner/events/fm24-101').set('Authorization', festival.auth);
    expect(original.body.data.documentId).not.toBe(own.body.data.documentId);
  });

  it('makes one person of the same person named by two partners', async () => {
    await put(cohost, 'de-2', debate({ participants: [{ name: 'jonas kirk', organisation: 'Center for Offentlig-Privat Innovation', part: 'speaker' }] }));
    const people = await app.strapi.db.query('api::person.person').findMany({ where: { name: { $containsi: 'kirk' }, locale: 'da', publishedAt: null } });
    expect(people).toHaveLength(1);
  });

  it('has no partner route to articles, people or organisations', async () => {
    const article = await app.strapi.db.query('api::article.article').findOne({ where: { locale: 'da' } });
    for (const path of [`/api/partner/articles/${article.documentId}`, '/api/partner/people', '/api/partner/organisations']) {
      expect((await app.http().get(path).set('Authorization', festival.auth)).status).toBe(404);
    }
  });
});

describe('withdraw and cancel', () => {
  it('withdraws (unpublishes) with DELETE, says so again without writing, and republishes on the next PUT', async () => {
    const created = await put(festival, 'fm24-103', debate({ da: { title: 'Trækkes tilbage' } }));
    const documentId = created.body.data.documentId;
    expect((await publicEvent(documentId)).status).toBe(200);

    const withdrawn = await app.http().delete('/api/partner/events/fm24-103').set('Authorization', festival.auth);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.data).toMatchObject({ result: 'withdrawn', withdrawn: true, published: false });
    expect((await publicEvent(documentId)).status).toBe(404);
    expect((await publicEvent(documentId, 'en')).status).toBe(404);

    let again!: Response;
    const writes = await countWrites(app.strapi, async () => {
      again = await app.http().delete('/api/partner/events/fm24-103').set('Authorization', festival.auth);
    });
    expect(again.body.data.result).toBe('unchanged');
    expect(writes).toBe(0);

    const back = await put(festival, 'fm24-103', debate({ da: { title: 'Trækkes tilbage' } }));
    expect(back.body.data).toMatchObject({ result: 'updated', withdrawn: false, published: true });
    expect((await publicEvent(documentId)).status).toBe(200);
  });

  it('keeps a cancelled event public, marked cancelled', async () => {
    // Its own title: with the default one it is Dansk Erhverv's de-2 (same start, tent and title), which event matching now links it to.
    const created = await put(festival, 'fm24-104', debate({ status: 'cancelled', da: { title: 'Aflyst debat' } }));
    const response = await publicEvent(created.body.data.documentId);
    expect(response.status).toBe(200);
    expect(response.body.data.eventStatus).toBe('cancelled');
  });

  it('leaves a draft-mode partner’s events as drafts for an editor', async () => {
    const created = await put(drafts, 'eh-1', debate({ da: { title: 'Venter på redaktør' } }));
    expect(created.status).toBe(201);
    expect(created.body.data.published).toBe(false);
    expect((await publicEvent(created.body.data.documentId)).status).toBe(404);
  });
});
