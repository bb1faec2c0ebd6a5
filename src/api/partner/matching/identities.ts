/**
 * Finds our person, organisation or venue for a partner's reference, or creates it, so two
 * partners naming the same person end with one person. Keys, in order:
 * 1. the partner's own id for it, if it gave one before (`partner_identities`, per partner);
 * 2. a shared name key (`partner_identities` with partner `*`): normalised name, and for people
 *    the organisation they were named with;
 * 3. our existing records, compared by the rules of names.ts:
 *    - organisations by name, short name or alias, with acronyms, legal suffixes, "Kommunes",
 *      unit/parent dashes and Danish letters folded ("KL (Kommunernes Landsforening)" =
 *      "Kommunernes Landsforening KL"; "CO-PI" = "Center for Offentlig-Privat Innovation").
 *      An acronym alone ("KL") matches only when exactly one organisation goes by it; a name
 *      that matches nobody is never matched by its acronym alone;
 *    - people by normalised name plus any organisation they are known at (an affiliation, or a
 *      name key from an earlier push); a namesake elsewhere stays another person, and the pair
 *      is stored for review (match-candidates.ts);
 *    - venues by name.
 * Whatever was found or made is remembered under all its keys, with the rule and score that
 * decided it (`partner_identities.rule/score`), for the next push and for anyone asking why.
 * Records are created in both locales, since relations are per locale, in one pass
 * (document-writer.ts), and published with the push when the partner publishes.
 */
import type { Core, UID } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { OnCommit } from '../../../lib/sync/change-log';
import { createDocumentRows, type LocaleInput } from '../sync/document-writer';
import type { OrganisationRef, ParticipantRef, VenueRef } from '../sync/payload';
import { foldDanish, normaliseText, organisationKey, organisationSimilarity, personNameKey, splitOrganisationTitle, type OrganisationKey } from './names';
import { recordCandidate } from './match-candidates';

export const IDENTITY_TABLE = 'partner_identities';
/** The partner key under which shared name keys are kept. */
const SHARED = '*';

const PERSON = 'api::person.person';
const ORGANISATION = 'api::organisation.organisation';
const VENUE = 'api::venue.venue';

type Kind = 'person' | 'organisation' | 'venue';

/** Lower case, Danish letters folded, no punctuation, single spaces: "  Mette  Harbo." is "mette harbo". */
export const normaliseName = (name: string): string => normaliseText(name);

/** Why a reference was taken to be this document. */
export interface MatchDecision {
  /**
   * partner-id | shared-key | organisation-name | organisation-acronym | person-name+organisation
   * | person-name-only | venue-name | new
   */
  rule: string;
  /** 1 = certain; lower for weaker evidence (an acronym alone); 0 for a new record. */
  score: number;
}

export interface ResolvedRecord {
  documentId: string;
  /** True when this push created it. */
  created: boolean;
  decision: MatchDecision;
}

interface OrganisationIndex {
  byName: Map<string, Set<string>>;
  byAcronym: Map<string, Set<string>>;
}

const addTo = (map: Map<string, Set<string>>, key: string, documentId: string) => {
  if (!map.has(key)) map.set(key, new Set());
  map.get(key)!.add(documentId);
};

export class IdentityResolver {
  /** Organisations by every normalised name and acronym they go by; loaded once per resolver. */
  private organisationIndex: OrganisationIndex | null = null;

  /**
   * `knex` is the caller's transaction: the records, their keys and their change-log rows commit
   * together. Records this resolver creates are published when `publish` is set.
   */
  constructor(
    private readonly strapi: Core.Strapi,
    private readonly knex: Knex,
    private readonly partnerKey: string,
    private readonly writing: { publish: boolean; onCommit?: OnCommit } = { publish: false },
  ) {}

  /**
   * Documents found under a key in this push (`partner|kind|key`), read (pointing at a live
   * record) or written: a key that already points at the document is not written again.
   */
  private readonly known = new Map<string, string>();
  /** Keys already looked up in this push, found or not: a key this push creates is in `known`. */
  private readonly looked = new Set<string>();

