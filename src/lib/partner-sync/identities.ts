/**
 * Finds our person, organisation or venue for a partner's reference, or creates it, so two
 * partners naming the same person end with one person. Keys, in order:
 * 1. the partner's own id for it, if it gave one before (`partner_identities`, per partner);
 * 2. a shared name key (`partner_identities` with partner `*`): normalised name, and for people
 *    the organisation they were named with;
 * 3. our existing records: organisations by name, short name or alias ("CO-PI" is "Center for
 *    Offentlig-Privat Innovation"), people by name and current organisation, venues by name.
 * Whatever was found or made is remembered under all its keys for the next push.
 * Records are created in both locales, since relations are per locale.
 */
import type { Core, UID } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { OrganisationRef, ParticipantRef, VenueRef } from './payload';

export const IDENTITY_TABLE = 'partner_identities';
/** The partner key under which shared name keys are kept. */
const SHARED = '*';

const PERSON = 'api::person.person';
const ORGANISATION = 'api::organisation.organisation';
const VENUE = 'api::venue.venue';

type Kind = 'person' | 'organisation' | 'venue';

/** Lower case, no accents or punctuation, single spaces: "  Mette  Harbo." is "mette harbo". */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export interface ResolvedRecord {
  documentId: string;
  /** True when this push created it (so the push may publish it). */
  created: boolean;
}

export class IdentityResolver {
  /** Organisations by every normalised name they go by; loaded once per resolver. */
  private organisationNames: Map<string, string> | null = null;
  /** Keys read in this push and found pointing at a live record: no need to write them again. */
  private readonly confirmed = new Set<string>();

  /** `knex` is the caller's transaction: the records and their keys commit together. */
  constructor(
    private readonly strapi: Core.Strapi,
    private readonly knex: Knex,
    private readonly partnerKey: string,
  ) {}

  private async lookup(partnerKey: string, kind: Kind, key: string): Promise<string | null> {
    const row = await this.knex(IDENTITY_TABLE)
      .select('document_id')
      .where({ partner_key: partnerKey, kind, external_id: key })
      .first();
    if (!row) return null;
    // The record may have been deleted in the admin since: then the key is stale.
    const uid = { person: PERSON, organisation: ORGANISATION, venue: VENUE }[kind] as UID.ContentType;
    const exists = await this.strapi.db.query(uid).findOne({ select: ['id'], where: { documentId: row.document_id } });
    if (!exists) return null;
    this.confirmed.add(`${partnerKey}|${kind}|${key}|${row.document_id}`);
    return row.document_id;
  }

  private async remember(partnerKey: string, kind: Kind, key: string, documentId: string): Promise<void> {
    if (this.confirmed.has(`${partnerKey}|${kind}|${key}|${documentId}`)) return;
    await this.knex(IDENTITY_TABLE)
      .insert({ partner_key: partnerKey, kind, external_id: key, document_id: documentId })
      .onConflict(['partner_key', 'kind', 'external_id'])
      .merge(['document_id']);
  }

  private async rememberAll(kind: Kind, documentId: string, ownId: string | undefined, nameKey: string): Promise<void> {
    if (ownId) await this.remember(this.partnerKey, kind, ownId, documentId);
    await this.remember(SHARED, kind, nameKey, documentId);
  }

  private async findByKeys(kind: Kind, ownId: string | undefined, nameKey: string): Promise<string | null> {
    return (ownId ? await this.lookup(this.partnerKey, kind, ownId) : null) ?? (await this.lookup(SHARED, kind, nameKey));
  }

  async organisation(ref: OrganisationRef | { name: string; id?: undefined; website?: undefined }): Promise<ResolvedRecord> {
    const nameKey = normaliseName(ref.name);
    let documentId = await this.findByKeys('organisation', ref.id, nameKey);
    if (!documentId) documentId = (await this.organisationsByName()).get(nameKey) ?? null;
    let created = false;
    if (!documentId) {
      const data = { name: ref.name, kind: 'other', website: ref.website ?? null };
      documentId = await this.createInBothLocales(ORGANISATION, data, data);
      this.organisationNames?.set(nameKey, documentId);
      created = true;
    }
    await this.rememberAll('organisation', documentId, ref.id, nameKey);
    return { documentId, created };
  }

