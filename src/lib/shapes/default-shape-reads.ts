/**
 * Owns the fast path for reads in a type's default shape (a request naming neither `populate`
 * nor `fields`, so default-populate.ts filled in our own populate).
 *
 * Strapi validates and sanitises every query and every answer by walking them against the
 * schemas, asynchronously and key by key; for a 25-article page in the default shape that walk
 * was about half the request. What it decides does not change from request to request, so here:
 *
 * - Query: the client's own parameters (filters, sort, pagination, locale, status...) still go
 *   through Strapi's `validateQuery`/`sanitizeQuery` on every request, so bad input is the same
 *   400 as before. Our populate is validated by Strapi once (validation does not depend on who
 *   asks), and sanitised by Strapi once per set of permission decisions (which relation targets
 *   the caller may `find`); the result is reused, frozen.
 * - Answer: the same removals as Strapi's content-API output sanitiser (private fields,
 *   passwords, relations to types the caller may not `find` — admin users among them — and the
 *   users-permissions role→user rule), compiled once per schema into a table and applied in one
 *   synchronous pass. Permission decisions are asked of `strapi.auth.verify` on every request,
 *   exactly as the sanitiser does. Anything the table does not cover (a populated morph relation,
 *   an output sanitiser registered by another plugin) falls back to Strapi's own sanitiser.
 *
 * - Query execution: the Document Service validates and converts a findMany's populate on every
 *   call (three async walks of the populate tree, a fifth of the request), and the list's count
 *   carries the same populate (unused, but validated and converted too: dropped here). A findMany carrying one
 *   of the sanitised populates above (recognised by identity) fetches the page's rows through the
 *   Document Service without populate (so filters, sort, pagination, status and locale keep all
 *   of Strapi's rules), then populates those rows by id with the populate converted once, in the
 *   same transaction. The first such read of each populate also runs Strapi's whole path and
 *   compares the two answers; if they ever differ the fast path is off for that populate.
 *
 * tests/front-end/default-shape-reads.test.ts proves the answers equal Strapi's own.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Core, Modules, UID } from '@strapi/strapi';
import { contentTypes, traverse } from '@strapi/utils';
import type { Context } from 'koa';
import { contentApiOutputSanitizers, transformQueryParams } from '../../strapi-seam/query-params-and-sanitizers';
import { mayReadDrafts } from '../access/published-only';
import { attachBoundedLists, type BoundedList } from './bounded-lists';

type Model = {
  uid: string;
  attributes: Record<string, Attribute>;
  options?: { populateCreatorFields?: boolean };
};
type Attribute = { type: string; relation?: string; target?: string; component?: string; private?: boolean };
type Auth = unknown;
/** @strapi/utils' traverse options (its own Model type, which Strapi's schemas are at run time). */
type TraverseOptions = Parameters<typeof traverse.traverseQueryPopulate>[1];
type UtilsModel = TraverseOptions['schema'];
type VerifyParams = Parameters<Core.Strapi['auth']['verify']>;
/** One scope as a string, as Strapi's own content API checks pass it (its type says string[]). */
const singleScope = (scope: string) => ({ scope }) as unknown as VerifyParams[1];
type Decisions = ReadonlyMap<string, boolean>;

/** What the answer walk does with one attribute. */
type Step =
  | { kind: 'drop' }
  | { kind: 'relation'; target: string; creatorKept: boolean }
  | { kind: 'morph' }
  | { kind: 'media' }
  | { kind: 'component'; component: string }
  | { kind: 'dynamiczone' }
  | { kind: 'scalar' };

const FILE_UID = 'plugin::upload.file';
const CREATOR_FIELDS = new Set(['createdBy', 'updatedBy']);
/** The walk met something only Strapi's own sanitiser handles. */
const UNSUPPORTED = Symbol('unsupported');

/**
 * Each sanitised default populate handed to the Document Service, with its conversion for the
 * query engine per `status` (which filters nested populates too) once known: a promise once the
 * first read with that status has been checked, null when that check failed (that populate and
 * status then always take Strapi's path).
 */
