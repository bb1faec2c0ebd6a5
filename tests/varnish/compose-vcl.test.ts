/**
 * deploy/varnish/compose.vcl, the VCL compose.yaml mounts (issue 26, item 4): it is exactly what
 * `npm run vcl:compose` makes of default.vcl and compose.yaml (so the two VCLs cannot drift), a
 * real `varnishd -C` compiles it, its backends are the app services at their addresses on the
 * compose network, its director spreads requests over all of them, and its purge ACL lets the
 * apps' network purge and nobody else (checked in a running varnishd, the client address given
 * by the PROXY protocol). compose.yaml is read here on its own, not through the generator.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { COMPOSE_VCL, DEFAULT_VCL, generate } from '../../scripts/lib/compose-vcl';
import { freePort } from '../helpers/app-process';
import { APP_DIR } from '../helpers/paths';
import { describeWithPackage, VARNISH } from '../helpers/system-packages';

// Skipped, loudly, on a machine without Varnish; a failure under CI (../helpers/system-packages.ts).
const describeWithVarnish = describeWithPackage(VARNISH);

interface Service {
  build?: unknown;
  image?: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  networks?: Record<string, { ipv4_address?: string }> | string[];
}
interface Compose {
  services: Record<string, Service>;
  networks: Record<string, { ipam?: { config?: Array<{ subnet?: string; gateway?: string; ip_range?: string }> } }>;
}

const compose = YAML.parse(readFileSync(path.join(APP_DIR, 'compose.yaml'), 'utf8'), { merge: true }) as Compose;
const vcl = readFileSync(COMPOSE_VCL, 'utf8');
const apps = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);
const [varnishName, varnishService] = Object.entries(compose.services).find(([, service]) => service.image?.startsWith('varnish:'))!;

/** The body of `<header> { … }` in a VCL, or a failure naming what is missing. */
function block(source: string, header: string): string {
  const start = source.indexOf(`\n${header} {\n`);
  if (start < 0) throw new Error(`compose.vcl has no "${header} { … }"`);
  const body = source.slice(start + header.length + 4);
  return body.slice(0, body.indexOf('\n}\n'));
}

const ipv4 = (address: string) => address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
function inSubnet(address: string, subnet: string): boolean {
  const [base, prefix] = subnet.split('/');
  const size = 2 ** (32 - Number(prefix));
  return Math.floor(ipv4(address) / size) === Math.floor(ipv4(base!) / size);
}

describe('compose.yaml as shipped', () => {
  it('names one network with a fixed subnet and gateway, and gives every app service a fixed address on it, below the range Docker hands out', () => {
    expect(apps.map(([name]) => name)).toEqual(['app-1', 'app-2']);
    const networks = new Set(apps.flatMap(([, service]) => Object.keys(service.networks ?? {})));
    expect([...networks]).toEqual(['hub']);
    const config = compose.networks.hub?.ipam?.config ?? [];
    expect(config).toHaveLength(1);
    const { subnet, gateway, ip_range: range } = config[0]!;
    expect(subnet).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    expect(inSubnet(gateway!, subnet!)).toBe(true);
    for (const [name, service] of apps) {
      const address = (service.networks as Record<string, { ipv4_address?: string }>).hub?.ipv4_address;
      expect({ name, inSubnet: inSubnet(address!, subnet!), inDynamicRange: inSubnet(address!, range!), gateway: address === gateway }).toEqual({
        name,
        inSubnet: true,
        inDynamicRange: false,
        gateway: false,
      });
    }
    // Every other service is on the network too (the apps reach postgres, redis and varnish by name).
    for (const [name, service] of Object.entries(compose.services)) expect({ name, networks: service.networks }).toEqual({ name, networks: expect.anything() });
  });

  it('runs Varnish on the port the apps purge and the host publishes, with compose.vcl as its VCL', () => {
    const command = varnishService.command ?? [];
    const listen = command[command.indexOf('-a') + 1] ?? '';
    const port = /:(\d+)$/.exec(listen)?.[1];
    expect(command.slice(0, 2)).toEqual(['varnishd', '-F']);
    expect(command[command.indexOf('-f') + 1]).toBe('/etc/varnish/default.vcl');
    expect(varnishService.volumes).toContain('./deploy/varnish/compose.vcl:/etc/varnish/default.vcl:ro');
    expect(varnishService.ports).toEqual([`80:${port}`]);
    for (const [, service] of apps) expect(service.environment?.CACHE_PURGE_URLS).toBe(`http://${varnishName}:${port}/`);
  });
});

