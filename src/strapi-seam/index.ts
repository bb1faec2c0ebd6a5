/**
 * Every place this app reaches into Strapi's internals (or into knex or the HTTP server Strapi
 * made), one file per patch in this folder. Each checks its target's shape before it touches
 * it and throws a SeamError at boot when the shape changed (./seam.ts). The list below is what
 * docs/upgrading-strapi.md and tests/strapi-seam/ go through; a new patch is added here too.
 */
export { SeamError, installedPatches, strapiVersion } from './seam';

export interface SeamPatch {
  /** The patch's name: its file (`src/strapi-seam/<name>.ts`) and the name a SeamError gives. */
  name: string;
  /** What it reaches into. */
  target: string;
  /** The feature that needs it. */
  usedBy: string;
  why: string;
  /** The upstream issue or pull request, or 'none found'. */
  upstream: string;
  /** What would let it go. */
  drop: string;
}

export const PATCHES: readonly SeamPatch[] = [
  {
    name: 'signal-handlers',
    target: "process.listeners('SIGTERM' | 'SIGINT'): Strapi's `terminateStrapi` (@strapi/core utils/signals.js), removed",
    usedBy: 'src/lib/lifecycle/drain.ts',
    why: "Strapi's handler destroys every socket at once; the drain lets requests in flight finish first.",
    upstream: 'https://github.com/strapi/strapi/issues/5912 (graceful shutdown, closed without an option)',
    drop: 'When Strapi drains on a signal itself, or has an option to leave signals alone: drainOnSignal then installs its handler only.',
  },
  {
    name: 'knex-transaction',
    target: '`strapi.db.connection.transaction` (knex), redefined; `commit` of each transaction taken without a callback, wrapped',
    usedBy: 'src/lib/db/commit.ts',
    why: 'knex never rejects `trx.commit()` when the COMMIT fails; Strapi would answer 2xx for a write that never committed. The same wrapper places bulk-written links just before the COMMIT (src/lib/db/document-rows.ts, placeLinksBeforeCommit).',
    upstream: 'https://github.com/knex/knex/issues/3847 and https://github.com/knex/knex/issues/3370',
    drop: 'When knex rejects a failed explicit commit (or Strapi awaits `trx.executionPromise`) and the links are placed elsewhere (each bulk writer calling placeLinksBeforeCommit last): delete the patch, keep tests/outage and tests/partner-events/link-places.',
  },
  {
    name: 'auth-authenticate',
    target: "`strapi.get('auth').authenticate(ctx, next)` (@strapi/core services/auth), wrapped",
    usedBy: 'src/lib/db/unavailable.ts',
    why: "users-permissions turns a database error during authentication into a 401; during an outage that must be a 503.",
    upstream: 'none found',
    drop: 'When an auth strategy error that is not an authentication failure reaches the error middleware: delete the wrap.',
  },
  {
    name: 'entity-manager-load',
    target: '`strapi.db.entityManager.load(uid, entity, field, params)` (@strapi/database), wrapped; `findMany` used',
    usedBy: 'src/lib/graphql/batched-relations.ts',
    why: 'The GraphQL plugin loads each relation of each item on its own (N+1); the wrap batches the loads of one tick.',
    upstream: 'https://github.com/strapi/strapi/issues/2228 (v3 dataloader, closed; nothing for v5 found)',
    drop: 'When the GraphQL plugin batches relation loads: delete the patch; tests/graphql-parity keeps the answers and counts honest.',
  },
  {
    name: 'entity-manager-count',
    target: '`strapi.db.entityManager.count(uid, params)` (@strapi/database), wrapped; `createQueryBuilder(uid).init(…).getKnexQuery()` used',
    usedBy: 'src/lib/http/list-total.ts (public lists), src/features/editorial/admin/search-total.ts (the admin list\'s search)',
    why: "Strapi counts every list's total in full: past the list depth (10,000) a public list's count reads rows no page can reach, and a common word's admin search reads every draft.",
    upstream: 'none found (Strapi has `pagination[withCount]=false`, which drops the total instead)',
    drop: 'When Strapi can bound a count (or estimate it): use that in boundCounts (its rules stay) and delete the patch.',
  },
  {
    name: 'entity-manager-find-many',
    target: '`strapi.db.entityManager.findMany(uid, params)` (@strapi/database), wrapped; `createQueryBuilder(uid).init(…).execute()` used',
    usedBy: 'src/lib/http/ids-first.ts',
    why: "Strapi reads a page with one `select t0.* … offset` (fetching every skipped row) or `select distinct t0.* … left join` (wide rows made distinct); the page's ids come from indexes alone.",
    upstream: 'none found',
    drop: 'When Strapi reads deep pages by id first (or offers keyset pagination): delete the patch; tests/public-api/list-total.test.ts keeps the pages honest.',
  },
  {
    name: 'query-root-alias',
    target: "the alias Strapi's query builder gives the table it reads (`t0`, @strapi/database query-builder.js), read",
    usedBy: 'src/lib/i18n/fallback.ts',
    why: "A fallback list's first pages probe per row whether the document exists in the requested locale; the Document Service's filters cannot name the outer row.",
    upstream: 'none found',
    drop: 'When the Document Service can filter on "no version in locale X" (or Strapi exposes the alias): use that and delete the check.',
  },
  {
    name: 'uid-generate-field',
    target: "content-manager service 'uid' `generateUIDField({ contentTypeUID, field, data, locale })`, wrapped",
    usedBy: 'src/features/editorial/admin/slug-field.ts',
    why: "The admin's slug field slugifies its own way (\"Tør\" → \"tor\"); editors must see the slug the API saves (\"toer\").",
    upstream: 'https://github.com/strapi/strapi/pull/5614 (slugify options, v3, not carried on)',
    drop: 'When a uid field can take a custom slugify function: configure it and delete the patch.',
  },
  {
    name: 'preview-url',
    target: "content-manager service 'preview' `getPreviewUrl(uid, params)`, wrapped",
    usedBy: 'src/features/editorial/preview/link.ts',
    why: 'Strapi turns any error of the preview handler into a 400 "Failed to get preview URL"; a refusal must say why.',
    upstream: 'none found',
    drop: "When Strapi passes the handler's own 4xx errors through: delete the patch (previewLink still checks).",
  },
  {
    name: 'db-metadata',
    target: '`strapi.db.metadata` read as the Map it is (@strapi/database metadata/metadata.js): every model, not only `get(uid)`',
    usedBy: 'src/lib/db/references.ts',
    why: 'Every relation into a type (join tables, components) is found in the metadata rather than listed by hand; the bounded lists copy the join tables it names, with triggers (src/lib/shapes/bounded-list-links.ts).',
    upstream: 'none found',
    drop: 'When Strapi types or offers a way to list every model\'s metadata: use it in allModelMetadata.',
  },
  {
    name: 'search-columns',
    target: "`searchable` of the `locale` attribute in `strapi.db.metadata` (read by @strapi/database query/helpers/search.js), set false",
    usedBy: 'src/features/editorial/admin/search-indexes.ts',
    why: 'Strapi\'s `_q` also reads the locale the i18n plugin adds to every type: "da" matched every Danish row, and the OR cannot be served by indexes while one column has none (a trigram index on `locale` would be chosen for `locale = \'da\'`).',
    upstream: 'none found',
    drop: 'When Strapi leaves `locale` out of its search (or lets a schema mark a plugin\'s attribute): delete the patch; tests/admin/search-indexes keeps the plans honest.',
  },
  {
    name: 'schema-sync-hook',
    target: "`strapi.hook('strapi::content-types.beforeSync')` (@strapi/core Strapi.js, called before `db.schema.sync()`), a handler registered",
    usedBy: 'src/lib/shapes/bounded-list-links.ts',
    why: "On SQLite knex remakes a table to change a column, and a trigger naming a table that is gone breaks it: the bounded lists' triggers are dropped before the sync and made again at boot.",
    upstream: 'none found',
    drop: 'When Strapi documents a hook before its schema sync (or the bounded lists keep their order another way): register there.',
  },
  {
    name: 'query-params-and-sanitizers',
    target: "`strapi.get('query-params').transform(uid, params)` and `strapi.sanitizers.get('content-api.output')`, read",
    usedBy: 'src/lib/shapes/default-shape-reads.ts',
    why: "The default-shape fast reads convert a populate exactly as the Document Service does, and stay off while the output sanitiser has extensions they do not know.",
    upstream: 'none found',
    drop: 'When the Document Service is fast enough for default-shape lists: delete the fast path (tests/public-api keeps the answers).',
  },
  {
    name: 'http-request-listener',
    target: "Strapi's HTTP server's first 'request' listener, `handleRequest(req, res)` (@strapi/core services/server/http-server.js), moved behind the front door",
    usedBy: 'src/features/delivery/cache/front-door.ts',
    why: 'Cache hits are answered before Koa: Strapi\'s own stack caps a request at ~1,600/s on this machine.',
    upstream: 'none found',
    drop: 'When Strapi has a hook before its Koa app, or the cache lives in front of it (Varnish): delete the front door, keep the Koa half.',
  },
  {
    name: 'webhook-runner',
    target: "`strapi.get('webhookRunner').webhooksMap` (@strapi/core services/webhook-runner.js), read: which events an enabled webhook listens to",
    usedBy: 'src/lib/strapi-events/entry-events.ts',
    why: "Writes past the Document Service raise Strapi's entry.* events only while a webhook listens, so a partner push costs nothing more otherwise; only the runner knows.",
    upstream: 'none found',
    drop: 'When Strapi tells which webhook events are listened to (or every write goes through the Document Service): delete the check and raise the events always.',
  },
];
