/**
 * "Mulige dubletter" (src/admin/pages/Duplicates.tsx) in a real browser against the real app
 * (issue 13, item 3): partners push, over HTTP, a doubtful debate and two namesakes, which the
 * matcher leaves for an editor; an Editor opens the page from the menu, sees both sides of each
 * pair with their evidence, compares the two people field by field ("Sammenlign og flet"),
 * merges them and dismisses the debate with "Ikke den samme"; the public REST API then answers
 * the merged person's old documentId and slug with the kept one, until the Editor undoes the
 * merge under "Seneste fletninger". An Author has no menu link and, at the page's URL, the
 * no-permission page. The Danish views show none of the page's English; screenshots in
 * test-artifacts/e2e/duplicates-*.png.
 */
import { spawnSync } from 'child_process';
import { mkdirSync } from 'fs';
import path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { APP_DIR } from '../helpers/paths';
import { festivalListing, SEEDED_DEBATE_TITLE, talkWith } from '../partner-matching/shared';
import duplicatesDa from '../../src/admin/translations/duplicates-da.json';
import duplicatesEn from '../../src/admin/translations/duplicates-en.json';
import { adminLogin, createUserWithRole, type AdminClient, type AdminUser } from './admin-api';
import { ARTIFACTS, buildAdmin, e2eEnv, removeDatabase, seed, startApp, type E2eEnv, type RunningApp } from './app-process';
import { clickAndWaitFor, launchChromium, logIn, visibleText } from './browser';
import { ENGLISH_IN_DANISH_ADMIN } from './shared';
import type { JsonBody } from '../helpers/app';

/** One side of a pair as GET /admin/duplicates/candidates lists it (src/api/partner/merge/review-queue.ts). */
interface PairSide {
  document: { documentId: string; slug: string | null; label: string | null } | null;
  evidence: unknown;
}
interface CandidatePair {
  id: number;
  kind: string;
  partner: string;
  externalId: string;
  pushed: PairSide & { document: NonNullable<PairSide['document']> };
  candidate: PairSide & { document: NonNullable<PairSide['document']> };
}

let setup: E2eEnv;
let app: RunningApp | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
let editor: AdminUser;
let author: AdminUser;
let editorApi: AdminClient;
const partners: Record<'festival' | 'copi' | 'kl', string> = { festival: '', copi: '', kl: '' };
/** The two pending pairs, as the admin API lists them before the Editor acts. */
let eventPair: CandidatePair;
let personPair: CandidatePair;
const started = Date.now();

/** The doubtful debate: the seeded one's tent and start, a title sharing some words (tests/review-merge/). */
const DOUBTFUL_TITLE = 'Innovation i den offentlige indkøbsproces';
const doubtful = () => festivalListing({ startsAt: '2023-06-16T11:30', endsAt: undefined, da: { title: DOUBTFUL_TITLE }, en: undefined });
const AARHUS = 'Aarhus Kommune';
const NOVO = 'Novo Nordisk A/S';

const screenshot = (name: string, target: Page = page) =>
  target.screenshot({ path: path.join(ARTIFACTS, `duplicates-${name}.png`), fullPage: true });

/**
 * The page's own English (duplicates-en.json), the parts of each text around its placeholders
 * that its Danish text does not share ("Organisation" is both), and Strapi's English.
 */
const PAGE_ENGLISH = [
  ...new Set(
    Object.entries(duplicatesEn as Record<string, string>).flatMap(([id, english]) =>
      english
        .split(/\{[^}]+\}/)
        .map((part) => part.trim())
        .filter((part) => part.length >= 3 && !((duplicatesDa as Record<string, string>)[id] ?? '').includes(part))
    )
  ),
];


