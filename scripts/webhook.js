#!/usr/bin/env node
// @ts-check
// Webhook subscriptions for integrations (our own systems), from the command line (boots the
// compiled app, no HTTP; partners manage theirs over /api/partner/webhooks):
//   npm run webhook:create -- --name search-index --url https://search.example.dk/hooks \
//        [--types entry.published,entry.unpublished] [--content-types events,topics] [--locales da,en]
//   npm run webhook:list [-- --name search-index]
//   npm run webhook:rotate -- --id 3 [--grace-seconds 86400]
//   npm run webhook:delete -- --id 3
// rotate and delete take any subscription id, a partner's too: this is the operator's tool.
// A new secret is printed once, here. `--help` lists every option.
const path = require('path');
const { CliError, parseCommandLine, runCommand, withStrapi } = require('./lib/cli');

/** @type {import('./lib/cli').OptionSpec} */
const ID = { type: 'string', value: '<id>', required: true, description: 'the subscription, by the id create or list printed' };

/** @type {import('./lib/cli').CliSpec} */
const CLI = {
  name: 'webhook',
  npm: 'webhook',
  summary: 'Signed webhook subscriptions for our own integrations (a new secret is printed once).',
  commands: {
    create: {
      summary: 'a subscription for an integration',
      options: {
        name: { type: 'string', value: '<integration>', required: true, description: 'the integration the subscription is for' },
        url: { type: 'string', value: '<https-url>', required: true, description: 'where deliveries are POSTed' },
        types: { type: 'string', value: '<event,...>', description: 'event types to send (default: all), e.g. entry.published,entry.unpublished' },
        'content-types': { type: 'string', value: '<type,...>', description: 'content types to send (default: all), e.g. events,topics' },
        locales: { type: 'string', value: '<locale,...>', description: 'locales to send (default: all), da and/or en' },
      },
    },
    list: {
      summary: 'every subscription, or one integration’s',
      options: { name: { type: 'string', value: '<integration>', description: 'only this integration’s subscriptions' } },
    },
    rotate: {
      summary: 'a new signing secret; the old one signs too for the grace period',
      options: {
        id: ID,
        'grace-seconds': { type: 'string', value: '<seconds>', description: 'how long the old secret keeps signing (default 86400)' },
      },
    },
    delete: { summary: 'a subscription and its pending deliveries', options: { id: ID } },
  },
};

/** @param {unknown} text */
const list = (text) => (typeof text === 'string' ? text.split(',').map((item) => item.trim()).filter(Boolean) : undefined);

runCommand(CLI, async () => {
  const { command, values } = parseCommandLine(CLI, process.argv.slice(2));
  const text = (/** @type {string} */ name) => /** @type {string | undefined} */ (values[name]);
  if ((command === 'rotate' || command === 'delete') && !/^\d+$/.test(text('id') ?? '')) throw new CliError(`${command}: --id is a number`, { showUsage: true, command });
  if (text('grace-seconds') !== undefined && !/^\d+$/.test(text('grace-seconds') ?? '')) {
    throw new CliError('rotate: --grace-seconds is a whole number', { showUsage: true, command });
  }

  // Booted before the input is checked: whether a private URL is allowed is the app's setting
  // (WEBHOOK_ALLOW_PRIVATE_TARGETS, config/webhooks.ts), which only a loaded app knows.
  await withStrapi(async (strapi, app) => {
    /** @type {typeof import('../src/lib/webhooks/subscriptions')} */
    const webhooks = require(path.join(app.distDir, 'src/lib/webhooks/subscriptions.js'));
    /** @type {typeof import('../src/lib/validation/field-errors')} */
    const { fieldErrors } = require(path.join(app.distDir, 'src/lib/validation/field-errors.js'));
    const knex = strapi.db.connection;
    if (command === 'create') {
      const parsed = webhooks.subscriptionInputSchema.safeParse({
        url: text('url'),
        eventTypes: list(values.types),
        contentTypes: list(values['content-types']),
        locales: list(values.locales),
      });
      if (!parsed.success) {
        /** @type {Record<string, string>} */
        const option = { url: '--url', eventTypes: '--types', contentTypes: '--content-types', locales: '--locales' };
        throw new CliError(`create: ${fieldErrors(parsed.error).map((e) => `${option[String(e.path[0])] ?? e.path[0]} ${e.message}`).join('; ')}`);
      }
      const name = /** @type {string} */ (text('name'));
      const { subscription, secret } = await webhooks.createSubscription(knex, { kind: 'integration', key: name }, parsed.data);
      console.log(`webhook subscription ${subscription.id} for integration "${name}" -> ${subscription.url}`);
      console.log(secret);
      console.log('Store the secret now: it is not shown again.');
    } else if (command === 'list') {
      /** @type {import('../src/lib/webhooks/subscriptions').Owner | undefined} */
      const owner = text('name') ? { kind: 'integration', key: /** @type {string} */ (text('name')) } : undefined;
      for (const subscription of await webhooks.listSubscriptions(knex, owner)) {
        const described = webhooks.describeSubscription(subscription);
        /** @param {string} name @param {string[] | null | undefined} items */
        const filter = (name, items) => (items ? ` ${name}=${items.join(',')}` : '');
        console.log(
          `${described.id}\t${subscription.owner.kind}:${subscription.owner.key}\t${described.url}` +
            `${filter('types', described.eventTypes)}${filter('content-types', described.contentTypes)}${filter('locales', described.locales)}` +
            `\tsecrets=${described.secrets.length}${described.active ? '' : '\tinactive'}`,
        );
      }
    } else if (command === 'rotate') {
      const graceSeconds = text('grace-seconds') === undefined ? undefined : Number(text('grace-seconds'));
      const rotated = await webhooks.rotateSubscriptionSecret(knex, Number(text('id')), { graceSeconds });
      if (!rotated) throw new CliError(`rotate: no webhook subscription with id ${text('id')}`);
      const grace = graceSeconds ?? webhooks.DEFAULT_ROTATION_GRACE_SECONDS;
      console.log(`new secret for webhook subscription ${text('id')} (the old one signs for ${grace} s more):`);
      console.log(rotated.secret);
    } else {
      if (!(await webhooks.deleteSubscription(knex, Number(text('id'))))) throw new CliError(`delete: no webhook subscription with id ${text('id')}`);
      console.log(`webhook subscription ${text('id')} deleted`);
    }
  });
});