  private tableOf(kind: Kind): string {
    return this.strapi.getModel({ person: PERSON, organisation: ORGANISATION, venue: VENUE }[kind] as UID.ContentType).collectionName;
  }

  /**
   * Looks up keys of several kinds in one statement; a key whose record was deleted in the admin
   * since is stale and not found.
   */
  private async read(keys: Array<{ kind: Kind; partnerKey: string; key: string }>): Promise<void> {
    const wanted = keys.filter(({ kind, partnerKey, key }) => !this.looked.has(`${partnerKey}|${kind}|${key}`));
    if (wanted.length === 0) return;
    const kinds = [...new Set(wanted.map((key) => key.kind))];
    const { knex } = this;
    const rows = (await knex(IDENTITY_TABLE)
      .select('kind', 'partner_key', 'external_id', 'document_id')
      .where((anyKind) => {
        for (const kind of kinds) {
          const table = this.tableOf(kind);
          anyKind.orWhere((ofKind) => {
            ofKind
              .where({ kind })
              .andWhere((either) => {
                for (const key of wanted) if (key.kind === kind) either.orWhere({ partner_key: key.partnerKey, external_id: key.key });
              })
              .whereExists(function liveRecord() {
                this.select(1).from(table).whereRaw('??.document_id = ??.document_id', [table, IDENTITY_TABLE]);
              });
          });
        }
      })) as Array<{ kind: Kind; partner_key: string; external_id: string; document_id: string }>;
    for (const { kind, partnerKey, key } of wanted) this.looked.add(`${partnerKey}|${kind}|${key}`);
    for (const row of rows) {
      this.known.set(`${row.partner_key}|${row.kind}|${row.external_id}`, row.document_id);
    }
  }

  /**
   * Reads ahead the keys a push will look up: in one statement the partner's own ids for its
   * organisers, people and venue, and the shared name keys of organisations and the venue; in a
   * second the people's shared keys, which need their organisation's documentId (a person whose
   * organisation is not known by its key yet is read when she is resolved).
   */
  async prefetch(refs: { organisations: Array<{ id?: string; name: string }>; people: Array<{ id?: string; name: string; organisation?: string }>; venue?: { id?: string; name: string } }): Promise<void> {
    const keys: Array<{ kind: Kind; partnerKey: string; key: string }> = [];
    const organisation = (name: string, id?: string) => {
      if (id) keys.push({ kind: 'organisation', partnerKey: this.partnerKey, key: id });
      const key = organisationKey(name);
      if (key.name) keys.push({ kind: 'organisation', partnerKey: SHARED, key: `org:${key.name}` });
    };
    for (const ref of refs.organisations) organisation(ref.name, ref.id);
    const people = refs.people.map(withTitleApart);
    for (const ref of people) {
      if (ref.organisation) organisation(ref.organisation);
      if (ref.id) keys.push({ kind: 'person', partnerKey: this.partnerKey, key: ref.id });
    }
    if (refs.venue) {
      if (refs.venue.id) keys.push({ kind: 'venue', partnerKey: this.partnerKey, key: refs.venue.id });
      keys.push({ kind: 'venue', partnerKey: SHARED, key: normaliseName(refs.venue.name) });
    }
    await this.read(keys);
    // Then, in one more statement, the people's shared keys where their organisation is now
    // known by its name key (the document `organisation()` will resolve it to) or they have none.
    const peopleKeys: Array<{ kind: Kind; partnerKey: string; key: string }> = [];
    for (const ref of people) {
      const organisationName = ref.organisation ? organisationKey(ref.organisation).name : null;
      const organisation = ref.organisation ? (organisationName ? this.known.get(`${SHARED}|organisation|org:${organisationName}`) : undefined) : '';
      if (organisation !== undefined) peopleKeys.push({ kind: 'person', partnerKey: SHARED, key: `${personNameKey(ref.name)}|${organisation}` });
    }
    await this.read(peopleKeys);
  }