type EngineQuery = { populate: unknown; filters?: unknown };
const knownPopulates = new WeakMap<object, Map<string, Promise<EngineQuery> | null>>();
/** Document Service params that reach into nested populate queries: such a read takes Strapi's path. */
const NESTED_QUERY_PARAMS = ['publicationFilter', 'hasPublishedVersion', 'fields'];

export class DefaultShapeReads {
  private readonly plans = new WeakMap<object, Map<string, Step>>();
  private readonly targetsOf = new Map<string, string[]>();
  private readonly validated = new WeakMap<object, Promise<void>>();
  private readonly sanitized = new WeakMap<object, Map<string, Promise<Record<string, unknown>>>>();
  /** Decisions per request (Strapi builds one `auth` per request and does not change it while answering). */
  private readonly asked = new WeakMap<object, Promise<Decisions>>();

  constructor(private readonly strapi: Core.Strapi) {}

  private model(uid: string): Model | undefined {
    return this.strapi.getModel(uid as UID.Schema) as Model | undefined;
  }

  /** The table for one schema: Strapi's output visitors' decisions that depend on the schema alone. */
  private plan(model: Model): Map<string, Step> {
    let plan = this.plans.get(model);
    if (plan) return plan;
    plan = new Map();
    for (const [key, attribute] of Object.entries(model.attributes)) {
      let step: Step;
      if (attribute.type === 'password' || attribute.private === true || contentTypes.isPrivateAttribute(model as UtilsModel, key)) {
        step = { kind: 'drop' };
      } else if (
        // users-permissions' output sanitiser: a role never shows its users.
        model.uid === 'plugin::users-permissions.role' &&
        attribute.type === 'relation' &&
        attribute.target === 'plugin::users-permissions.user'
      ) {
        step = { kind: 'drop' };
      } else if (attribute.type === 'relation') {
        step = String(attribute.relation).toLowerCase().startsWith('morph')
          ? { kind: 'morph' }
          : {
              kind: 'relation',
              target: attribute.target!,
              creatorKept: CREATOR_FIELDS.has(key) && !!model.options?.populateCreatorFields,
            };
      } else if (attribute.type === 'media') step = { kind: 'media' };
      else if (attribute.type === 'component') step = { kind: 'component', component: attribute.component! };
      else if (attribute.type === 'dynamiczone') step = { kind: 'dynamiczone' };
      else step = { kind: 'scalar' };
      plan.set(key, step);
    }
    this.plans.set(model, plan);
    return plan;
  }

  /** Every relation target an answer for `uid` can reach (through relations, media, components, zones). */
  targets(uid: string): string[] {
    let targets = this.targetsOf.get(uid);
    if (targets) return targets;
    const found = new Set<string>();
    const seen = new Set<string>();
    const visit = (modelUid: string) => {
      if (seen.has(modelUid)) return;
      seen.add(modelUid);
      const model = this.model(modelUid);
      if (!model) return;
      for (const [key, step] of this.plan(model)) {
        if (step.kind === 'relation') {
          found.add(step.target);
          visit(step.target);
        } else if (step.kind === 'media') visit(FILE_UID);
        else if (step.kind === 'component') visit(step.component);
        else if (step.kind === 'dynamiczone') {
          for (const component of (model.attributes[key] as { components?: string[] }).components ?? []) visit(component);
        }
      }
    };
    visit(uid);
    targets = [...found].sort();
    this.targetsOf.set(uid, targets);
    return targets;
  }

  /** Whether the caller may `find` each target, asked as Strapi's sanitiser asks it. */
  async decisions(uid: string, auth: Auth): Promise<Decisions | null> {
    if (!auth) return null;
    if (typeof auth !== 'object') return this.ask(uid, auth);
    let decisions = this.asked.get(auth);
    if (!decisions) this.asked.set(auth, (decisions = this.ask(uid, auth)));
    return decisions;
  }

