/**
 * The preview: the admin asks for a link (Strapi's `GET /content-manager/preview/url/:uid`),
 * follows it, and sees the article or event as a front end would show it, drafts included, in
 * the requested locale. Anything but the exact signed link is refused.
 */
import { startApp, type TestApp } from '../helpers/app';
import { loginAsSuperAdmin, loginWithRole, type AdminSession } from '../helpers/admin';
import { signPreviewToken } from '../../src/features/editorial/preview/token';
import { ROLE_CODES } from '../../src/features/editorial/admin/roles';
import { ARTICLE_UID, DRAFT_TITLE, EVENT_UID, HOSTILE_TITLE, PERSON_UID, SEED_ARTICLE, SEED_EVENT, SEED_PERSON, pathOf } from './shared';

let app: TestApp;
let admin: AdminSession;
let articleId: string;
let eventId: string;
let personId: string;

beforeAll(async () => {
  app = await startApp({ seed: true });
  admin = await loginAsSuperAdmin(app);
  const article = await app.strapi.documents(ARTICLE_UID).findFirst({ locale: 'da', filters: { slug: SEED_ARTICLE.slug } });
  const event = await app.strapi.documents(EVENT_UID).findFirst({ locale: 'da', filters: { slug: SEED_EVENT.slug } });
  articleId = article!.documentId;
  eventId = event!.documentId;
  const person = await app.strapi.documents(PERSON_UID).findFirst({ locale: 'da', filters: { name: SEED_PERSON.name } });
  personId = person!.documentId;
  // An unpublished edit: the Danish draft now differs from the published version.
  await app.strapi.documents(ARTICLE_UID).update({ documentId: articleId, locale: 'da', data: { title: DRAFT_TITLE } });
});
afterAll(async () => {
  await app?.stop();
});

/** Asks the admin API for a preview link, as the edit view does. */
async function previewUrl(uid: string, documentId: string, locale: string, status: string) {
  return admin.get(`/content-manager/preview/url/${uid}?documentId=${documentId}&locale=${locale}&status=${status}`);
}

async function openPreview(uid: string, documentId: string, locale: string, status: string) {
  const link = await previewUrl(uid, documentId, locale, status);
  expect(link.status).toBe(200);
  const response = await app.http().get(pathOf(link.body.data.url));
  expect(response.status).toBe(200);
  return response;
}

describe('the admin preview link', () => {
  it('is a signed link to /preview on the app itself for articles, events and people', async () => {
    for (const [uid, type, id] of [
      [ARTICLE_UID, 'article', articleId],
      [EVENT_UID, 'event', eventId],
      [PERSON_UID, 'person', personId],
    ] as const) {
      const response = await previewUrl(uid, id, 'da', 'draft');
      expect(response.status).toBe(200);
      const url = new URL(response.body.data.url);
      expect(url.origin).toBe('http://localhost:1337');
      expect(url.pathname).toBe(`/preview/${type}/${id}`);
      expect(url.searchParams.get('locale')).toBe('da');
      expect(url.searchParams.get('status')).toBe('draft');
      expect(url.searchParams.get('token')).toMatch(/^[\w-]+\.[\w-]+$/);
    }
  });

  it('is not offered for other types (no link, so no button)', async () => {
    const organisation = await app.strapi.documents('api::organisation.organisation').findFirst({ locale: 'da' });
    const response = await previewUrl('api::organisation.organisation', organisation!.documentId, 'da', 'draft');
    expect(response.status).toBe(204);
  });

  it('needs an admin login', async () => {
    const response = await app.http().get(`/content-manager/preview/url/${ARTICLE_UID}?documentId=${articleId}&locale=da&status=draft`);
    expect(response.status).toBe(401);
  });
});

