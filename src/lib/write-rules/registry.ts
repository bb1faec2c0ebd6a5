/**
 * One registry of the rules every write of a document obeys, whichever way it is written:
 * - the Document Service (editors, REST, GraphQL, the seed, partner updates): the `write-rules`
 *   middleware runs them (document-service.ts);
 * - the bulk writer (src/api/partner/sync/document-writer.ts), which inserts a partner's new
 *   documents in one pass instead of create + update + publish.
 * A rule is plain functions over the data of the document being written, one entry per locale
 * (`DocumentWrite`), with a name and the write paths it applies to. Both paths run every rule
 * through `runWrite`, so a rule added here reaches both; a rule that names one path only is
 * refused when it is registered (at boot), since both paths write the same documents.
 *
 * The features register their rules (src/index.ts); this folder imports none of them. How to add
 * one: docs/write-rules.md.
 */
import type { Core, UID } from '@strapi/strapi';
import type { Knex } from 'knex';
import { WRITE_RULES, type WriteRuleName } from './order';

export const WRITE_PATHS = ['document-service', 'bulk-writer'] as const;
export type WritePath = (typeof WRITE_PATHS)[number];

/** The Document Service's writes. The bulk writer's is always a `create` (of a new document, published too when it publishes). */
export const WRITE_ACTIONS = ['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft'] as const;
export type WriteAction = (typeof WRITE_ACTIONS)[number];
export const isWriteAction = (action: string): action is WriteAction => (WRITE_ACTIONS as readonly string[]).includes(action);

/** Strapi's `onCommit` (from `strapi.db.transaction`). */
export type OnCommit = (callback: () => void) => void;

/** One locale of the document being written, as the write gives it. A rule may complete `data`. */
export interface LocaleData {
  locale: string;
  data: Record<string, unknown>;
}

/** A published row of a document: what the public can see of it in one locale. */
export interface PublishedVersion {
  id: number;
  locale: string;
  updatedAt: string | Date | null;
}

/** A write, as each path describes it to the rules. */
export interface DocumentWrite {
  readonly strapi: Core.Strapi;
  readonly path: WritePath;
  readonly uid: UID.ContentType;
  readonly action: WriteAction;
  /** The document the write names; unset for a create (the bulk writer's new documents included). */
  readonly documentId: string | undefined;
  /**
   * The data written, per locale: one locale for the Document Service's create and update, every
   * locale of the new document for the bulk writer, none for a write without data (publish, delete…).
   */
  readonly versions: LocaleData[];
  /** Runs `work` in one transaction with the write (the caller's, when there is one). */
  transaction<T>(work: (transaction: { trx: Knex.Transaction; onCommit: OnCommit | undefined }) => Promise<T>): Promise<T>;
  /** The document's published rows, by locale, as they are now: before the write, or after it. */
  publishedVersions(documentId: string): Promise<Map<string, PublishedVersion>>;
}

/** A relation read for derived fields: the target's fields to read. */
export interface RelationRead {
  select: readonly string[];
}

/**
 * Fields of a stored row worked out from the row and what it links to (a person's display name).
 * The Document Service path reads each row of the document after the write (`select`, `populate`,
 * as Strapi's query engine takes them) and updates the rows whose fields differ; the bulk writer
 * builds the same shape from the rows it is about to insert (the data given, its components, the
 * target rows it links) and inserts them with the fields set.
 */
export interface DerivedFields {
  /** The fields it sets: text, where a stored null counts as ''. */
  fields: readonly string[];
  /** The row's own fields it reads. */
  select: readonly string[];
  /** Relations it reads: a relation field, or a component field and the component's relations. */
  populate: Record<string, RelationRead | { populate: Record<string, RelationRead> }>;
  compute(row: Record<string, unknown>): Record<string, string>;
}

export interface WriteRule {
  /** Its name in WRITE_RULES (order.ts), which gives its place. */
  name: WriteRuleName;
  /** The write paths it runs on: all of WRITE_PATHS. */
  paths: readonly WritePath[];
  /** The actions it runs for. */
  actions: readonly WriteAction[];
  /** The content types it runs for. */
  appliesTo(strapi: Core.Strapi, uid: string): boolean;
  /** Before anything is written: check each locale's data (throw a ValidationError naming the field) or complete it. */
  prepare?(write: DocumentWrite): void | Promise<void>;
  /** Around the write and the rules after it: `next()` writes, and answers the document's documentId. */
  around?(write: DocumentWrite, next: () => Promise<string | undefined>): Promise<void>;
  derive?: DerivedFields;
}