describe('deploy/varnish/compose.vcl', () => {
  it('is what npm run vcl:compose makes of default.vcl and compose.yaml, and differs from default.vcl only in its backends and purge ACL', () => {
    expect(vcl).toBe(generate().vcl);
    // Outside the generated header and the two blocks (with their comments), default.vcl's text.
    const strip = (source: string) =>
      source
        .replace(/^(# GENERATED[^\n]*\n(#[^\n]*\n)*\n)/, '')
        .replace(/(^#[^\n]*\n)*^(import directors;|probe app_health \{|backend \w+ \{|sub vcl_init \{|acl purgers \{)[\s\S]*?^\}\n\n?/gm, '')
        .replace(/(^#[^\n]*\n)*^sub vcl_recv \{\n {4}set req\.backend_hint = app\.backend\(\);\n\}\n\n/m, '');
    expect(strip(vcl)).toBe(strip(readFileSync(DEFAULT_VCL, 'utf8')));
  });

  it("has a backend per app service at its address and port, with default.vcl's timeouts, all in the director", () => {
    const defaults = block(readFileSync(DEFAULT_VCL, 'utf8'), 'backend default')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !/^\.(host|port) =/.test(line));
    const expected = apps.map(([name, service]) => ({
      name: name.replace(/-/g, '_'),
      host: (service.networks as Record<string, { ipv4_address?: string }>).hub!.ipv4_address,
      port: service.environment?.PORT ?? '1337',
    }));
    for (const backend of expected) {
      const body = block(vcl, `backend ${backend.name}`);
      expect(body).toContain(`.host = "${backend.host}";`);
      expect(body).toContain(`.port = "${backend.port}";`);
      expect(body).toContain('.probe = app_health;');
      for (const line of defaults) expect(body).toContain(line);
    }
    expect([...vcl.matchAll(/^backend (\w+) \{/gm)].map((match) => match[1])).toEqual(expected.map((backend) => backend.name));
    expect(block(vcl, 'sub vcl_init')).toBe(['    new app = directors.round_robin();', ...expected.map((backend) => `    app.add_backend(${backend.name});`)].join('\n'));
    // The director is chosen before default.vcl's own vcl_recv runs.
    expect(vcl.indexOf('set req.backend_hint = app.backend();')).toBeLessThan(vcl.indexOf('if (req.method == "PURGE")'));
    expect(block(vcl, 'probe app_health')).toContain('.url = "/_health";');
    expect(block(vcl, 'probe app_health')).toContain('.expected_response = 204;');
  });

  it("allows the compose network's subnet to purge, less its gateway", () => {
    const { subnet, gateway } = compose.networks.hub!.ipam!.config![0]!;
    const [address, prefix] = subnet!.split('/');
    expect(block(vcl, 'acl purgers').split('\n').map((line) => line.trim())).toEqual([`! "${gateway}";`, `"${address}"/${prefix};`]);
  });
});

describeWithVarnish('deploy/varnish/compose.vcl in varnishd', () => {
  let workDir: string;
  let varnish: ChildProcess | undefined;
  let output = '';
  let port: number;

  beforeAll(() => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'hub-compose-vcl-'));
  });
  afterAll(async () => {
    if (varnish && varnish.exitCode === null) {
      const exited = new Promise((resolve) => varnish!.once('exit', resolve));
      varnish.kill('SIGTERM');
      await exited;
    }
    rmSync(workDir, { recursive: true, force: true });
  });

  it('compiles with varnishd -C, and the compiler sees exactly the app services as backends', () => {
    const compiled = spawnSync(VARNISH.binary, ['-C', '-f', COMPOSE_VCL, '-n', path.join(workDir, 'compile')], { encoding: 'utf8' });
    // varnishd -C prints the C it made on stderr, and exits 0 only if the VCL compiled.
    expect({ status: compiled.status, error: compiled.status === 0 ? '' : compiled.stderr.slice(-2000) }).toEqual({ status: 0, error: '' });
    const endpoints = [...compiled.stderr.matchAll(/^\/\* "([\d.]+) (\d+)" -> ([\d.]+) \*\//gm)].map((match) => `${match[1]}:${match[2]}`);
    const names = [...compiled.stderr.matchAll(/\.vcl_name = "(\w+)",/g)].map((match) => match[1]);
    expect(endpoints).toEqual(apps.map(([, service]) => `${(service.networks as Record<string, { ipv4_address?: string }>).hub!.ipv4_address}:${service.environment?.PORT ?? '1337'}`));
    expect(names).toEqual(apps.map(([name]) => name.replace(/-/g, '_')));
  });

  /** A PURGE through the PROXY protocol, so that varnishd sees it come from `from`. */
  function purgeFrom(from: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(`PROXY TCP4 ${from} 10.77.0.2 40000 6081\r\nPURGE / HTTP/1.1\r\nHost: varnish\r\nxkey-purge: type:topics\r\nConnection: close\r\n\r\n`);
      });
      let reply = '';
      socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
      socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(reply)?.[1] ?? 0)));
      socket.on('error', reject);
    });
  }

  it('loads (vcl_init makes the director) and lets the apps purge, not the gateway nor anyone outside the network', async () => {
    port = await freePort();
    varnish = spawn(
      VARNISH.binary,
      // Root here: no privilege separation (the jail wants its own users and a work dir they own).
      ['-F', '-j', 'none', '-a', `127.0.0.1:${port},PROXY`, '-T', 'none', '-f', COMPOSE_VCL, '-n', path.join(workDir, 'run'), '-s', 'malloc,16m'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    varnish.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    varnish.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 20000;
    for (;;) {
      if (varnish.exitCode !== null) throw new Error(`varnishd exited with ${varnish.exitCode}:\n${output}`);
      try {
        await purgeFrom('10.77.0.11');
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`varnishd did not listen in time:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const { subnet, gateway } = compose.networks.hub!.ipam!.config![0]!;
    const addresses = apps.map(([, service]) => (service.networks as Record<string, { ipv4_address?: string }>).hub!.ipv4_address!);
    const base = subnet!.split('/')[0]!.split('.').slice(0, 3).join('.');
    const statuses: Record<string, number> = {};
    for (const from of [...addresses, `${base}.200`, gateway!, '10.78.0.11', '127.0.0.1', '203.0.113.5']) statuses[from] = await purgeFrom(from);
    // 200: purged (nothing was cached); 403: "PURGE not allowed from this address".
    expect(statuses).toEqual({
      ...Object.fromEntries(addresses.map((address) => [address, 200])),
      [`${base}.200`]: 200,
      [gateway!]: 403,
      '10.78.0.11': 403,
      '127.0.0.1': 403,
      '203.0.113.5': 403,
    });
  });
});