describe('who gets a preview link', () => {
  it('an Author gets one for the draft they wrote, and the page shows it; a 403 for an article they did not write', async () => {
    // An author as the issue describes one: writes and reads own articles in both locales.
    const roles = app.strapi.service('admin::role');
    const authorRole = await roles.create({ name: 'Preview test author', description: 'own articles only' });
    await roles.assignPermissions(
      authorRole.id,
      ['create', 'read', 'update'].map((action) => ({
        action: `plugin::content-manager.explorer.${action}`,
        subject: ARTICLE_UID,
        properties: { locales: ['da', 'en'] },
        conditions: ['admin::is-creator'],
      }))
    );
    const author = await loginWithRole(app, authorRole.id);
    const created = await author.post(`/content-manager/collection-types/${ARTICLE_UID}?locale=da`, {
      title: 'Forfatterens egen kladde',
      slug: 'forfatterens-egen-kladde',
    });
    expect(created.status).toBe(201);
    const ownId: string = created.body.data.documentId;

    const own = await author.get(`/content-manager/preview/url/${ARTICLE_UID}?documentId=${ownId}&locale=da&status=draft`);
    expect(own.status).toBe(200);
    const page = await app.http().get(pathOf(own.body.data.url));
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Forfatterens egen kladde</h1>');

    const others = await author.get(`/content-manager/preview/url/${ARTICLE_UID}?documentId=${articleId}&locale=da&status=draft`);
    expect(others.status).toBe(403);
    expect(others.body.error).toMatchObject({ status: 403, name: 'PolicyError' });
  });
});

describe('who gets a preview link, with our roles (src/features/editorial/admin/roles.ts)', () => {
  // A link opens the draft without a login, so it goes only to who may edit that version: a
  // Skribent (`author`) reads every draft in the admin but gets links only for what they created.
  let skribent: AdminSession;
  let colleague: AdminSession;
  let redaktoer: AdminSession;
  let ownId: string;
  let colleaguesId: string;
  const roleId = async (code: string): Promise<number> => (await app.strapi.db.query('admin::role').findOne({ where: { code } })).id;
  const askAs = (session: AdminSession, uid: string, documentId: string, locale = 'da', status = 'draft') =>
    session.get(`/content-manager/preview/url/${uid}?documentId=${encodeURIComponent(documentId)}&locale=${locale}&status=${status}`);
  const draftBy = async (session: AdminSession, title: string, slug: string): Promise<string> => {
    const created = await session.post(`/content-manager/collection-types/${ARTICLE_UID}?locale=da`, { title, slug });
    expect(created.status).toBe(201);
    return created.body.data.documentId;
  };

  beforeAll(async () => {
    skribent = await loginWithRole(app, await roleId(ROLE_CODES.author));
    colleague = await loginWithRole(app, await roleId(ROLE_CODES.author));
    redaktoer = await loginWithRole(app, await roleId(ROLE_CODES.editor));
    ownId = await draftBy(skribent, 'Skribentens egen kladde', 'skribentens-egen-kladde');
    colleaguesId = await draftBy(colleague, 'En kollegas embargo-kladde', 'en-kollegas-embargo-kladde');
  });

  it('a Skribent gets one for the draft they created, and the page shows it', async () => {
    const own = await askAs(skribent, ARTICLE_UID, ownId);
    expect(own.status).toBe(200);
    const page = await app.http().get(pathOf(own.body.data.url));
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Skribentens egen kladde</h1>');
  });

  it("a Skribent reads a colleague's draft in the admin but gets a 403 saying why for its preview link", async () => {
    expect((await skribent.get(`/content-manager/collection-types/${ARTICLE_UID}/${colleaguesId}?locale=da`)).status).toBe(200);
    for (const [uid, documentId] of [
      [ARTICLE_UID, colleaguesId], // another Skribent's draft
      [ARTICLE_UID, articleId], // the seed article, created by no admin
      [EVENT_UID, eventId], // a type the Skribent reads but never edits
    ] as const) {
      const response = await askAs(skribent, uid, documentId);
      expect(response.status).toBe(403);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body.error).toMatchObject({ status: 403, name: 'PolicyError' });
      expect(response.body.error.message).toMatch(/only .*may edit/);
      expect(JSON.stringify(response.body)).not.toContain('token=');
    }
  });

  it('a Redaktør gets one for every draft, whoever created it', async () => {
    for (const [uid, documentId] of [
      [ARTICLE_UID, ownId],
      [ARTICLE_UID, colleaguesId],
      [ARTICLE_UID, articleId],
      [EVENT_UID, eventId],
    ] as const) {
      const response = await askAs(redaktoer, uid, documentId);
      expect(response.status).toBe(200);
      expect(new URL(response.body.data.url).pathname).toContain(`/${documentId}`);
    }
  });

  it("takes Strapi's \"modified\" (a draft with unpublished changes) as the draft", async () => {
    const response = await askAs(redaktoer, ARTICLE_UID, articleId, 'da', 'modified');
    expect(response.status).toBe(200);
    expect(new URL(response.body.data.url).searchParams.get('status')).toBe('draft');
  });

  it.each([
    ['an unknown documentId', 'no-such-document', 'da', 'draft', 404, 'NotFoundError', /no such document/i],
    ['a locale that is not ours', undefined, 'fr', 'draft', 400, 'ValidationError', /locale/],
    ['an unknown status', undefined, 'da', 'pending', 400, 'ValidationError', /status/],
  ])('answers %s with a clear 4xx and writes nothing', async (_name, documentId, locale, status, code, name, message) => {
    const count = () => app.strapi.db.query(ARTICLE_UID).count();
    const before = { rows: await count(), stored: await app.strapi.db.query(ARTICLE_UID).findOne({ where: { documentId: ownId, locale: 'da', publishedAt: null } }) };
    for (const session of [skribent, redaktoer]) {
      const response = await askAs(session, ARTICLE_UID, documentId ?? ownId, locale, status);
      expect(response.status).toBe(code);
      expect(response.body.error).toMatchObject({ status: code, name });
      expect(response.body.error.message).toMatch(message);
    }
    expect(await count()).toBe(before.rows);
    expect(await app.strapi.db.query(ARTICLE_UID).findOne({ where: { documentId: ownId, locale: 'da', publishedAt: null } })).toEqual(before.stored);
  });
});