  private async ask(uid: string, auth: Auth): Promise<Decisions> {
    const targets = this.targets(uid);
    const answers = await Promise.all(
      targets.map(async (target) => {
        try {
          await this.strapi.auth.verify(auth as VerifyParams[0], singleScope(`${target}.find`));
          return true;
        } catch {
          return false;
        }
      }),
    );
    return new Map(targets.map((target, i) => [target, answers[i]!]));
  }

  /** Our populate, validated by Strapi once. */
  validatePopulate(populate: object, validate: () => Promise<void>): Promise<void> {
    let done = this.validated.get(populate);
    if (!done) {
      done = validate();
      this.validated.set(populate, done);
      // A failure is not kept: the next request runs Strapi's validation again (and fails the same way).
      done.catch(() => this.validated.delete(populate));
    }
    return done;
  }

  /** Our populate as Strapi's sanitiser leaves it for callers with these permission decisions. */
  sanitizedPopulate(
    populate: object,
    decisions: Decisions | null,
    sanitize: () => Promise<Record<string, unknown>>,
  ): Promise<Record<string, unknown>> {
    let byDecisions = this.sanitized.get(populate);
    if (!byDecisions) this.sanitized.set(populate, (byDecisions = new Map()));
    const key = decisions ? [...decisions.values()].map((allowed) => (allowed ? '1' : '0')).join('') : 'no-auth';
    let result = byDecisions.get(key);
    if (!result) {
      result = sanitize().then((sanitized) => {
        knownPopulates.set(sanitized, new Map());
        return deepFreeze(sanitized);
      });
      byDecisions.set(key, result);
      result.catch(() => byDecisions!.delete(key));
    }
    return result;
  }

  /**
   * The content-API output sanitiser's answer for `data` of type `uid`, or UNSUPPORTED when only
   * Strapi's own sanitiser can say. `decisions` null means no auth (Strapi then keeps relations).
   */
  project(data: unknown, uid: string, decisions: Decisions | null): unknown {
    const model = this.model(uid);
    try {
      if (Array.isArray(data)) return data.map((item) => this.entity(item, model, decisions));
      return this.entity(data, model, decisions);
    } catch (error) {
      if (error === UNSUPPORTED) return UNSUPPORTED;
      throw error;
    }
  }

  /** One entity, as traverseEntity visits it: removals first, then into relations, media, components and zones. */
  private entity(entity: unknown, model: Model | undefined, decisions: Decisions | null): unknown {
    if (entity === null || (typeof entity !== 'object' && typeof entity !== 'function') || !model) return entity;
    // traverseEntity walks an array given as an entity by its indexes, which are not attributes: a shallow copy.
    if (Array.isArray(entity)) return [...entity];
    const plan = this.plan(model);
    const source = entity as Record<string, unknown>;
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(source)) {
      const step = plan.get(key);
      const value = source[key];
      if (!step || step.kind === 'scalar') {
        copy[key] = value;
        continue;
      }
      if (step.kind === 'drop') continue;
      if (step.kind === 'relation') {
        if (decisions && !step.creatorKept && !decisions.get(step.target)) continue;
        copy[key] = this.each(value, (item) => this.entity(item, this.model(step.target), decisions));
        continue;
      }
      if (step.kind === 'morph') {
        if (value === null || value === undefined) {
          copy[key] = value;
          continue;
        }
        throw UNSUPPORTED;
      }
      if (step.kind === 'media') {
        copy[key] = this.each(value, (item) => this.entity(item, this.model(FILE_UID), decisions));
        continue;
      }
      if (step.kind === 'component') {
        const component = this.model(step.component);
        copy[key] = this.each(value, (item) => this.entity(item, component, decisions));
        continue;
      }
      // Dynamic zone: only an array is walked; each entry by its own component (null entries pass).
      copy[key] = Array.isArray(value)
        ? value.map((entry) =>
            entry === null || entry === undefined
              ? entry
              : this.entity(entry, this.model((entry as { __component: string }).__component), decisions),
          )
        : value;
    }
    return copy;
  }

  private each(value: unknown, walk: (item: unknown) => unknown): unknown {
    if (value === null || value === undefined) return value;
    return Array.isArray(value) ? value.map(walk) : walk(value);
  }
}

type Row = { id: number; documentId: string } & Record<string, unknown>;