/** What a path ran, for one write (tests compare the two paths). */
export interface RuleRun {
  path: WritePath;
  uid: string;
  action: WriteAction;
  rules: WriteRuleName[];
}

export class WriteRules {
  private readonly rules: WriteRule[] = [];
  private readonly listeners = new Set<(run: RuleRun) => void>();

  constructor(private readonly strapi: Core.Strapi) {}

  /** Adds a rule in its place in WRITE_RULES; refuses one for some paths only, one not listed there, and one already there. */
  register(rule: WriteRule): void {
    checkRule(rule);
    if (this.rules.some((registered) => registered.name === rule.name)) throw new Error(`write rule "${rule.name}" is registered twice`);
    const place = WRITE_RULES.indexOf(rule.name);
    const index = this.rules.findIndex((registered) => WRITE_RULES.indexOf(registered.name) > place);
    this.rules.splice(index === -1 ? this.rules.length : index, 0, rule);
  }

  /** The registered rules' names, in the order they run. */
  names(): WriteRuleName[] {
    return this.rules.map((rule) => rule.name);
  }

  /** The rules a write runs, in order; the listeners hear of it. */
  forWrite(path: WritePath, uid: string, action: WriteAction): WriteRule[] {
    const rules = this.rules.filter((rule) => rule.paths.includes(path) && rule.actions.includes(action) && rule.appliesTo(this.strapi, uid));
    if (rules.length > 0) for (const listener of this.listeners) listener({ path, uid, action, rules: rules.map((rule) => rule.name) });
    return rules;
  }

  /** Hears of every write's rules (tests/write-rules); returns the way to stop. */
  onRun(listener: (run: RuleRun) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const REGISTRIES = new WeakMap<Core.Strapi, WriteRules>();

/** This app's registry. */
export function writeRules(strapi: Core.Strapi): WriteRules {
  let registry = REGISTRIES.get(strapi);
  if (!registry) REGISTRIES.set(strapi, (registry = new WriteRules(strapi)));
  return registry;
}

/** A rule runs on every write path, and has its place in WRITE_RULES. */
function checkRule(rule: WriteRule): void {
  const missing = WRITE_PATHS.filter((path) => !rule.paths.includes(path));
  if (missing.length > 0) {
    throw new Error(
      `write rule "${rule.name}" does not run on ${missing.join(', ')}: every rule runs on every write path (${WRITE_PATHS.join(', ')}), since each writes the same documents; narrow it with appliesTo/actions instead`,
    );
  }
  // (The type says so too; this is for a name that got past it.)
  if (!(WRITE_RULES as readonly string[]).includes(rule.name)) {
    throw new Error(`write rule "${rule.name}": not in WRITE_RULES (src/lib/write-rules/order.ts); add its name there, in the place it must run`);
  }
}

/** Registers the app's rules, one per name of WRITE_RULES (src/index.ts, at register): all of them, or none if one is refused. */
export function registerWriteRules(strapi: Core.Strapi, rules: Record<WriteRuleName, WriteRule>): void {
  for (const name of WRITE_RULES) {
    checkRule(rules[name]);
    if (rules[name].name !== name) throw new Error(`write rule "${rules[name].name}" is given as "${name}"`);
  }
  for (const name of WRITE_RULES) writeRules(strapi).register(rules[name]);
}

/**
 * Runs one write with its rules: every rule's `prepare` in order, then the rules' `around`s, each
 * wrapping the ones after it, around `writeRows` (which writes and answers the documentId);
 * `after` runs for each rule once the rules after it and the write are done.
 */
export async function runWrite(
  rules: readonly WriteRule[],
  write: DocumentWrite,
  writeRows: () => Promise<string | undefined>,
  after?: (rule: WriteRule, documentId: string | undefined) => Promise<void>,
): Promise<void> {
  for (const rule of rules) await rule.prepare?.(write);
  const layer = async (index: number): Promise<string | undefined> => {
    const rule = rules[index];
    if (!rule) return writeRows();
    let called = false;
    let documentId: string | undefined;
    const next = async () => {
      if (called) throw new Error(`write rule "${rule.name}" called next() twice`);
      called = true;
      return (documentId = await layer(index + 1));
    };
    if (rule.around) await rule.around(write, next);
    else await next();
    if (!called) throw new Error(`write rule "${rule.name}" did not call next(): nothing was written`);
    await after?.(rule, documentId);
    return documentId;
  };
  await layer(0);
}
