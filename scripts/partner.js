#!/usr/bin/env node
// @ts-check
// Partner credentials from the command line (boots the compiled app, no HTTP):
//   npm run partner:create -- --name "Folkemødet" [--organisation folkemoedet] [--publish-mode draft|publish] [--contact-email x@y.dk]
//   npm run partner:rotate -- --token-id 3 [--grace-seconds 86400]
//   npm run partner:revoke -- --token-id 3
// A new token is printed once, here; only its hash is stored.
const path = require('path');
const { parseArgs } = require('util');
const { compiledApp } = require('./lib/compiled-app');

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: {
    name: { type: 'string' },
    organisation: { type: 'string' },
    'publish-mode': { type: 'string', default: 'draft' },
    'contact-email': { type: 'string' },
    'token-id': { type: 'string' },
    'grace-seconds': { type: 'string', default: '0' },
    label: { type: 'string' },
  },
});

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`partner: ${message}`);
  process.exit(2);
}

async function main() {
  if (command === undefined || !['create', 'rotate', 'revoke'].includes(command)) fail('usage: partner.js create|rotate|revoke [options]');
  if (command === 'create' && !values.name) fail('--name is required');
  if (command === 'create' && !['draft', 'publish'].includes(values['publish-mode'])) fail('--publish-mode is draft or publish');
  if (command !== 'create' && !/^\d+$/.test(values['token-id'] ?? '')) fail('--token-id is required (a number)');

  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';
  // A one-off command: the running app delivers webhooks, not this process.
  process.env.WEBHOOKS_WORKER = 'off';
  // Loaded only now: a bad argument is refused without loading Strapi (about a second).
  const { createStrapi } = require('@strapi/strapi');
  const appContext = await compiledApp(path.resolve(__dirname, '..'));
  const strapi = await createStrapi({ ...appContext, autoReload: false, serveAdminPanel: false }).load();
  try {
    const tokens = strapi.service('api::partner.partner-token');
    const { slugify } = require(path.join(appContext.distDir, 'src/lib/slug/index.js'));
    if (command === 'create') {
      const partner = await strapi.db.query('api::partner.partner').create({
        data: {
          name: values.name,
          key: slugify(values.name),
          organisationSlug: values.organisation ?? null,
          publishMode: values['publish-mode'],
          contactEmail: values['contact-email'] ?? null,
        },
      });
      const issued = await tokens.issue(partner.id, values.label ?? 'created by CLI');
      console.log(`partner "${partner.name}" (id ${partner.id}), token id ${issued.tokenId}:`);
      console.log(issued.token);
      console.log('Store it now: it is not shown again.');
    } else if (command === 'rotate') {
      const issued = await tokens.rotate(Number(values['token-id']), Number(values['grace-seconds']));
      console.log(`new token id ${issued.tokenId} (old one valid for ${values['grace-seconds']} s more):`);
      console.log(issued.token);
    } else {
      await tokens.revoke(Number(values['token-id']));
      console.log(`token ${values['token-id']} revoked`);
    }
  } finally {
    await strapi.destroy();
  }
}

main().catch((error) => {
  console.error('partner failed:', error.message);
  process.exit(1);
});