/**
 * Document Service middleware (DOCUMENT_MIDDLEWARES, src/lib/write-rules/order.ts): findMany
 * with a sanitised default populate, without converting that populate again on every call. See
 * the file's opening comment.
 */
export function defaultShapeFindMany(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    if (context.action !== 'findMany' && context.action !== 'count') return next();
    const params = context.params as Record<string, unknown>;
    const populate = params.populate;
    const known = populate && typeof populate === 'object' ? knownPopulates.get(populate) : undefined;
    if (known && context.action === 'count') {
      // Strapi's list counts with the list's params, populate included, which a count never uses
      // but the Document Service would validate and convert all the same.
      context.params = { ...params, populate: undefined };
      return next();
    }
    // The Document Service reads drafts when no status is given (defaultToDraft).
    const status = params.status === 'published' ? 'published' : 'draft';
    if (!known || known.get(status) === null || NESTED_QUERY_PARAMS.some((key) => params[key] !== undefined)) return next();
    const uid = context.uid as UID.ContentType;
    const fast = (engine: EngineQuery) =>
      strapi.db.transaction(async () => {
        context.params = { ...params, populate: undefined };
        const roots = (await next()) as Row[] | null;
        context.params = params;
        if (!Array.isArray(roots) || roots.length === 0) return roots;
        const rows = (await strapi.db
          .query(uid)
          .findMany({ ...(engine as object), where: { id: { $in: roots.map((root) => root.id) } } })) as Row[];
        const byId = new Map(rows.map((row) => [row.id, row]));
        return roots.map((root) => byId.get(root.id) ?? root);
      });

    let engine = known.get(status);
    if (engine === null) return next(); // the check below failed while this read waited
    if (engine === undefined) {
      // First read of this populate with this status: Strapi's whole path, and the fast one beside it to compare.
      known.set(status, (engine = engineQuery(strapi, uid, populate as object, status)));
      const strapis = await next();
      const ours = await fast(await engine);
      if (!isDeepStrictEqual(ours, strapis)) {
        known.set(status, null);
        strapi.log.warn(`default-shape reads: ${uid} (${status}) populated by id differs from the Document Service's answer; using Strapi's path`);
      }
      return strapis;
    }
    return fast(await engine);
  };
}