  /** The documents the given keys point at: from this push's reads, else read now (one statement). */
  private async lookup(kind: Kind, keys: Array<{ partnerKey: string; key: string }>): Promise<Map<string, string>> {
    await this.read(keys.map((key) => ({ kind, ...key })));
    const found = new Map<string, string>();
    for (const { partnerKey, key } of keys) {
      const documentId = this.known.get(`${partnerKey}|${kind}|${key}`);
      if (documentId) found.set(`${partnerKey}|${key}`, documentId);
    }
    return found;
  }

  /** Remembers the document under the partner's own id and the shared name key, in one statement; a key that already points at it is not written. */
  private async rememberAll(kind: Kind, documentId: string, ownId: string | undefined, nameKey: string | null, decision: MatchDecision): Promise<void> {
    const keys = [
      ...(ownId ? [{ partnerKey: this.partnerKey, key: ownId }] : []),
      ...(nameKey ? [{ partnerKey: SHARED, key: nameKey }] : []),
    ].filter(({ partnerKey, key }) => this.known.get(`${partnerKey}|${kind}|${key}`) !== documentId);
    if (keys.length === 0) return;
    for (const { partnerKey, key } of keys) this.known.set(`${partnerKey}|${kind}|${key}`, documentId);
    await this.knex(IDENTITY_TABLE)
      .insert(keys.map(({ partnerKey, key }) => ({ partner_key: partnerKey, kind, external_id: key, document_id: documentId, rule: decision.rule, score: decision.score })))
      .onConflict(['partner_key', 'kind', 'external_id'])
      .merge(['document_id', 'rule', 'score']);
  }

  private async findByKeys(kind: Kind, ownId: string | undefined, nameKey: string | null): Promise<{ documentId: string; decision: MatchDecision } | null> {
    const keys = [...(ownId ? [{ partnerKey: this.partnerKey, key: ownId }] : []), ...(nameKey ? [{ partnerKey: SHARED, key: nameKey }] : [])];
    const found = await this.lookup(kind, keys);
    const own = ownId ? found.get(`${this.partnerKey}|${ownId}`) : undefined;
    if (own) return { documentId: own, decision: { rule: 'partner-id', score: 1 } };
    const shared = nameKey ? found.get(`${SHARED}|${nameKey}`) : undefined;
    return shared ? { documentId: shared, decision: { rule: 'shared-key', score: 1 } } : null;
  }

  /**
   * Our organisation for a name, without creating one: by its normalised name (any of its
   * names, short name, aliases, or "unit – parent"), else, for an acronym given alone, by the
   * one organisation that goes by that acronym.
   */
  async findOrganisation(name: string): Promise<{ documentId: string; decision: MatchDecision } | null> {
    const key = organisationKey(name);
    const index = await this.organisations();
    if (key.name) {
      const byName = [...(index.byName.get(key.name) ?? [])];
      if (byName.length === 1) return { documentId: byName[0]!, decision: { rule: 'organisation-name', score: 1 } };
      if (byName.length > 1 && key.acronym) {
        // Two organisations of one name: the acronym tells them apart, if it does.
        const both = byName.filter((id) => index.byAcronym.get(key.acronym!)?.has(id));
        if (both.length === 1) return { documentId: both[0]!, decision: { rule: 'organisation-name+acronym', score: 1 } };
      }
      return null;
    }
    const byAcronym = key.acronym ? [...(index.byAcronym.get(key.acronym) ?? [])] : [];
    if (byAcronym.length === 1) return { documentId: byAcronym[0]!, decision: { rule: 'organisation-acronym', score: 0.9 } };
    return null;
  }

