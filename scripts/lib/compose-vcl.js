// @ts-check
// deploy/varnish/compose.vcl, made from deploy/varnish/default.vcl and compose.yaml, so the two
// VCLs cannot drift: everything but two blocks is default.vcl's text. Those two come from
// compose.yaml:
// - `backend default`: one backend per app service, at its fixed address on the compose network,
//   with default.vcl's timeouts, a probe on /_health, and a round-robin director over them;
// - `acl purgers`: the compose network's subnet, less its gateway (connections to a published
//   port can reach the container from the gateway's address, so a stranger must not purge).
// Used by scripts/compose-vcl.js (`npm run vcl:compose`) and tests/varnish/compose-vcl.test.ts.
'use strict';

const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const APP_DIR = path.resolve(__dirname, '..', '..');
const DEFAULT_VCL = path.join(APP_DIR, 'deploy', 'varnish', 'default.vcl');
const COMPOSE_VCL = path.join(APP_DIR, 'deploy', 'varnish', 'compose.vcl');
const COMPOSE_FILE = path.join(APP_DIR, 'compose.yaml');
/** Where the varnish service must mount compose.vcl: the official image loads this file. */
const VCL_MOUNT = '/etc/varnish/default.vcl';
/** The app's port in the image (Dockerfile `ENV PORT=1337`) unless a service sets PORT. */
const APP_PORT = '1337';

/**
 * @typedef {{ service: string; name: string; host: string; port: string }} Backend
 * @typedef {{ address: string; prefix: number }} Subnet
 * @typedef {{
 *   network: string;
 *   subnet: Subnet;
 *   gateway: string;
 *   backends: Backend[];
 *   varnish: { service: string; listenPort: string | null; mountsComposeVcl: boolean };
 *   purgeUrls: Record<string, string | undefined>;
 * }} ComposeLayout
 */

/** @param {string} message */
function fail(message) {
  return new Error(`compose-vcl: ${message}`);
}

/** @param {string} address @returns {number} */
function ipv4(address) {
  const parts = address.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) throw fail(`"${address}" is not an IPv4 address`);
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

/** Whether `address` is in `subnet`. @param {string} address @param {Subnet} subnet */
function inSubnet(address, subnet) {
  const size = 2 ** (32 - subnet.prefix);
  return Math.floor(ipv4(address) / size) === Math.floor(ipv4(subnet.address) / size);
}

/** @param {unknown} value @returns {Record<string, any>} */
const record = (value) => (value && typeof value === 'object' && !Array.isArray(value) ? /** @type {Record<string, any>} */ (value) : {});

/**
 * A service's environment as a record (compose takes a map or a list of NAME=value).
 * @param {Record<string, any>} service @returns {Record<string, string | undefined>}
 */
function environmentOf(service) {
  const environment = service.environment;
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((item) => String(item).split(/=(.*)/s)).map(([name, value]) => [name, value]));
  }
  return Object.fromEntries(Object.entries(record(environment)).map(([name, value]) => [name, value === null || value === undefined ? undefined : String(value)]));
}

/**
 * What compose.vcl needs of compose.yaml: the app services (those built from this project:
 * `build`), their fixed addresses on their one network, that network's subnet and gateway, and
 * the varnish service.
 * @param {string} text compose.yaml's text @returns {ComposeLayout}
 */
function composeLayout(text) {
  const compose = record(YAML.parse(text, { merge: true }));
  const services = record(compose.services);
  const apps = Object.entries(services).filter(([, service]) => record(service).build !== undefined);
  if (apps.length === 0) throw fail('compose.yaml has no app service (a service with `build`)');

  const networksOf = (/** @type {Record<string, any>} */ service) =>
    Array.isArray(service.networks) ? Object.fromEntries(service.networks.map((name) => [name, {}])) : record(service.networks);
  const networkNames = [...new Set(apps.flatMap(([, service]) => Object.keys(networksOf(service))))];
  if (networkNames.length !== 1) throw fail(`the app services must share one network, found ${networkNames.length ? networkNames.join(', ') : 'none'}`);
  const network = /** @type {string} */ (networkNames[0]);
  const configs = record(record(record(compose.networks)[network]).ipam).config;
  const config = Array.isArray(configs) && configs.length === 1 ? record(configs[0]) : {};
  const subnetMatch = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(String(config.subnet ?? ''));
  if (!subnetMatch) throw fail(`network "${network}" must have one fixed IPv4 subnet (ipam.config[0].subnet)`);
  const subnet = { address: /** @type {string} */ (subnetMatch[1]), prefix: Number(subnetMatch[2]) };
  ipv4(subnet.address);
  if (typeof config.gateway !== 'string' || !inSubnet(config.gateway, subnet)) throw fail(`network "${network}" must name its gateway (ipam.config[0].gateway) inside ${config.subnet}`);

  const backends = apps.map(([name, service]) => {
    const address = record(networksOf(record(service))[network]).ipv4_address;
    if (typeof address !== 'string' || !inSubnet(address, subnet)) {
      throw fail(`service "${name}" needs a fixed address in ${config.subnet} (networks.${network}.ipv4_address)`);
    }
    return { service: name, name: name.replace(/[^A-Za-z0-9_]/g, '_'), host: address, port: environmentOf(record(service)).PORT ?? APP_PORT };
  });

  const varnishServices = Object.entries(services).filter(([, service]) => /^varnish(:|$)/.test(String(record(service).image ?? '')));
  if (varnishServices.length !== 1) throw fail(`compose.yaml must have one varnish service, found ${varnishServices.length}`);
  const [varnishName, varnishService] = /** @type {[string, Record<string, any>]} */ (varnishServices[0]);
  const command = Array.isArray(varnishService.command) ? varnishService.command.map(String) : [];
  const listen = command.indexOf('-a') >= 0 ? command[command.indexOf('-a') + 1] : undefined;
  const volumes = Array.isArray(varnishService.volumes) ? varnishService.volumes.map(String) : [];
  return {
    network,
    subnet,
    gateway: config.gateway,
    backends,
    varnish: {
      service: varnishName,
      listenPort: listen ? (/:(\d+)$/.exec(listen)?.[1] ?? null) : null,
      mountsComposeVcl: volumes.some((volume) => volume.replace(/:ro$/, '') === `./deploy/varnish/compose.vcl:${VCL_MOUNT}`),
    },
    purgeUrls: Object.fromEntries(apps.map(([name, service]) => [name, environmentOf(record(service)).CACHE_PURGE_URLS])),
  };
}

