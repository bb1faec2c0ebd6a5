/**
 * Where webhooks may go. Subscription URLs come from partners, so without a check a partner
 * could make our server POST into our own network (127.0.0.1, the cloud metadata address
 * 169.254.169.254, a database port). Every delivery therefore connects only to public
 * addresses: the check runs on the address the connection actually uses (a DNS lookup hook on
 * the HTTP agent), so a name that resolves to a private address, or re-resolves to one later
 * (DNS rebinding), is refused too. `WEBHOOK_ALLOW_PRIVATE_TARGETS=true` (config/webhooks.ts) lifts
 * it for local development and tests, whose receivers listen on 127.0.0.1.
 */
import { lookup, type LookupAddress, type LookupOptions } from 'dns';
import { BlockList, isIP } from 'net';
import { Agent } from 'undici';
import type { WebhookConfig } from '../../../config/webhooks';

const privateRanges = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv6');
}

/**
 * The running app's setting, through the global `strapi`: the subscription schema and the agent's
 * DNS hook are module-level and get no instance. Without an app (nothing booted) the answer is
 * no, the safe side.
 */
export const privateTargetsAllowed = (): boolean =>
  (globalThis.strapi as typeof strapi | undefined)?.config.get<WebhookConfig['allowPrivateTargets']>('webhooks.allowPrivateTargets') === true;

/** True for loopback, private, link-local, shared, multicast and reserved addresses (and non-IPs). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return privateRanges.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    return mapped ? privateRanges.check(mapped[1]!, 'ipv4') : privateRanges.check(address, 'ipv6');
  }
  return true;
}

/** Why a URL's host may not receive webhooks, judged without DNS; null when it may. */
export function refusedHost(url: string): string | null {
  if (privateTargetsAllowed()) return null;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point at this machine (localhost)';
  if (isIP(host) && isPrivateAddress(host)) return 'must point at a public address, not a private or local one';
  return null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that fails for private addresses: used for every connection the agent opens. */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const list = addresses as LookupAddress[];
    const refused = privateTargetsAllowed() ? undefined : list.find((entry) => isPrivateAddress(entry.address));
    if (refused) {
      const denial = Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATETARGET' });
      return callback(denial, []);
    }
    if (options.all) return callback(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
}

/** The HTTP agent deliveries go through. */
export const webhookAgent = new Agent({ connect: { lookup: publicOnlyLookup as never } });
