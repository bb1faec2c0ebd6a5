/**
 * Keeps two admin-only fields of a person in step with what editors type:
 * - `displayName`: "Mette Harbo (Center for IT og Medicoteknologi)", the person's name with the
 *   organisation of the first current affiliation; relation pickers show it, so editors tell two
 *   people of the same name apart;
 * - `currentAffiliation`: "Konstitueret direktør, Center for IT og Medicoteknologi", the person
 *   list's second column.
 * Both are private (never in REST or GraphQL) and read-only in the admin. They are worked out
 * after each write from the stored rows (draft and published, every locale), because relation
 * input comes in many shapes (ids, documentIds, connect/set) and the stored row says it once.
 * An organisation renamed later shows its new name at the person's next save.
 */
import type { Core, Modules } from '@strapi/strapi';

const PERSON_UID = 'api::person.person';
const WRITE_ACTIONS = new Set(['create', 'update', 'publish', 'discardDraft']);

interface StoredAffiliation {
  title?: string | null;
  current?: boolean | null;
  organisation?: { name?: string | null; shortName?: string | null } | null;
}

interface StoredPerson {
  id: number;
  name?: string | null;
  displayName?: string | null;
  currentAffiliation?: string | null;
  affiliations?: StoredAffiliation[] | null;
}

const MAX_LENGTH = 400;
const clip = (text: string) => (text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text);

export function personDisplayFields(person: Pick<StoredPerson, 'name' | 'affiliations'>): {
  displayName: string;
  currentAffiliation: string;
} {
  const name = (person.name ?? '').trim();
  const current = (person.affiliations ?? []).find((affiliation) => affiliation.current !== false);
  const organisation = current?.organisation?.name?.trim() || current?.organisation?.shortName?.trim() || '';
  const title = current?.title?.trim() ?? '';
  return {
    displayName: clip(organisation ? `${name} (${organisation})` : name),
    currentAffiliation: clip([title, organisation].filter(Boolean).join(', ')),
  };
}

export async function refreshPersonDisplayFields(strapi: Core.Strapi, documentId: string): Promise<void> {
  const rows: StoredPerson[] = await strapi.db.query(PERSON_UID).findMany({
    where: { documentId },
    select: ['id', 'name', 'displayName', 'currentAffiliation'],
    populate: { affiliations: { populate: { organisation: { select: ['name', 'shortName'] } } } },
  });
  for (const row of rows) {
    const wanted = personDisplayFields(row);
    if (wanted.displayName === (row.displayName ?? '') && wanted.currentAffiliation === (row.currentAffiliation ?? '')) continue;
    // Straight to the table: these fields are derived, not a change an editor or the change feed should see.
    await strapi.db.query(PERSON_UID).update({ where: { id: row.id }, data: wanted });
  }
}

export function personDisplayFieldsMiddleware(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    const result = await next();
    if (context.uid !== PERSON_UID || !WRITE_ACTIONS.has(context.action)) return result;
    const params = context.params as { documentId?: string };
    const documentId = params.documentId ?? (result as { documentId?: string } | null)?.documentId;
    if (documentId) await refreshPersonDisplayFields(strapi, documentId);
    return result;
  };
}