/** English the view shows: the page's texts anywhere, Strapi's as whole words. */
async function englishShown(target: Page = page): Promise<string[]> {
  const text = await visibleText(target);
  const ours = PAGE_ENGLISH.filter((english) => text.includes(english));
  const strapi = ENGLISH_IN_DANISH_ADMIN.filter((english) => {
    const escaped = english.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^\\p{L}])${escaped}($|[^\\p{L}])`, 'u').test(text);
  });
  return [...ours, ...strapi];
}

/** Screenshots the view, then expects no English in it (a failure keeps the screenshot). */
async function expectDanish(name: string, target: Page = page): Promise<void> {
  await screenshot(name, target);
  expect({ view: name, english: await englishShown(target) }).toEqual({ view: name, english: [] });
}

/** Keeps a screenshot of whatever the page shows when a step fails. */
async function step<T>(name: string, run: () => Promise<T>, target: Page = page): Promise<T> {
  try {
    return await run();
  } catch (error) {
    await target.screenshot({ path: path.join(ARTIFACTS, `failed-duplicates-${name}.png`), fullPage: true }).catch(() => undefined);
    throw error;
  }
}

/** A partner and its token as an operator makes them: `npm run partner:create` (scripts/partner.js). */
function createPartner(env: NodeJS.ProcessEnv, name: string, organisation?: string): string {
  const args = ['scripts/partner.js', 'create', '--name', name, '--publish-mode', 'publish', ...(organisation ? ['--organisation', organisation] : [])];
  const result = spawnSync('node', args, { cwd: APP_DIR, env, encoding: 'utf8' });
  const token = /ptk_\S+/.exec(result.stdout ?? '')?.[0];
  if (result.status !== 0 || !token) throw new Error(`partner:create ${name} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`.slice(-4000));
  return token;
}

async function push(partner: keyof typeof partners, externalId: string, body: unknown): Promise<{ status: number; body: JsonBody }> {
  const response = await fetch(`${setup.baseUrl}/api/partner/events/${externalId}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${partners[partner]}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function pendingPairs(): Promise<CandidatePair[]> {
  const response = await editorApi.request('GET', '/admin/duplicates/candidates');
  if (response.status !== 200) throw new Error(`GET /admin/duplicates/candidates ${response.status}`);
  return response.body.data;
}

/** The box of one pair: the innermost element holding its text and its buttons. */
const pairBox = (text: string) =>
  page.locator('div').filter({ hasText: text }).filter({ has: page.getByRole('button', { name: 'Ikke den samme', exact: true }) }).last();

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  setup = await e2eEnv();
  // Built once by the global setup; builds here only when a spec runs without it.
  buildAdmin(setup.env);
  seed(setup.env);
  // The partners of tests/partner-matching/shared.ts: keys folkemoedet, co-pi and kl.
  partners.festival = createPartner(setup.env, 'Folkemødet', 'folkemoedet');
  partners.copi = createPartner(setup.env, 'CO-PI', 'center-for-offentlig-privat-innovation');
  partners.kl = createPartner(setup.env, 'KL');
  app = await startApp(setup.env, setup.baseUrl, 'app-duplicates.log');
  const superAdmin = await adminLogin(setup.baseUrl, setup.admin.email, setup.admin.password);
  editor = await createUserWithRole(setup.baseUrl, superAdmin, 'editor', 'Ditte');
  author = await createUserWithRole(setup.baseUrl, superAdmin, 'author', 'Aksel');
  editorApi = await adminLogin(setup.baseUrl, editor.email, editor.password);

  // KL's debate may be the seeded one: it waits for an editor, nothing is made.
  const waiting = await push('kl', 'kl-fm-1', doubtful());
  expect([waiting.status, waiting.body.data?.result]).toEqual([202, 'pending-review']);
  // Two people named Anne Jensen, at two organisations: both are made, and paired for review.
  for (const [partner, externalId, body] of [
    ['festival', 'fm-anne', talkWith(15, { name: 'Anne Jensen', organisation: AARHUS, title: 'Direktør' }, 'Aarhus viser vej')],
    ['copi', 'copi-anne', talkWith(16, { id: 'aj-novo', name: 'Anne Jensen', organisation: NOVO, title: 'VP' }, 'Industrien og det offentlige')],
  ] as const) {
    const made = await push(partner, externalId, body);
    expect([made.status, made.body.data?.result]).toEqual([201, 'created']);
  }
  const pairs = await pendingPairs();
  expect(pairs.map((pair) => [pair.kind, pair.partner, pair.externalId]).sort()).toEqual([
    ['event', 'kl', 'kl-fm-1'],
    ['person', 'co-pi', expect.any(String)],
  ]);
  eventPair = pairs.find((pair) => pair.kind === 'event')!;
  personPair = pairs.find((pair) => pair.kind === 'person')!;

  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
}, 360000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.stop();
  if (setup) removeDatabase(setup.dbFile);
  console.log(`e2e (duplicates): whole run took ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${ARTIFACTS}`);
});

