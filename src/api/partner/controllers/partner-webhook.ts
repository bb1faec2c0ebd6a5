/**
 * /api/partner/webhooks: a partner lists, creates, rotates the secret of and deletes its own
 * webhook subscriptions. Secrets are in the answer exactly once: when created or rotated.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { errors as strapiErrors } from '@strapi/utils';
import type { z } from 'zod';
import type { VerifiedPartner } from '../services/partner-token';
import {
  createSubscription,
  deleteSubscription,
  describeSubscription,
  listSubscriptions,
  rotateSubscriptionSecret,
  rotationInputSchema,
  subscriptionInputSchema,
  type Owner,
} from '../../../lib/webhooks/subscriptions';
import { fieldErrors } from '../../../lib/validation/field-errors';

const ownerOf = (ctx: Context): Owner => ({ kind: 'partner', key: (ctx.state.partner as VerifiedPartner).key });

/** A subscription id from the path, or null when it cannot be one (answered as not found). */
const idParam = (ctx: Context): number | null => (/^\d{1,9}$/.test(ctx.params.id) ? Number(ctx.params.id) : null);

/** A 400 in Strapi's ValidationError shape, one entry per bad field in details.errors. */
function invalid(error: z.ZodError): never {
  const errors = fieldErrors(error);
  const fields = [...new Set(errors.map((entry) => entry.path.join('.') || '(body)'))];
  throw new strapiErrors.ValidationError(`Invalid webhook subscription: ${fields.join(', ')}`, { errors });
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: Context) {
    const subscriptions = await listSubscriptions(strapi.db.connection, ownerOf(ctx));
    ctx.body = { data: subscriptions.map(describeSubscription) };
  },

  async create(ctx: Context) {
    const input = subscriptionInputSchema.safeParse(ctx.request.body ?? {});
    if (!input.success) return invalid(input.error);
    const { subscription, secret } = await createSubscription(strapi.db.connection, ownerOf(ctx), input.data);
    ctx.status = 201;
    ctx.body = { data: { ...describeSubscription(subscription), secret } };
  },

  async rotateSecret(ctx: Context) {
    const id = idParam(ctx);
    const input = rotationInputSchema.safeParse(ctx.request.body ?? {});
    if (!input.success) return invalid(input.error);
    const rotated = id === null ? null : await rotateSubscriptionSecret(strapi.db.connection, id, { owner: ownerOf(ctx), graceSeconds: input.data.graceSeconds });
    if (!rotated) return ctx.notFound('No such webhook subscription');
    ctx.body = { data: { ...describeSubscription(rotated.subscription), secret: rotated.secret } };
  },

  async delete(ctx: Context) {
    const id = idParam(ctx);
    if (id === null || !(await deleteSubscription(strapi.db.connection, id, ownerOf(ctx)))) {
      return ctx.notFound('No such webhook subscription');
    }
    ctx.status = 204;
  },
});
