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
// A new secret is printed once, here.
const path = require('path');
const { parseArgs } = require('util');
const { compiledApp } = require('./lib/compiled-app');

const COMMANDS = ['create', 'list', 'rotate', 'delete'];
const [command, ...rest] = process.argv.slice(2);

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`webhook: ${message}`);
  process.exit(2);
}

function parseOptions() {
  try {
    return parseArgs({
      args: rest,
      options: {
        name: { type: 'string' },
        url: { type: 'string' },
        types: { type: 'string' },
        'content-types': { type: 'string' },
        locales: { type: 'string' },
        id: { type: 'string' },
        'grace-seconds': { type: 'string' },
      },
    }).values;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}
const values = parseOptions();

/** @param {string | undefined} text */
const list = (text) => (text === undefined ? undefined : text.split(',').map((item) => item.trim()).filter(Boolean));

async function main() {
  if (command === undefined || !COMMANDS.includes(command)) fail(`usage: webhook.js ${COMMANDS.join('|')} [options]`);
  if (command === 'create' && !values.name) fail('--name is required (the integration the subscription is for)');
  if (command === 'create' && !values.url) fail('--url is required');
  if ((command === 'rotate' || command === 'delete') && !/^\d+$/.test(values.id ?? '')) fail('--id is required (a number)');
  if (values['grace-seconds'] !== undefined && !/^\d+$/.test(values['grace-seconds'])) fail('--grace-seconds is a whole number');

  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';
  // This process only manages subscriptions; the app's instances deliver.
  process.env.WEBHOOKS_WORKER = 'off';
  // Loaded only now: a bad argument is refused without loading Strapi (about a second).
  const { createStrapi } = require('@strapi/strapi');
  const appContext = await compiledApp(path.resolve(__dirname, '..'));
  /** @type {typeof import('../src/lib/webhooks/subscriptions')} */
  const webhooks = require(path.join(appContext.distDir, 'src/lib/webhooks/subscriptions.js'));
  /** @type {typeof import('../src/lib/validation/field-errors')} */
  const { fieldErrors } = require(path.join(appContext.distDir, 'src/lib/validation/field-errors.js'));
  // Loaded before the input is checked: whether a private URL is allowed is the app's setting
  // (WEBHOOK_ALLOW_PRIVATE_TARGETS, config/webhooks.ts), which only a loaded app knows.
  const strapi = await createStrapi({ ...appContext, autoReload: false, serveAdminPanel: false }).load();

  let input;
  if (command === 'create') {
    const parsed = webhooks.subscriptionInputSchema.safeParse({
      url: values.url,
      eventTypes: list(values.types),
      contentTypes: list(values['content-types']),
      locales: list(values.locales),
    });
    if (!parsed.success) {
      /** @type {Record<string, string>} */
      const option = { url: '--url', eventTypes: '--types', contentTypes: '--content-types', locales: '--locales' };
      fail(fieldErrors(parsed.error).map((e) => `${option[String(e.path[0])] ?? e.path[0]} ${e.message}`).join('; '));
    }
    input = parsed.data;
  }

  const knex = strapi.db.connection;
  try {
    if (command === 'create') {
      // Both checked above for create: --name is required, the input parsed.
      const name = /** @type {string} */ (values.name);
      const { subscription, secret } = await webhooks.createSubscription(knex, { kind: 'integration', key: name }, /** @type {NonNullable<typeof input>} */ (input));
      console.log(`webhook subscription ${subscription.id} for integration "${values.name}" -> ${subscription.url}`);
      console.log(secret);
      console.log('Store the secret now: it is not shown again.');
    } else if (command === 'list') {
      /** @type {import('../src/lib/webhooks/subscriptions').Owner | undefined} */
      const owner = values.name ? { kind: 'integration', key: values.name } : undefined;
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
      const graceSeconds = values['grace-seconds'] === undefined ? undefined : Number(values['grace-seconds']);
      const rotated = await webhooks.rotateSubscriptionSecret(knex, Number(values.id), { graceSeconds });
      if (!rotated) fail(`no webhook subscription with id ${values.id}`);
      const grace = graceSeconds ?? webhooks.DEFAULT_ROTATION_GRACE_SECONDS;
      console.log(`new secret for webhook subscription ${values.id} (the old one signs for ${grace} s more):`);
      console.log(rotated.secret);
    } else {
      if (!(await webhooks.deleteSubscription(knex, Number(values.id)))) fail(`no webhook subscription with id ${values.id}`);
      console.log(`webhook subscription ${values.id} deleted`);
    }
  } finally {
    await strapi.destroy();
  }
}

main().catch((error) => {
  console.error('webhook failed:', error.message);
  process.exit(1);
});