  /** `namedWith`: the person whose organisation field named it, for the review queue's evidence. */
  async organisation(ref: OrganisationRef | { name: string; id?: undefined; website?: undefined }, namedWith?: string): Promise<ResolvedRecord> {
    const key = organisationKey(ref.name);
    // An acronym alone is no shared key: it may become ambiguous when another organisation takes it.
    const nameKey = key.name ? `org:${key.name}` : null;
    let found = await this.findByKeys('organisation', ref.id, nameKey);
    if (!found) found = await this.findOrganisation(ref.name);
    let created = false;
    if (!found) {
      const acronym = key.name && key.acronym ? acronymAsWritten(ref.name) : null;
      const data = { name: ref.name, kind: 'other', website: ref.website ?? null, shortName: acronym };
      const documentId = await this.create(ORGANISATION, [{ locale: 'da', data }, { locale: 'en', data }]);
      const index = await this.organisations();
      // Before the new one is in the index: the organisations it may be, for an editor to judge.
      await this.recordOrganisationCandidates(ref, key, documentId, similarOrganisations(key, index), namedWith);
      if (key.name) addTo(index.byName, key.name, documentId);
      if (key.acronym) addTo(index.byAcronym, key.acronym, documentId);
      found = { documentId, decision: { rule: 'new', score: 0 } };
      created = true;
    }
    await this.rememberAll('organisation', found.documentId, ref.id, nameKey, found.decision);
    return { documentId: found.documentId, created, decision: found.decision };
  }

  /** Organisations by name (either locale), short name, aliases and "name – parent". */
  private async organisations(): Promise<OrganisationIndex> {
    if (this.organisationIndex) return this.organisationIndex;
    const rows = (await this.strapi.db.query(ORGANISATION).findMany({
      select: ['documentId', 'name', 'shortName', 'aliases'],
      where: { publishedAt: null },
      populate: { parent: { select: ['name'] } },
    })) as Array<{ documentId: string; name: string; shortName: string | null; aliases: unknown; parent?: { name: string } | null }>;
    const index: OrganisationIndex = { byName: new Map(), byAcronym: new Map() };
    for (const row of rows) {
      const aliases = Array.isArray(row.aliases) ? row.aliases.filter((alias): alias is string => typeof alias === 'string') : [];
      const names = [row.name, row.shortName, ...aliases].filter((name): name is string => Boolean(name && name.trim()));
      if (row.parent?.name) names.push(`${row.name} – ${row.parent.name}`);
      for (const name of names) {
        const key = organisationKey(name);
        if (key.name) addTo(index.byName, key.name, row.documentId);
        if (key.acronym) addTo(index.byAcronym, key.acronym, row.documentId);
        // A one-word name ("Aquatime A/S") is also what its capitals spell ("AQUATIME"), and a
        // name that is all capitals ("AQUATIME") is also that word.
        if (key.name && !key.name.includes(' ')) addTo(index.byAcronym, key.name, row.documentId);
        if (!key.name && key.acronym && name === row.name) addTo(index.byName, key.acronym, row.documentId);
      }
    }
    this.organisationIndex = index;
    return index;
  }