/**
 * The block `<keyword> <name> { … }` with the comment lines right above it, or an error naming
 * what default.vcl lacks.
 * @param {string} vcl @param {string} header e.g. "backend default"
 */
function findBlock(vcl, header) {
  const escaped = header.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`((?:^#.*\\n)*)^${escaped} \\{\\n([\\s\\S]*?)^\\}\\n`, 'm').exec(vcl);
  if (!match) throw fail(`default.vcl has no \`${header} { … }\` block at the start of a line`);
  return { start: match.index, end: match.index + match[0].length, body: /** @type {string} */ (match[2]) };
}

/**
 * compose.vcl's text: default.vcl with its backend and ACL made for compose.yaml's layout.
 * @param {string} defaultVcl @param {ComposeLayout} layout @returns {string}
 */
function composeVcl(defaultVcl, layout) {
  const backend = findBlock(defaultVcl, 'backend default');
  // default.vcl's own settings (timeouts), for every app instance.
  const settings = backend.body
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^\.(host|port)\s*=/.test(line));
  const backends = [
    '# The app instances: one backend per app service of compose.yaml, at its fixed address on the',
    `# \`${layout.network}\` network (a host name would be resolved only once, when the VCL is loaded), with`,
    "# default.vcl's timeouts. An instance that does not answer /_health (204, no database) three",
    '# times in five is left out until it does (a draining one stops accepting connections).',
    'import directors;',
    '',
    'probe app_health {',
    '    .url = "/_health";',
    '    .expected_response = 204;',
    '    .interval = 2s;',
    '    .timeout = 1s;',
    '    .window = 5;',
    '    .threshold = 3;',
    '}',
    '',
    ...layout.backends.flatMap((item) => [
      `backend ${item.name} {`,
      `    .host = "${item.host}";`,
      `    .port = "${item.port}";`,
      ...settings.map((line) => `    ${line}`),
      '    .probe = app_health;',
      '}',
      '',
    ]),
    'sub vcl_init {',
    '    new app = directors.round_robin();',
    ...layout.backends.map((item) => `    app.add_backend(${item.name});`),
    '}',
    '',
    "# Runs before default.vcl's vcl_recv below (subroutines of one name run in the order written).",
    'sub vcl_recv {',
    '    set req.backend_hint = app.backend();',
    '}',
    '',
  ].join('\n');
  const withBackends = defaultVcl.slice(0, backend.start) + backends + defaultVcl.slice(backend.end);

  const acl = findBlock(withBackends, 'acl purgers');
  const purgers = [
    `# Who may send PURGE: the app instances, on compose.yaml's \`${layout.network}\` network. Not its`,
    '# gateway: a connection to a published port can reach the container from that address.',
    '# client.ip is the TCP peer.',
    'acl purgers {',
    `    ! "${layout.gateway}";`,
    `    "${layout.subnet.address}"/${layout.subnet.prefix};`,
    '}',
    '',
  ].join('\n');
  const body = withBackends.slice(0, acl.start) + purgers + withBackends.slice(acl.end);
  const header = [
    '# GENERATED by `npm run vcl:compose` (scripts/compose-vcl.js) from deploy/varnish/default.vcl and',
    '# compose.yaml: do not edit; change those and run it again (tests/varnish/compose-vcl.test.ts fails',
    '# while this file is not what they make). Only the backends and the purge ACL differ.',
    '',
    '',
  ].join('\n');
  return header + body;
}

/** The files as they are now, and what compose.vcl should be. */
function generate() {
  const layout = composeLayout(fs.readFileSync(COMPOSE_FILE, 'utf8'));
  return { layout, vcl: composeVcl(fs.readFileSync(DEFAULT_VCL, 'utf8'), layout) };
}

module.exports = { COMPOSE_FILE, COMPOSE_VCL, DEFAULT_VCL, VCL_MOUNT, composeLayout, composeVcl, generate, inSubnet };