describe('an Editor reviews possible duplicates in Danish', () => {
  it('opens "Mulige dubletter" from the menu and sees both pairs side by side with their evidence', async () => {
    await step('list', async () => {
      await logIn(page, setup.baseUrl, editor.email, editor.password);
      await page.getByRole('link', { name: 'Mulige dubletter' }).click();
      await page.waitForURL((url) => url.pathname === '/admin/duplicates');
      await page.getByRole('heading', { name: 'Mulige dubletter' }).waitFor();

      // The debate KL pushed (not made yet) beside the seeded one.
      const debate = pairBox(DOUBTFUL_TITLE);
      await debate.waitFor();
      for (const text of [
        'Begivenhed',
        'Regel: samme starttid + samme stedkode + lignende titel',
        'Indsendt af kl',
        'Ikke oprettet endnu (venter på jer)',
        `Titel (da): ${DOUBTFUL_TITLE}`,
        'Sted: Kæmpestranden, telt J5 · J5',
        'Det har vi',
        SEEDED_DEBATE_TITLE,
        'Udgivet',
        eventPair.candidate.document.documentId,
      ]) {
        await debate.getByText(text, { exact: false }).first().waitFor();
      }
      // When, in Danish: "16. jun. 2023 …" (not "6/16/2023, 11:30:00 AM").
      expect(await debate.textContent()).toMatch(/Starter: 16\. jun\. 2023/);

      // The two Anne Jensens: CO-PI's (Novo Nordisk) beside the one we had (Aarhus Kommune).
      const people = pairBox(NOVO);
      await people.waitFor();
      for (const text of [
        'Person',
        'Regel: samme navn, anden organisation',
        'Indsendt af co-pi',
        `Navn: Anne Jensen`,
        `Organisation: ${NOVO}`,
        personPair.pushed.document.documentId,
        personPair.candidate.document.documentId,
      ]) {
        await people.getByText(text, { exact: false }).first().waitFor();
      }
      expect(await people.getByText('Anne Jensen', { exact: true }).count()).toBe(2);
      await page.waitForLoadState('networkidle');
      // The menu link's tooltip off the first pair.
      await page.mouse.move(700, 950);
      await expectDanish('list');
    });
  });

  it('compares the two people field by field, in every locale, and merges them: the pair leaves the list', async () => {
    await step('compare', async () => {
      await pairBox(NOVO).getByRole('button', { name: 'Sammenlign og flet', exact: true }).click();
      await page.getByRole('heading', { name: 'Sammenlign og flet' }).waitFor();
      await page.getByText('Dokumentet, der beholdes').waitFor();
      // Their affiliations differ (Aarhus Kommune, Novo Nordisk A/S): combined unless the editor says otherwise.
      await page.getByRole('radio', { name: 'Begge' }).first().waitFor();
      expect(await page.getByRole('radio', { name: 'Begge' }).first().getAttribute('aria-checked')).toBe('true');
      await page.waitForLoadState('networkidle');
      await expectDanish('compare');
    });
    await step('merged', async () => {
      const merged = await clickAndWaitFor(
        page,
        () => pairBox(NOVO).getByRole('button', { name: 'Flet', exact: true }).click(),
        (url, method) => method === 'POST' && url.endsWith(`/admin/duplicates/candidates/${personPair.id}/merge`)
      );
      expect(merged.status()).toBe(200);
      expect((await merged.json()).data.merge).toMatchObject({
        kept: personPair.candidate.document.documentId,
        merged: personPair.pushed.document.documentId,
      });
      await page.getByText('Flettet.').first().waitFor();
      await page.getByText(`Organisation: ${NOVO}`).waitFor({ state: 'detached' });
      // The debate is still waiting.
      await pairBox(DOUBTFUL_TITLE).waitFor();
      await expectDanish('merged');
    });
  });

  it('dismisses the debate with "Ikke den samme": the list is empty', async () => {
    await step('dismissed', async () => {
      const dismissed = await clickAndWaitFor(
        page,
        () => pairBox(DOUBTFUL_TITLE).getByRole('button', { name: 'Ikke den samme', exact: true }).click(),
        (url, method) => method === 'POST' && url.endsWith(`/admin/duplicates/candidates/${eventPair.id}/dismiss`)
      );
      expect(dismissed.status()).toBe(200);
      expect((await dismissed.json()).data).toMatchObject({ status: 'dismissed', push: { result: 'created' } });
      await page.getByText('Markeret som ikke den samme.').first().waitFor();
      await page.getByText('Ingen mulige dubletter venter.').waitFor();
      expect(await page.getByRole('button', { name: 'Flet', exact: true }).count()).toBe(0);
      await expectDanish('dismissed');
    });
  });

  it('leaves nothing pending in the admin API', async () => {
    expect(await pendingPairs()).toEqual([]);
  });
});

