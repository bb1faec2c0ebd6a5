#!/usr/bin/env node
// @ts-check
// `npm run vcl:compose`: writes deploy/varnish/compose.vcl, the VCL compose.yaml mounts, from
// deploy/varnish/default.vcl and compose.yaml (scripts/lib/compose-vcl.js). `--check` writes
// nothing and fails (exit 1) when the committed file is not what they make.
const fs = require('fs');
const path = require('path');
const { APP_DIR, CliError, parseCommandLine, runCommand } = require('./lib/cli');
const { COMPOSE_VCL, generate } = require('./lib/compose-vcl');

/** @type {import('./lib/cli').CliSpec} */
const CLI = {
  name: 'vcl:compose',
  npm: 'vcl:compose',
  summary: "Writes deploy/varnish/compose.vcl from default.vcl and compose.yaml: a director over the app services, a purge ACL for the compose network.",
  options: {
    check: { type: 'boolean', description: 'write nothing; exit 1 when compose.vcl is not what default.vcl and compose.yaml make' },
  },
};

runCommand(CLI, async () => {
  const { values } = parseCommandLine(CLI, process.argv.slice(2));
  let made;
  try {
    made = generate();
  } catch (error) {
    // compose.yaml or default.vcl lacks what compose.vcl is made from: say what, exit 2.
    throw new CliError(/** @type {Error} */ (error).message);
  }
  const { layout, vcl } = made;
  const file = path.relative(APP_DIR, COMPOSE_VCL);
  const current = fs.existsSync(COMPOSE_VCL) ? fs.readFileSync(COMPOSE_VCL, 'utf8') : null;
  const backends = layout.backends.map((backend) => `${backend.service} ${backend.host}:${backend.port}`).join(', ');
  if (values.check) {
    if (current !== vcl) throw new CliError(`${file} is not what default.vcl and compose.yaml make: run npm run vcl:compose`, { exitCode: 1 });
    console.log(`vcl:compose: ${file} is up to date (${backends}; purgers ${layout.subnet.address}/${layout.subnet.prefix})`);
    return;
  }
  if (current === vcl) {
    console.log(`vcl:compose: ${file} unchanged (${backends}; purgers ${layout.subnet.address}/${layout.subnet.prefix})`);
    return;
  }
  fs.writeFileSync(COMPOSE_VCL, vcl);
  console.log(`vcl:compose: wrote ${file} (${backends}; purgers ${layout.subnet.address}/${layout.subnet.prefix})`);
});