describe('the article preview', () => {
  it('shows the Danish draft with its banner, and the published version without it', async () => {
    const draft = await openPreview(ARTICLE_UID, articleId, 'da', 'draft');
    expect(draft.text).toContain('<html lang="da">');
    expect(draft.text).toContain(`<h1>${DRAFT_TITLE}</h1>`);
    expect(draft.text).toMatch(/<p class="preview-banner draft"[^>]*>Kladde/);

    const published = await openPreview(ARTICLE_UID, articleId, 'da', 'published');
    expect(published.text).toContain('<h1>Folkemødet: Hvordan får innovation plads i den offentlige indkøbsvogn?</h1>');
    expect(published.text).not.toContain(DRAFT_TITLE);
    expect(published.text).not.toContain('preview-banner draft');
  });

  it('shows lead, quotes with the person and role, fact box and cover', async () => {
    const { text } = await openPreview(ARTICLE_UID, articleId, 'da', 'draft');
    expect(text).toMatch(/<p class="lead">Forud for vores debat på Folkemødet/);
    expect(text).toMatch(
      /<blockquote class="quote"><p>Det er afdelingslederne[^<]*<\/p><footer><cite><span class="person-name">Mette Harbo<\/span>, <span class="person-role">Konstitueret direktør, Center for IT og Medicoteknologi<\/span><\/cite>/
    );
    expect(text).toContain('<span class="person-name">Morten Jung</span>, <span class="person-role">Markedschef, Dansk Erhverv</span>');
    expect(text).toMatch(/<aside class="fact-box"><h2>Tid og sted<\/h2><dl><dt>Tid<\/dt><dd>Fredag 16\. juni 2023 kl\. 11\.30–12\.30<\/dd>/);
    expect(text).toMatch(/<figure class="cover"><img src="\/uploads\/[^"]+\.png"/);
    // Rich text blocks: a body heading.
    expect(text).toContain('<h2>Lokal ledelse gør forskellen</h2>');
  });

  it('shows English in locale en', async () => {
    const { text } = await openPreview(ARTICLE_UID, articleId, 'en', 'draft');
    expect(text).toContain('<html lang="en">');
    expect(text).toContain(`<h1>${SEED_ARTICLE.title.en}</h1>`);
    expect(text).toMatch(/<p class="preview-banner draft"[^>]*>Draft/);
    expect(text).toContain('<span class="person-name">Mette Harbo</span>, <span class="person-role">Acting director, Centre for IT and Medical Technology</span>');
    expect(text).toContain('<h2>Time and place</h2>');
    expect(text).not.toContain(DRAFT_TITLE);
  });

  it('escapes content: a title with markup stays text', async () => {
    const hostile = await app.strapi.documents(ARTICLE_UID).create({
      locale: 'da',
      data: { title: HOSTILE_TITLE, slug: 'fjendtlig-titel', lead: '<img src=x onerror="alert(1)">' },
    });
    const { text } = await openPreview(ARTICLE_UID, hostile.documentId, 'da', 'draft');
    expect(text).toContain('<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;fed&lt;/b&gt;</h1>');
    expect(text).toContain('<title>&lt;script&gt;');
    expect(text).toContain('<p class="lead">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>');
    expect(text).not.toContain('<script');
    expect(text).not.toContain('<img src=x');
  });
});

