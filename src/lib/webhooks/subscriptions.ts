/**
 * Webhook subscriptions: who receives which changes where, and the secrets that sign them.
 * One store for both owners: partners (managed over /api/partner/webhooks) and integrations
 * (managed with `npm run webhook:*`). Secrets are Standard Webhooks secrets (`whsec_<base64>`),
 * shown once when made; a rotation adds a new secret and lets the old one sign on for a grace
 * period, so a receiver can switch without missing or rejecting a message.
 */
import { randomBytes } from 'crypto';
import type { Knex } from 'knex';
import { isPostgres } from '../db/dialect';
import { z } from 'zod';
import { refusedHost } from './egress';
import { signingSecrets, type SigningSecret } from './signing';
import { PUBLIC_CONTENT_TYPES } from '../access/content-types';
import { LOCALES } from '../i18n/locales';
import type { ChangeAction } from '../sync/change-store';

export const SUBSCRIPTION_TABLE = 'webhook_subscriptions';

/** Event types are the payload's `type`: one per change-log action. */
export const EVENT_TYPES = ['entry.created', 'entry.published', 'entry.updated', 'entry.unpublished', 'entry.deleted'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
// Fails to compile when the change log gains an action this list lacks.
const _everyActionHasAnEventType: `entry.${ChangeAction}` extends EventType ? true : never = true;
void _everyActionHasAnEventType;

/** How long an old secret keeps signing after a rotation, unless the caller says otherwise. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 60 * 60;
export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 60 * 60;

export type OwnerKind = 'partner' | 'integration';
export interface Owner {
  kind: OwnerKind;
  key: string;
}

export interface Subscription {
  id: number;
  owner: Owner;
  url: string;
  /** null: every event type / content type / locale. */
  eventTypes: EventType[] | null;
  contentTypes: string[] | null;
  locales: string[] | null;
  secrets: SigningSecret[];
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

interface SubscriptionRow {
  id: number | string;
  owner_kind: OwnerKind;
  owner_key: string;
  url: string;
  event_types: string | null;
  content_types: string | null;
  locales: string | null;
  secrets: string;
  active: boolean | number;
  created_at: Date | string | number;
  updated_at: Date | string | number;
}

const parseList = <T>(text: string | null): T[] | null => (text === null ? null : (JSON.parse(text) as T[]));
const listText = (list: readonly string[] | null | undefined) => (list ? JSON.stringify(list) : null);

export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: Number(row.id),
    owner: { kind: row.owner_kind, key: row.owner_key },
    url: row.url,
    eventTypes: parseList<EventType>(row.event_types),
    contentTypes: parseList<string>(row.content_types),
    locales: parseList<string>(row.locales),
    secrets: JSON.parse(row.secrets) as SigningSecret[],
    active: Boolean(row.active),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** What an owner may see of a subscription: everything but the secrets themselves. */
export function describeSubscription(subscription: Subscription) {
  return {
    id: subscription.id,
    url: subscription.url,
    eventTypes: subscription.eventTypes,
    contentTypes: subscription.contentTypes,
    locales: subscription.locales,
    active: subscription.active,
    secrets: subscription.secrets.map(({ createdAt, expiresAt }) => ({ createdAt, expiresAt })),
    createdAt: subscription.createdAt.toISOString(),
    updatedAt: subscription.updatedAt.toISOString(),
  };
}

/** A new Standard Webhooks secret: 32 random bytes, base64, with the `whsec_` prefix. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

// --- Input --------------------------------------------------------------------------------------

/** Content types by plural API name (`events`, as in /api/events) or by uid; stored as uids. */
const CONTENT_TYPE_NAMES = new Map<string, string>(
  PUBLIC_CONTENT_TYPES.flatMap((uid) => {
    const singular = uid.split('.')[1];
    const plural = singular === 'person' ? 'people' : `${singular}s`;
    return [
      [uid, uid],
      [plural, uid],
    ];
  }),
);

const contentTypeName = z.string().transform((name, context) => {
  const uid = CONTENT_TYPE_NAMES.get(name);
  if (!uid) {
    context.addIssue({ code: 'custom', message: `unknown content type "${name}"; one of ${[...CONTENT_TYPE_NAMES.keys()].filter((n) => !n.includes('::')).join(', ')} (or its uid)` });
    return z.NEVER;
  }
  return uid;
});

const unique = <T>(list: T[] | null | undefined) => (list ? [...new Set(list)] : list);

export const subscriptionInputSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'must be an absolute http or https URL' })
    .max(2000)
    // fetch refuses URLs with credentials, and they would sit in the database in plain text.
    .refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url), 'must not contain a user name or password')
    .superRefine((url, context) => {
      const refused = URL.canParse(url) ? refusedHost(url) : null;
      if (refused) context.addIssue({ code: 'custom', message: refused });
    })
    // For the contract's JSON Schema (src/contract/), which cannot run the checks above.
    .meta({ pattern: '^https?://', description: 'an absolute http(s) URL to a public host, without a user name or password' }),
  eventTypes: z
    .array(z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(', ')}` }))
    .min(1)
    .nullish()
    .transform(unique),
  contentTypes: z.array(contentTypeName).min(1).nullish().transform(unique),
  locales: z
    .array(z.enum(LOCALES.map((locale) => locale.code) as [string, ...string[]], { error: `must be one of ${LOCALES.map((l) => l.code).join(', ')}` }))
    .min(1)
    .nullish()
    .transform(unique),
});
export type SubscriptionInput = z.input<typeof subscriptionInputSchema>;

export const rotationInputSchema = z.strictObject({
  graceSeconds: z.number().int().min(0).max(MAX_ROTATION_GRACE_SECONDS).optional(),
});

// --- Store --------------------------------------------------------------------------------------

export async function createSubscription(
  knex: Knex,
  owner: Owner,
  rawInput: SubscriptionInput,
  now = new Date(),
): Promise<{ subscription: Subscription; secret: string }> {
  // Callers with unchecked input (the CLI, tests) get the same checks and names as the API.
  const input = subscriptionInputSchema.parse(rawInput);
  const secret = newSecret();
  const secrets: SigningSecret[] = [{ secret, createdAt: now.toISOString(), expiresAt: null }];
  const [row] = await knex(SUBSCRIPTION_TABLE)
    .insert({
      owner_kind: owner.kind,
      owner_key: owner.key,
      url: input.url,
      event_types: listText(input.eventTypes),
      content_types: listText(input.contentTypes),
      locales: listText(input.locales),
      secrets: JSON.stringify(secrets),
      active: true,
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  const id = Number(typeof row === 'object' ? row.id : row);
  const subscription = await findSubscription(knex, id);
  if (!subscription) throw new Error(`webhook subscription ${id} vanished after insert`);
  return { subscription, secret };
}

/** One subscription; with an owner, only if it belongs to that owner (so others' ids look absent). */
export async function findSubscription(knex: Knex, id: number, owner?: Owner): Promise<Subscription | null> {
  const query = knex(SUBSCRIPTION_TABLE).where({ id });
  if (owner) query.where({ owner_kind: owner.kind, owner_key: owner.key });
  const row = await query.first();
  return row ? toSubscription(row) : null;
}

export async function listSubscriptions(knex: Knex, owner?: Owner): Promise<Subscription[]> {
  const query = knex(SUBSCRIPTION_TABLE).orderBy('id', 'asc');
  if (owner) query.where({ owner_kind: owner.kind, owner_key: owner.key });
  return (await query).map(toSubscription);
}

/**
 * Adds a new secret and gives every secret still open an end `graceSeconds` from now (expired
 * ones are dropped). Returns the new secret, or null when there is no such subscription.
 */
export async function rotateSubscriptionSecret(
  knex: Knex,
  id: number,
  options: { owner?: Owner; graceSeconds?: number; now?: Date } = {},
): Promise<{ subscription: Subscription; secret: string } | null> {
  const now = options.now ?? new Date();
  const graceEnd = new Date(now.getTime() + (options.graceSeconds ?? DEFAULT_ROTATION_GRACE_SECONDS) * 1000).toISOString();
  return knex.transaction(async (trx) => {
    const query = trx(SUBSCRIPTION_TABLE).where({ id });
    if (options.owner) query.where({ owner_kind: options.owner.kind, owner_key: options.owner.key });
    // Two rotations at once must not each drop the other's new secret.
    if (isPostgres(trx)) query.forUpdate();
    const row = await query.first();
    if (!row) return null;
    const current = toSubscription(row);
    const secret = newSecret();
    const secrets: SigningSecret[] = [
      ...signingSecrets(current.secrets, now).map((old) => ({ ...old, expiresAt: old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd })),
      { secret, createdAt: now.toISOString(), expiresAt: null },
    ];
    await trx(SUBSCRIPTION_TABLE).where({ id }).update({ secrets: JSON.stringify(secrets), updated_at: now });
    return { subscription: { ...current, secrets, updatedAt: now }, secret };
  });
}

/** Removes a subscription and its outbox rows. False when there is no such subscription. */
export async function deleteSubscription(knex: Knex, id: number, owner?: Owner): Promise<boolean> {
  return knex.transaction(async (trx) => {
    const query = trx(SUBSCRIPTION_TABLE).where({ id });
    if (owner) query.where({ owner_kind: owner.kind, owner_key: owner.key });
    if (!(await query.clone().first())) return false;
    // Explicit, not only ON DELETE CASCADE: SQLite enforces foreign keys only when asked to.
    await trx('webhook_deliveries').where({ subscription_id: id }).delete();
    await trx(SUBSCRIPTION_TABLE).where({ id }).delete();
    return true;
  });
}
