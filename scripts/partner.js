#!/usr/bin/env node
// @ts-check
// Partner credentials from the command line (boots the compiled app, no HTTP):
//   npm run partner:create -- --name "Folkemødet" [--organisation folkemoedet] [--publish-mode draft|publish] [--contact-email x@y.dk]
//   npm run partner:rotate -- --token-id 3 [--grace-seconds 86400]
//   npm run partner:revoke -- --token-id 3
// A new token is printed once, here; only its hash is stored. `--help` lists every option.
const path = require('path');
const { CliError, parseCommandLine, runCommand, withStrapi } = require('./lib/cli');

/** @type {import('./lib/cli').OptionSpec} */
const TOKEN_ID = { type: 'string', value: '<id>', required: true, description: 'the token, by the id printed when it was issued' };

/** @type {import('./lib/cli').CliSpec} */
const CLI = {
  name: 'partner',
  npm: 'partner',
  summary: 'Partner organisations and their API tokens (a new token is printed once).',
  commands: {
    create: {
      summary: 'a partner and its first token',
      options: {
        name: { type: 'string', value: '<name>', required: true, description: "the partner's name; its key is made from it" },
        organisation: { type: 'string', value: '<slug>', description: 'the slug of the organisation it speaks for' },
        'publish-mode': { type: 'string', value: 'draft|publish', default: 'draft', description: 'whether its events wait for an editor' },
        'contact-email': { type: 'string', value: '<email>', description: 'whom to tell about its token' },
        label: { type: 'string', value: '<text>', description: 'a note kept with the token' },
      },
    },
    rotate: {
      summary: 'a new token; the old one stays valid for the grace period',
      options: {
        'token-id': TOKEN_ID,
        'grace-seconds': { type: 'string', value: '<seconds>', default: '0', description: 'how long the old token keeps working' },
      },
    },
    revoke: { summary: 'a token stops working at once', options: { 'token-id': TOKEN_ID } },
  },
};

runCommand(CLI, async () => {
  const { command, values } = parseCommandLine(CLI, process.argv.slice(2));
  const text = (/** @type {string} */ name) => /** @type {string | undefined} */ (values[name]);
  if (command === 'create' && !['draft', 'publish'].includes(text('publish-mode') ?? '')) {
    throw new CliError(`create: --publish-mode is draft or publish, not "${text('publish-mode')}"`, { showUsage: true, command });
  }
  if (command !== 'create' && !/^\d+$/.test(text('token-id') ?? '')) throw new CliError(`${command}: --token-id is a number`, { showUsage: true, command });
  if (command === 'rotate' && !/^\d+$/.test(text('grace-seconds') ?? '')) throw new CliError('rotate: --grace-seconds is a whole number', { showUsage: true, command });

  await withStrapi(async (strapi, app) => {
    const tokens = strapi.service('api::partner.partner-token');
    if (command === 'create') {
      const { slugify } = require(path.join(app.distDir, 'src/lib/slug/index.js'));
      const partner = await strapi.db.query('api::partner.partner').create({
        data: {
          name: text('name'),
          key: slugify(text('name')),
          organisationSlug: text('organisation') ?? null,
          publishMode: text('publish-mode'),
          contactEmail: text('contact-email') ?? null,
        },
      });
      const issued = await tokens.issue(partner.id, text('label') ?? 'created by CLI');
      console.log(`partner "${partner.name}" (id ${partner.id}), token id ${issued.tokenId}:`);
      console.log(issued.token);
      console.log('Store it now: it is not shown again.');
    } else if (command === 'rotate') {
      const issued = await tokens.rotate(Number(text('token-id')), Number(text('grace-seconds')));
      console.log(`new token id ${issued.tokenId} (old one valid for ${text('grace-seconds')} s more):`);
      console.log(issued.token);
    } else {
      await tokens.revoke(Number(text('token-id')));
      console.log(`token ${text('token-id')} revoked`);
    }
  });
});