/** The populate as the Document Service converts it for the query engine (transformPopulate, then query-params with the status). */
async function engineQuery(strapi: Core.Strapi, uid: UID.ContentType, populate: object, status: string): Promise<EngineQuery> {
  const withDocumentIds = await traverse.traverseQueryPopulate(
    ({ attribute, key, value }, { set }) => {
      // The Document Service selects a relation's documentId whenever a populate names fields.
      if (!value || typeof value !== 'object' || attribute?.type !== 'relation') return;
      const { fields } = value as { fields?: unknown };
      if (Array.isArray(fields) && !fields.includes('documentId')) {
        set(key, { ...value, fields: [...fields, 'documentId'] });
      }
    },
    { schema: strapi.getModel(uid), getModel: strapi.getModel.bind(strapi) } as TraverseOptions,
    structuredClone(populate),
  );
  const { populate: enginePopulate, filters } = transformQueryParams(strapi, uid, { populate: withDocumentIds, status }) as EngineQuery;
  return { populate: enginePopulate, filters };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

interface BaseController {
  validateQuery(ctx: Context): Promise<void>;
  sanitizeQuery(ctx: Context): Promise<Record<string, unknown>>;
  sanitizeOutput(data: unknown, ctx: Context): Promise<unknown>;
}

/** The auth Strapi's controller helpers pass to its sanitisers: `{}` when the route has none (which then keeps no relation). */
function authOf(ctx: Context): unknown {
  return ctx.state?.auth ?? {};
}

/** The koa context with another query: Strapi's controller helpers read `ctx.query` and `ctx.state`. */
function withQuery(ctx: Context, query: Record<string, unknown>): Context {
  return Object.create(ctx, { query: { value: query, enumerable: true } });
}

/** Strapi's output sanitiser can be extended by plugins; the compiled walk knows users-permissions' only. */
function onlyKnownOutputSanitizers(strapi: Core.Strapi): boolean {
  const registered = contentApiOutputSanitizers(strapi);
  return Array.isArray(registered) && registered.length <= 1;
}

/**
 * Controller methods for a content type with a default shape: `validateQuery`, `sanitizeQuery`
 * and `sanitizeOutput` take the fast path for default-shape requests and are Strapi's own for
 * every other request. `decorate` adds what populate cannot reach to default-shape answers.
 * Used as the whole controller object (Strapi sets its prototype to the core controller, which
 * is what `super` reaches). `lists` are the shape's lists bounded to their newest items
 * (bounded-lists.ts), left out of its populate.
 */
export function defaultShapeController(
  strapi: Core.Strapi,
  uid: UID.ContentType,
  options: { decorate?: (sanitized: unknown, ctx: Context) => Promise<void>; lists?: readonly BoundedList[] } = {},
) {
  const reads = new DefaultShapeReads(strapi);
  const populateOf = (ctx: Context): object | null => {
    const populate = ctx.state?.defaultShape === true ? (ctx.query as Record<string, unknown>).populate : undefined;
    return populate && typeof populate === 'object' ? populate : null;
  };
  const withoutPopulate = (ctx: Context): Record<string, unknown> => {
    const { populate: _populate, ...rest } = ctx.query as Record<string, unknown>;
    return rest;
  };

  return {
    async validateQuery(this: BaseController, ctx: Context): Promise<void> {
      const populate = populateOf(ctx);
      if (!populate) return super.validateQuery(ctx);
      await super.validateQuery(withQuery(ctx, withoutPopulate(ctx)));
      await reads.validatePopulate(populate, () => super.validateQuery(withQuery(ctx, { populate })));
    },

    async sanitizeQuery(this: BaseController, ctx: Context): Promise<Record<string, unknown>> {
      const populate = populateOf(ctx);
      if (!populate) return super.sanitizeQuery(ctx);
      const query = await super.sanitizeQuery(withQuery(ctx, withoutPopulate(ctx)));
      const decisions = await reads.decisions(uid, authOf(ctx));
      const sanitized = await reads.sanitizedPopulate(populate, decisions, async () => {
        const only = await super.sanitizeQuery(withQuery(ctx, { populate }));
        return (only.populate ?? {}) as Record<string, unknown>;
      });
      return { ...query, populate: sanitized };
    },

    // Strapi types a controller both as Base (sanitizeOutput(data, ctx: Context)) and as Generic
    // (every member a handler (ctx, next: Next)); no parameter type but `any` satisfies both.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Strapi's controller typings clash here
    async sanitizeOutput(this: BaseController, data: unknown, ctx: any): Promise<unknown> {
      let sanitized: unknown = UNSUPPORTED;
      if (populateOf(ctx) && onlyKnownOutputSanitizers(strapi)) {
        sanitized = reads.project(data, uid, await reads.decisions(uid, authOf(ctx)));
      }
      if (sanitized === UNSUPPORTED) sanitized = await super.sanitizeOutput(data, ctx);
      if (!ctx.state?.defaultShape) return sanitized;
      if (options.lists) {
        // The read's status, for owners without drafts: drafts only for a caller that may read them and asked (published-only.ts).
        const status = ctx.query?.status === 'draft' && mayReadDrafts(ctx.state) ? 'draft' : 'published';
        await attachBoundedLists(strapi, uid, sanitized, options.lists, status, async (items, target) => {
          const decisions = await reads.decisions(uid, authOf(ctx));
          if (decisions && !decisions.get(target)) return null;
          const projected = onlyKnownOutputSanitizers(strapi) ? reads.project(items, target, decisions) : UNSUPPORTED;
          if (projected !== UNSUPPORTED) return projected as unknown[];
          return (await strapi.contentAPI.sanitize.output(items, strapi.getModel(target), { auth: authOf(ctx) })) as unknown[];
        });
      }
      await options.decorate?.(sanitized, ctx);
      return sanitized;
    },
  };
}
