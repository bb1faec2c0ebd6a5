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
import { WRITE_PATHS, type WriteRule } from '../../lib/write-rules/registry';

const PERSON_UID = 'api::person.person';

interface StoredAffiliation {
  title?: string | null;
  current?: boolean | null;
  organisation?: { name?: string | null; shortName?: string | null } | null;
}

interface StoredPerson {
  name?: string | null;
  affiliations?: StoredAffiliation[] | null;
}

const MAX_LENGTH = 400;
const clip = (text: string) => (text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text);

export function personDisplayFields(person: StoredPerson): {
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

/**
 * The write rule (src/lib/write-rules/), on every write path: the Document Service's works the
 * fields out after each write from the stored rows (draft and published, every locale), the bulk
 * writer from the rows it inserts.
 */
export const personDisplayFieldsRule: WriteRule = {
  name: 'person-display-fields',
  paths: WRITE_PATHS,
  actions: ['create', 'update', 'publish', 'discardDraft'],
  appliesTo: (_strapi, uid) => uid === PERSON_UID,
  derive: {
    fields: ['displayName', 'currentAffiliation'],
    select: ['name'],
    populate: { affiliations: { populate: { organisation: { select: ['name', 'shortName'] } } } },
    compute: (row) => personDisplayFields(row as StoredPerson),
  },
};