  /** Organisations by name (either locale), short name and aliases. */
  private async organisationsByName(): Promise<Map<string, string>> {
    if (this.organisationNames) return this.organisationNames;
    const rows = (await this.strapi.db.query(ORGANISATION).findMany({
      select: ['documentId', 'name', 'shortName', 'aliases'],
      where: { publishedAt: null },
    })) as Array<{ documentId: string; name: string; shortName: string | null; aliases: unknown }>;
    const names = new Map<string, string>();
    for (const row of rows) {
      const aliases = Array.isArray(row.aliases) ? row.aliases.filter((alias): alias is string => typeof alias === 'string') : [];
      for (const name of [row.name, row.shortName, ...aliases]) {
        if (name && !names.has(normaliseName(name))) names.set(normaliseName(name), row.documentId);
      }
    }
    this.organisationNames = names;
    return names;
  }

  async person(ref: ParticipantRef): Promise<ResolvedRecord & { organisationCreated: string | null }> {
    const organisation = ref.organisation ? await this.organisation({ name: ref.organisation }) : null;
    const nameKey = `${normaliseName(ref.name)}|${organisation?.documentId ?? ''}`;
    let documentId = await this.findByKeys('person', ref.id, nameKey);
    if (!documentId) documentId = await this.personByNameAndOrganisation(ref.name, organisation?.documentId ?? null);
    let created = false;
    if (!documentId) {
      // An affiliation needs a title; without one the organisation is still part of the key.
      const affiliations = (locale: 'da' | 'en') =>
        organisation && ref.title ? [{ title: ref.title, organisation: organisation.documentId, kind: 'employment', current: true }] : [];
      documentId = await this.createInBothLocales(
        PERSON,
        { name: ref.name, affiliations: affiliations('da') },
        { name: ref.name, affiliations: affiliations('en') },
      );
      created = true;
    }
    await this.rememberAll('person', documentId, ref.id, nameKey);
    return { documentId, created, organisationCreated: organisation?.created ? organisation.documentId : null };
  }

  /** Our people with this name (any case and spacing) and a current affiliation with the organisation. */
  private async personByNameAndOrganisation(name: string, organisationId: string | null): Promise<string | null> {
    const wanted = normaliseName(name);
    const candidates = (await this.strapi.db.query(PERSON).findMany({
      select: ['documentId', 'name'],
      where: { publishedAt: null, locale: 'da', name: { $containsi: name.trim().split(/\s+/).pop() } },
      populate: { affiliations: { populate: { organisation: { select: ['documentId'] } } } },
    })) as Array<{ documentId: string; name: string; affiliations?: Array<{ current?: boolean; organisation?: { documentId: string } | null }> }>;
    const match = candidates.find((person) => {
      if (normaliseName(person.name) !== wanted) return false;
      const organisations = (person.affiliations ?? []).filter((a) => a.current !== false).map((a) => a.organisation?.documentId);
      return organisationId ? organisations.includes(organisationId) : organisations.length === 0;
    });
    return match?.documentId ?? null;
  }

  async venue(ref: VenueRef): Promise<ResolvedRecord> {
    const nameKey = normaliseName(ref.name);
    let documentId = await this.findByKeys('venue', ref.id, nameKey);
    if (!documentId) {
      const rows = (await this.strapi.db.query(VENUE).findMany({
        select: ['documentId', 'name'],
        where: { locale: 'da', name: { $eqi: ref.name.trim() } },
      })) as Array<{ documentId: string; name: string }>;
      documentId = rows.find((row) => normaliseName(row.name) === nameKey)?.documentId ?? null;
    }
    let created = false;
    if (!documentId) {
      const shared = { address: ref.address ?? null, city: ref.city ?? null, area: ref.area ?? null, latitude: ref.latitude ?? null, longitude: ref.longitude ?? null };
      documentId = await this.createInBothLocales(VENUE, { ...shared, name: ref.name }, { ...shared, name: ref.nameEn ?? ref.name });
      created = true;
    }
    await this.rememberAll('venue', documentId, ref.id, nameKey);
    return { documentId, created };
  }

  private async createInBothLocales(uid: UID.ContentType, da: Record<string, unknown>, en: Record<string, unknown>): Promise<string> {
    const documents = this.strapi.documents(uid);
    const created = await documents.create({ locale: 'da', data: da as any });
    await documents.update({ documentId: created.documentId, locale: 'en', data: en as any });
    return created.documentId;
  }
}