  /**
   * Organisations a new one may be (similarOrganisations), stored as review candidates with both
   * sides' evidence: names and acronyms, the partners that named each, and people at each.
   */
  private async recordOrganisationCandidates(ref: { name: string; id?: string | undefined; website?: string | null | undefined }, key: OrganisationKey, documentId: string, similar: OrganisationLookalike[], namedWith?: string): Promise<void> {
    if (similar.length === 0) return;
    const existing = (await this.strapi.db.query(ORGANISATION).findMany({
      select: ['documentId', 'name', 'shortName', 'aliases', 'website'],
      where: { documentId: { $in: similar.map((candidate) => candidate.documentId) }, locale: 'da', publishedAt: null },
    })) as Array<{ documentId: string; name: string; shortName: string | null; aliases: unknown; website: string | null }>;
    const sources = (await this.knex(IDENTITY_TABLE)
      .select('document_id', 'partner_key')
      .where({ kind: 'organisation' })
      .whereNot({ partner_key: SHARED })
      .whereIn('document_id', similar.map((candidate) => candidate.documentId))) as Array<{ document_id: string; partner_key: string }>;
    for (const candidate of similar) {
      const row = existing.find((organisation) => organisation.documentId === candidate.documentId);
      if (!row) continue;
      const people = (await this.strapi.db.query(PERSON).findMany({
        select: ['name'],
        where: { locale: 'da', publishedAt: null, affiliations: { organisation: { documentId: candidate.documentId } } },
        orderBy: { name: 'asc' },
        limit: 10,
      })) as Array<{ name: string }>;
      await recordCandidate(this.knex, {
        kind: 'organisation',
        partnerKey: this.partnerKey,
        externalId: ref.id ?? `org:${key.name || key.acronym || normaliseName(ref.name)}`,
        candidateDocumentId: candidate.documentId,
        documentId,
        rule: candidate.rule,
        score: candidate.score,
        evidence: {
          pushed: { name: ref.name, acronym: key.acronym, website: ref.website ?? null, partner: this.partnerKey, people: namedWith ? [namedWith] : [] },
          existing: {
            name: row.name,
            shortName: row.shortName,
            aliases: Array.isArray(row.aliases) ? row.aliases : [],
            acronym: organisationKey(row.shortName ?? row.name).acronym,
            website: row.website,
            partners: [...new Set(sources.filter((source) => source.document_id === candidate.documentId).map((source) => source.partner_key))].sort(),
            people: people.map((person) => person.name),
          },
        },
      });
    }
  }

  async person(given: ParticipantRef): Promise<ResolvedRecord> {
    const ref = withTitleApart(given);
    const organisation = ref.organisation ? await this.organisation({ name: ref.organisation }, ref.name) : null;
    const nameKey = `${personNameKey(ref.name)}|${organisation?.documentId ?? ''}`;
    let found = await this.findByKeys('person', ref.id, nameKey);
    const namesakes: Namesake[] = [];
    if (!found) {
      const match = await this.personByNameAndOrganisation(ref.name, organisation?.documentId ?? null);
      if (match.found) {
        const score = organisation ? Math.min(1, organisation.decision.score || 1) : 1;
        found = { documentId: match.found, decision: { rule: organisation ? 'person-name+organisation' : 'person-name-only', score } };
      } else namesakes.push(...match.namesakes);
    }
    let created = false;
    if (!found) {
      // An affiliation needs a title; without one the organisation is still part of the key.
      // Relations are per locale: an organisation an editor wrote in Danish only is linked in Danish only.
      const inEnglish = organisation
        ? Boolean(await this.strapi.db.query(ORGANISATION).findOne({ select: ['id'], where: { documentId: organisation.documentId, locale: 'en' } }))
        : false;
      const inLocale = (locale: 'da' | 'en'): LocaleInput => ({
        locale,
        data: { name: ref.name },
        components: {
          affiliations:
            organisation && ref.title && (locale === 'da' || inEnglish)
              ? [
                  {
                    uid: 'people.affiliation',
                    data: { title: ref.title, kind: 'employment', current: true },
                    relations: { organisation: { uid: ORGANISATION, documentIds: [organisation.documentId] } },
                  },
                ]
              : [],
        },
      });
      // Its display fields come from the write rules (display-fields.ts), as for any new person.
      const documentId = await this.create(PERSON, [inLocale('da'), inLocale('en')]);
      found = { documentId, decision: { rule: 'new', score: 0 } };
      created = true;
      // Same name, other organisation: two people, unless an editor says otherwise.
      for (const namesake of namesakes) {
        await recordCandidate(this.knex, {
          kind: 'person',
          partnerKey: this.partnerKey,
          externalId: ref.id ?? nameKey,
          candidateDocumentId: namesake.documentId,
          documentId,
          rule: 'person-same-name-other-organisation',
          score: 0.5,
          evidence: {
            pushed: { name: ref.name, organisation: ref.organisation ?? null, organisationDocumentId: organisation?.documentId ?? null },
            existing: { name: namesake.name, organisationDocumentIds: namesake.organisations },
          },
        });
      }
    }
    await this.rememberAll('person', found.documentId, ref.id, nameKey, found.decision);
    return { documentId: found.documentId, created, decision: found.decision };
  }