describe('the event preview', () => {
  it('shows the time in Copenhagen with its summer offset, the venue and the panel', async () => {
    const { text } = await openPreview(EVENT_UID, eventId, 'da', 'draft');
    expect(text).toContain(`<h1>${SEED_EVENT.title.da}</h1>`);
    expect(text).toContain(
      `<time datetime="${SEED_EVENT.startsAtLocal}">fredag den 16. juni 2023 11:30</time>–<time datetime="${SEED_EVENT.endsAtLocal}">12:30</time> <span class="time-zone">(UTC+02:00)</span>`
    );
    expect(text).toContain(`<dd class="venue">${SEED_EVENT.venue}, Kæmpestranden, 3770 Allinge, Allinge, Bornholm</dd>`);
    expect(text).toContain('<dd class="parent-event">Folkemødet 2023</dd>');
    const participants = text.match(/<section class="participants">.*?<\/section>/s)?.[0] ?? '';
    for (const name of SEED_EVENT.panel) expect(participants).toContain(`<span class="person-name">${name}</span>`);
    expect(participants).toContain('(Paneldeltager)');
  });

  it('shows English in locale en', async () => {
    const { text } = await openPreview(EVENT_UID, eventId, 'en', 'published');
    expect(text).toContain('<html lang="en">');
    expect(text).toContain(`<h1>${SEED_EVENT.title.en}</h1>`);
    expect(text).toContain('>Friday, 16 June 2023 11:30</time>');
    expect(text).toContain('(Panellist)');
  });
});

describe('the person preview', () => {
  it('shows the portrait of the draft, the name, the current role, affiliations and what they are quoted saying', async () => {
    // A portrait on the draft only (a file row is enough: the page links it, it does not read it).
    const file = (await app.strapi.db.query('plugin::upload.file').create({
      data: { name: 'mette-harbo.png', hash: 'mette_harbo', ext: '.png', mime: 'image/png', size: 1.5, width: 10, height: 12, url: '/uploads/mette-harbo.png', provider: 'local' },
    })) as { id: number };
    await app.strapi.documents(PERSON_UID).update({ documentId: personId, locale: 'da', data: { photo: file.id } as never });

    const { text } = await openPreview(PERSON_UID, personId, 'da', 'draft');
    expect(text).toContain(`<title>${SEED_PERSON.name}`);
    expect(text).toContain(`<h1>${SEED_PERSON.name}</h1>`);
    expect(text).toContain(`<figure class="portrait"><img src="/uploads/mette-harbo.png" alt="${SEED_PERSON.name}" width="10" height="12"></figure>`);
    expect(text).toContain(`<p class="role">${SEED_PERSON.role}</p>`);
    expect(text).toMatch(new RegExp(`<section class="affiliations"><h2>Tilknytninger</h2><ul><li>${SEED_PERSON.role}</li>`));
    expect(text).toMatch(/<section class="quotes"><h2>Citater<\/h2><ul><li><q>Det er afdelingslederne/);

    // The published version has no portrait yet.
    const published = await openPreview(PERSON_UID, personId, 'da', 'published');
    expect(published.text).toContain(`<h1>${SEED_PERSON.name}</h1>`);
    expect(published.text).not.toContain('class="portrait"');
  });

  it('shows English in locale en', async () => {
    const { text } = await openPreview(PERSON_UID, personId, 'en', 'published');
    expect(text).toContain('<html lang="en">');
    expect(text).toContain('<h2>Affiliations</h2>');
  });

  it('escapes content: a name and bio with markup stay text', async () => {
    const hostile = await app.strapi.documents(PERSON_UID).create({
      locale: 'da',
      data: { name: HOSTILE_TITLE, slug: 'fjendtligt-navn', bio: '<img src=x onerror="alert(1)">' },
    });
    const { text } = await openPreview(PERSON_UID, hostile.documentId, 'da', 'draft');
    expect(text).toContain('<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;fed&lt;/b&gt;</h1>');
    expect(text).toContain('<title>&lt;script&gt;');
    expect(text).toContain('<p class="bio">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>');
    expect(text).not.toContain('<script');
    expect(text).not.toContain('<img src=x');
  });
});

