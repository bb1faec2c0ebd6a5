#!/usr/bin/env node
// @ts-check
// `npm run seed`: compiles the app (when a source changed since the last build), boots Strapi without serving HTTP, loads the demo content
// (src/lib/seed/seed.ts) in Danish and English, and shuts down. Safe to run again.
const path = require('path');
const { createStrapi } = require('@strapi/strapi');
const { compiledApp } = require('./lib/compiled-app');

async function main() {
  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';
  // A one-off command: the running app delivers webhooks, not this process.
  process.env.WEBHOOKS_WORKER = 'off';
  const appContext = await compiledApp(path.resolve(__dirname, '..'));
  const strapi = await createStrapi({ ...appContext, autoReload: false, serveAdminPanel: false }).load();
  try {
    /** @type {typeof import('../src/lib/seed/seed')} */
    const { seedDemoContent } = require(path.join(appContext.distDir, 'src/lib/seed/seed.js'));
    await seedDemoContent(strapi, { log: (line) => console.log(line) });
  } finally {
    await strapi.destroy();
  }
}

main().catch((error) => {
  console.error('seed failed:', error);
  process.exit(1);
});
