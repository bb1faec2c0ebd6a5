#!/usr/bin/env node
// @ts-check
// `npm run contract`: boots the compiled app on a throwaway SQLite database and writes the
// public API contract (types/contract/openapi.json and schema.graphql) from what it serves.
const fs = require('fs');
const path = require('path');
const { APP_DIR, parseCommandLine, runCommand, withStrapi } = require('./lib/cli');
const { throwawaySecrets } = require('./lib/throwaway-secrets');

/** @type {import('./lib/cli').CliSpec} */
const CLI = {
  name: 'contract',
  npm: 'contract',
  summary: 'Writes the public API contract (types/contract/openapi.json and schema.graphql) from what the app serves, then the typed client.',
};

runCommand(CLI, async () => {
  parseCommandLine(CLI, process.argv.slice(2));
  const appDir = APP_DIR;
  const database = path.join(appDir, '.tmp', `contract-${process.pid}.db`);
  Object.assign(process.env, { LOG_LEVEL: 'warn', WEBHOOKS_WORKER: 'off', DATABASE_CLIENT: 'sqlite', DATABASE_URL: '', DATABASE_FILENAME: database });
  // The contract does not depend on the secrets: throwaway ones where none are set (no .env yet).
  for (const [name, value] of Object.entries(throwawaySecrets(appDir))) process.env[name] ||= value;
  try {
    await withStrapi(async (strapi, app) => {
      /** @type {typeof import('../src/contract')} */
      const contract = require(path.join(app.distDir, 'src/contract/index.js'));
      strapi.server.mount();
      const server = strapi.server.httpServer.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      const address = /** @type {import('net').AddressInfo} */ (server.address());
      const response = await fetch(`http://127.0.0.1:${address.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: contract.INTROSPECTION_QUERY }),
    });
    const introspection = /** @type {{ data: import('graphql').IntrospectionQuery }} */ (await response.json());
    server.close();

    fs.mkdirSync(path.join(appDir, contract.CONTRACT_DIR), { recursive: true });
    fs.writeFileSync(path.join(appDir, contract.OPENAPI_FILE), contract.openApiText(contract.openApiDocument(strapi)));
    fs.writeFileSync(path.join(appDir, contract.SDL_FILE), contract.sdlFromIntrospection(introspection.data));
    console.log(`contract: wrote ${contract.OPENAPI_FILE} and ${contract.SDL_FILE}`);
    });
  } finally {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(database + suffix, { force: true });
  }
});