describe('what the preview refuses', () => {
  const validPath = (token: string, locale = 'da', status = 'draft', id = articleId, type = 'article') =>
    `/preview/${type}/${id}?locale=${locale}&status=${status}&token=${encodeURIComponent(token)}`;
  const tokenFor = (overrides: Record<string, unknown> = {}) =>
    signPreviewToken({ type: 'article', documentId: articleId, locale: 'da', status: 'draft', ...overrides });

  it('serves a token signed here for exactly this link (the control)', async () => {
    const response = await app.http().get(validPath(await tokenFor()));
    expect(response.status).toBe(200);
    expect(response.text).toContain(DRAFT_TITLE);
  });

  it('refuses a request without a token', async () => {
    const response = await app.http().get(`/preview/article/${articleId}?locale=da&status=draft`);
    expect(response.status).toBe(401);
    expect(response.text).toContain('data-error="missing-token"');
    expect(response.text).not.toContain(DRAFT_TITLE);
  });

  it.each([
    ['its last character', (token: string) => token.slice(0, -1) + (token.at(-1) === 'A' ? 'B' : 'A')],
    ['a character of its claims', (token: string) => token.slice(0, 5) + (token[5] === 'x' ? 'y' : 'x') + token.slice(6)],
  ])('refuses a token with %s changed', async (_name, tamper) => {
    const response = await app.http().get(validPath(tamper(await tokenFor())));
    expect(response.status).toBe(401);
    expect(response.text).toContain('data-error="invalid-token"');
  });

  it('refuses an expired token and says so', async () => {
    const response = await app.http().get(validPath(await tokenFor({ exp: Math.floor(Date.now() / 1000) - 1 })));
    expect(response.status).toBe(401);
    expect(response.text).toContain('data-error="expired-token"');
    expect(response.text).toContain('Linket er udløbet');
  });

  it.each([
    ['another document', async () => validPath(await tokenFor({ documentId: eventId }))],
    ['another locale', async () => validPath(await tokenFor(), 'en')],
    ['another status', async () => validPath(await tokenFor(), 'da', 'published')],
    ['another type', async () => validPath(await tokenFor(), 'da', 'draft', articleId, 'event')],
  ])('refuses a token for %s', async (_name, path) => {
    const response = await app.http().get(await path());
    expect(response.status).toBe(403);
    expect(response.text).toContain('data-error="wrong-document"');
    expect(response.text).not.toContain(DRAFT_TITLE);
  });

  it('answers 404 for an unknown type or a document that does not exist', async () => {
    expect((await app.http().get(validPath(await tokenFor(), 'da', 'draft', articleId, 'organisation'))).status).toBe(404);
    const missing = await app.http().get(validPath(await tokenFor({ documentId: 'no-such-document' }), 'da', 'draft', 'no-such-document'));
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('data-error="not-found"');
  });
});

describe('response headers', () => {
  it('are no-store, noindex, HTML, and a policy without scripts that lets the admin frame the page', async () => {
    const ok = await openPreview(ARTICLE_UID, articleId, 'da', 'draft');
    const refused = await app.http().get(`/preview/article/${articleId}?locale=da&status=draft`);
    for (const response of [ok, refused]) {
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['x-robots-tag']).toMatch(/noindex/);
      const csp = response.headers['content-security-policy'];
      expect(csp).toMatch(/^default-src 'none';/);
      expect(csp).not.toMatch(/script-src/);
      expect(csp).toMatch(/style-src 'sha256-[\w+/=]+'/);
      expect(csp).toContain("frame-ancestors 'self'");
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    }
  });

  it('leave the rest of the app with its own (public answers are cacheable, src/features/delivery/cache/)', async () => {
    const response = await app.http().get('/api/articles');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toMatch(/^public, /);
    expect(response.headers['x-robots-tag']).toBeUndefined();
    expect(response.headers['content-security-policy']).not.toMatch(/default-src 'none'/);
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });
});