  /**
   * Our people with this name (folded: case, spacing, Danish letters) known at the organisation:
   * by an affiliation (current or earlier) or by a name key an earlier push left. Without an
   * organisation, only a person known at none. The others of that name are namesakes.
   */
  private async personByNameAndOrganisation(name: string, organisationId: string | null): Promise<{ found: string | null; namesakes: Namesake[] }> {
    const wanted = personNameKey(name);
    // The last part of the surname, so "Kjær-Hansen" meets "Kjaer Hansen" (hyphens, dashes and
    // spaces are all one space in personNameKey). SQL cannot fold Danish letters: ask for it as
    // written and as spelled out.
    const last = name.trim().split(/[\s\-\u2010-\u2015]+/).filter(Boolean).pop() ?? name;
    const spellings = [...new Set([last, foldDanish(last), last.replace(/aa/gi, 'å').replace(/oe/gi, 'ø').replace(/ae/gi, 'æ')])];
    const candidates = (await this.strapi.db.query(PERSON).findMany({
      select: ['documentId', 'name'],
      where: { publishedAt: null, locale: 'da', $or: spellings.map((spelling) => ({ name: { $containsi: spelling } })) },
      populate: { affiliations: { populate: { organisation: { select: ['documentId'] } } } },
    })) as Array<{ documentId: string; name: string; affiliations?: Array<{ organisation?: { documentId: string } | null }> }>;
    const sameName = candidates.filter((person) => personNameKey(person.name) === wanted);
    if (sameName.length === 0) return { found: null, namesakes: [] };
    // Organisations an earlier push named them with: shared keys "name|organisation".
    const keys = (await this.knex(IDENTITY_TABLE)
      .select('document_id', 'external_id')
      .where({ partner_key: SHARED, kind: 'person' })
      .whereIn('document_id', sameName.map((person) => person.documentId))) as Array<{ document_id: string; external_id: string }>;
    const namesakes: Namesake[] = sameName.map((person) => {
      const organisations = new Set((person.affiliations ?? []).map((a) => a.organisation?.documentId).filter((id): id is string => Boolean(id)));
      for (const key of keys) {
        if (key.document_id !== person.documentId) continue;
        const organisation = key.external_id.slice(key.external_id.lastIndexOf('|') + 1);
        if (organisation) organisations.add(organisation);
      }
      return { documentId: person.documentId, name: person.name, organisations: [...organisations] };
    });
    const match = namesakes.find((person) => (organisationId ? person.organisations.includes(organisationId) : person.organisations.length === 0));
    return { found: match?.documentId ?? null, namesakes: match ? [] : namesakes };
  }

  /** Our venue of this name (either locale), without creating one. */
  async findVenue(ref: Pick<VenueRef, 'id' | 'name'>): Promise<string | null> {
    return (await this.venueMatch(ref))?.documentId ?? null;
  }

  private async venueMatch(ref: Pick<VenueRef, 'id' | 'name'>): Promise<{ documentId: string; decision: MatchDecision } | null> {
    const nameKey = normaliseName(ref.name);
    const known = await this.findByKeys('venue', ref.id, nameKey);
    if (known) return known;
    const rows = (await this.strapi.db.query(VENUE).findMany({
      select: ['documentId', 'name'],
      where: { name: { $eqi: ref.name.trim() } },
    })) as Array<{ documentId: string; name: string }>;
    const documentId = rows.find((row) => normaliseName(row.name) === nameKey)?.documentId;
    return documentId ? { documentId, decision: { rule: 'venue-name', score: 1 } } : null;
  }