describe('the public REST API after the merge', () => {
  const get = async (pathAndQuery: string) => {
    const response = await fetch(`${setup.baseUrl}${pathAndQuery}`);
    return { status: response.status, body: (await response.json()) as JsonBody };
  };

  it('answers the merged person\'s old documentId with the kept person', async () => {
    const kept = personPair.candidate.document.documentId;
    const old = await get(`/api/people/${personPair.pushed.document.documentId}?locale=da`);
    expect([old.status, old.body.data?.documentId, old.body.data?.name]).toEqual([200, kept, 'Anne Jensen']);
  });

  it('answers the merged person\'s old slug with the kept person', async () => {
    const { slug } = personPair.pushed.document;
    expect(slug).toEqual(expect.any(String));
    expect(slug).not.toBe(personPair.candidate.document.slug);
    const old = await get(`/api/people/slug/${slug}?locale=da`);
    expect([old.status, old.body.data?.documentId]).toEqual([200, personPair.candidate.document.documentId]);
    expect(old.body.meta.slug).toMatchObject({ requested: slug, current: personPair.candidate.document.slug, moved: true });
  });

  it('answers the merged person under its own documentId again once the Editor undoes the merge under "Seneste fletninger"', async () => {
    await step('undone', async () => {
      await page.getByRole('heading', { name: 'Seneste fletninger' }).waitFor();
      const undone = await clickAndWaitFor(
        page,
        () => page.getByRole('button', { name: 'Fortryd', exact: true }).first().click(),
        (url, method) => method === 'POST' && /\/admin\/duplicates\/merges\/\d+\/undo$/.test(url)
      );
      expect(undone.status()).toBe(200);
      await page.getByText('Fletningen er fortrudt.').first().waitFor();
      await expectDanish('undone');
    });
    const back = await get(`/api/people/${personPair.pushed.document.documentId}?locale=da`);
    expect([back.status, back.body.data?.documentId]).toEqual([200, personPair.pushed.document.documentId]);
  });

  it('shows KL its debate as an event of its own after "Ikke den samme"', async () => {
    const response = await fetch(`${setup.baseUrl}/api/partner/events/kl-fm-1`, { headers: { authorization: `Bearer ${partners.kl}` } });
    const body = (await response.json()) as JsonBody;
    expect(response.status).toBe(200);
    expect(body.data.documentId).toEqual(expect.any(String));
    expect(body.data.documentId).not.toBe(eventPair.candidate.document.documentId);
  });
});

describe('an Author', () => {
  it('has no "Mulige dubletter" in the menu, and gets the no-permission page at its URL', async () => {
    const authorContext = await browser!.newContext({ viewport: { width: 1400, height: 1000 } });
    const authorPage = await authorContext.newPage();
    try {
      await step('author', async () => {
        await logIn(authorPage, setup.baseUrl, author.email, author.password);
        await authorPage.getByRole('heading', { name: `Hej ${author.firstname}` }).waitFor();
        await authorPage.waitForLoadState('networkidle');
        // The menu is there (the content manager's link), without ours.
        await authorPage.locator('nav a[href*="content-manager"]').first().waitFor();
        expect(await authorPage.getByRole('link', { name: 'Mulige dubletter' }).count()).toBe(0);
        await expectDanish('author-menu', authorPage);

        const list = authorPage.waitForResponse((response) => response.url().endsWith('/admin/duplicates/candidates'));
        await authorPage.goto(`${setup.baseUrl}/admin/duplicates`);
        expect((await list).status()).toBe(403);
        await authorPage.getByText('Du har ikke tilladelse til at tilgå indholdet').waitFor();
        expect(await authorPage.getByRole('button', { name: 'Flet' }).count()).toBe(0);
        await expectDanish('author-no-permission', authorPage);
      }, authorPage);
    } finally {
      await authorContext.close();
    }
  });
});