  async venue(ref: VenueRef): Promise<ResolvedRecord> {
    const nameKey = normaliseName(ref.name);
    const existing = await this.venueMatch(ref);
    let created = false;
    let documentId = existing?.documentId ?? null;
    if (!documentId) {
      const shared = {
        code: ref.code ?? null,
        address: ref.address ?? null,
        city: ref.city ?? null,
        area: ref.area ?? null,
        latitude: ref.latitude ?? null,
        longitude: ref.longitude ?? null,
      };
      documentId = await this.create(VENUE, [
        { locale: 'da', data: { ...shared, name: ref.name } },
        { locale: 'en', data: { ...shared, name: ref.nameEn ?? ref.name } },
      ]);
      created = true;
    }
    const decision = existing?.decision ?? { rule: 'new', score: 0 };
    await this.rememberAll('venue', documentId, ref.id, nameKey, decision);
    return { documentId, created, decision };
  }

  private create(uid: UID.ContentType, locales: LocaleInput[]): Promise<string> {
    return createDocumentRows(this.strapi, this.knex as Knex.Transaction, this.writing.onCommit, uid, locales, { publish: this.writing.publish });
  }
}

/**
 * A partner's participant with a job title written into the organisation field taken out into
 * `title` ("Direktør, Dansk Erhverv" is Dansk Erhverv, title Direktør); a title the partner gave
 * in `title` wins.
 */
function withTitleApart<T extends { organisation?: string | undefined; title?: string | undefined }>(ref: T): T {
  if (!ref.organisation) return ref;
  const split = splitOrganisationTitle(ref.organisation);
  if (!split.title) return ref;
  return { ...ref, organisation: split.organisation || undefined, title: ref.title ?? split.title };
}

/** How far alike a new organisation must be to one we have for an editor to be asked. */
const SIMILAR_NAME = 0.85;
const MAX_LOOKALIKES = 5;

interface OrganisationLookalike {
  documentId: string;
  rule: 'organisation-acronym-shared' | 'organisation-same-acronym' | 'organisation-similar-name';
  score: number;
}

/**
 * Organisations a new one (no rule matched it) may still be: every one going by an acronym given
 * alone that several share ("DI"); one going by the acronym a new name comes with; and names a
 * letter or two apart ("Dansk Erhvervs" / "Dansk Erhverv"). Best first, at most MAX_LOOKALIKES.
 */
function similarOrganisations(key: OrganisationKey, index: OrganisationIndex): OrganisationLookalike[] {
  const found = new Map<string, OrganisationLookalike>();
  const add = (documentId: string, rule: OrganisationLookalike['rule'], score: number) => {
    const known = found.get(documentId);
    if (!known || known.score < score) found.set(documentId, { documentId, rule, score });
  };
  if (key.acronym) {
    for (const documentId of index.byAcronym.get(key.acronym) ?? []) add(documentId, key.name ? 'organisation-same-acronym' : 'organisation-acronym-shared', key.name ? 0.6 : 0.5);
  }
  if (key.name) {
    for (const [name, documentIds] of index.byName) {
      const score = organisationSimilarity(key, { name, acronym: null });
      if (score >= SIMILAR_NAME && score < 1) for (const documentId of documentIds) add(documentId, 'organisation-similar-name', Math.round(score * 100) / 100);
    }
  }
  return [...found.values()].sort((a, b) => b.score - a.score || a.documentId.localeCompare(b.documentId)).slice(0, MAX_LOOKALIKES);
}

interface Namesake {
  documentId: string;
  name: string;
  organisations: string[];
}

/** The acronym of an organisation's name as the partner wrote it ("KL", "CO-PI"), for its short name. */
function acronymAsWritten(name: string): string | null {
  const words = name.replace(/[(),]/g, ' ').split(/\s+/).filter(Boolean);
  const acronym = organisationKey(name).acronym;
  const written = words.find((word) => normaliseText(word).replace(/ /g, '') === acronym && /\p{Lu}.*\p{Lu}/u.test(word));
  return written && written.length <= 40 ? written : null;
}
