/**
 * Where webhooks may go. Subscription URLs come from partners, so without a check a partner
 * could make our server POST into our own network (127.0.0.1, the cloud metadata address
 * 169.254.169.254, a database port). Deliveries therefore go only to public addresses, judged
 * twice: when subscribing (a literal host in the URL) and on every connection the HTTP agent opens
 * (connectPublicOnly: the literal host before connecting, a name's DNS answers through the lookup
 * hook, so a name that resolves, or is re-pointed later, to a private address is refused too, and
 * the socket's actual peer address before the request is written). The agent is the only way out, so a
 * redirect, were one ever followed, would be judged the same way; the worker follows none.
 *
 * Addresses are classified with ipaddr.js, not hand-written ranges. IPv6 forms that carry an IPv4
 * address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, IPv4-translated, NAT64
 * 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32) are judged by the IPv4 addresses they carry, so
 * `[::ffff:7f00:1]` or `[2002:a9fe:a9fe::]` count as 127.0.0.1 and 169.254.169.254; any other IPv6
 * address must be global unicast. `WEBHOOK_ALLOW_PRIVATE_TARGETS=true` (config/webhooks.ts) lifts
 * all of this for local development and tests, whose receivers listen on 127.0.0.1.
 */
import { lookup, type LookupAddress, type LookupOptions } from 'dns';
import { isIP } from 'net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector } from 'undici';
import type { WebhookConfig } from '../../../config/webhooks';

/**
 * The running app's setting, through the global `strapi`: the subscription schema and the agent's
 * connector are module-level and get no instance. Without an app (nothing booted) the answer is
 * no, the safe side.
 */
export const privateTargetsAllowed = (): boolean =>
  (globalThis.strapi as typeof strapi | undefined)?.config.get<WebhookConfig['allowPrivateTargets']>('webhooks.allowPrivateTargets') === true;

/** IANA's global unicast block: every IPv6 address handed out on the Internet is in it. */
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');
/** NAT64's well-known prefix, the one RFC 6052 form whose IPv4 position is fixed (the last 32 bits). */
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

const ipv4 = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

/**
 * The IPv4 addresses an IPv6 address carries, by the mechanism its range says; [] when it carries
 * none, null when it carries one we cannot locate (NAT64 under a local-use prefix, RFC 8215).
 */
export function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4[] | null {
  const [p0, p1, p2, p3, p4, p5, p6, p7] = address.parts as [number, number, number, number, number, number, number, number];
  switch (address.range()) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
    case 'rfc6145': // ::ffff:0:a.b.c.d
      return [ipv4(p6, p7)];
    case 'rfc6052': // 64:ff9b::a.b.c.d; 64:ff9b:1::/48 places it by a prefix length we do not know
      return address.match(NAT64_WELL_KNOWN) ? [ipv4(p6, p7)] : null;
    case '6to4': // 2002:aabb:ccdd::/48
      return [ipv4(p1, p2)];
    case 'teredo': // 2001:0:server:server:flags:port:~client:~client
      return [ipv4(p2, p3), ipv4(p6 ^ 0xffff, p7 ^ 0xffff)];
    default:
      // IPv4-compatible ::a.b.c.d (deprecated, but a stack may still route it). :: and ::1 land
      // here too, as 0.0.0.0 and 0.0.0.1: not public either.
      return p0 === 0 && p1 === 0 && p2 === 0 && p3 === 0 && p4 === 0 && p5 === 0 ? [ipv4(p6, p7)] : [];
  }
}

/** True only for a public unicast address; false for anything else, names and nonsense included. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return ipaddr.IPv4.parse(address).range() === 'unicast';
  if (family !== 6) return false;
  const parsed = ipaddr.IPv6.parse(address);
  const embedded = embeddedIPv4(parsed);
  if (embedded === null) return false;
  if (embedded.length > 0) return embedded.every((carried) => carried.range() === 'unicast');
  return parsed.range() === 'unicast' && parsed.match(GLOBAL_UNICAST);
}

/** True for loopback, private, link-local, shared, multicast and reserved addresses (and non-IPs). */
export const isPrivateAddress = (address: string): boolean => !isPublicAddress(address);

/** Why a URL's host may not receive webhooks, judged without DNS; null when it may. */
export function refusedHost(url: string): string | null {
  if (privateTargetsAllowed()) return null;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point at this machine (localhost)';
  if (isIP(host) && isPrivateAddress(host)) return 'must point at a public address, not a private or local one';
  return null;
}

const refusal = (message: string) => Object.assign(new Error(message), { code: 'EPRIVATETARGET' });

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that fails for private addresses: used for every connection to a name. */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const list = addresses as LookupAddress[];
    const refused = privateTargetsAllowed() ? undefined : list.find((entry) => isPrivateAddress(entry.address));
    if (refused) return callback(refusal(`${hostname} resolves to a private address`), []);
    if (options.all) return callback(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
}

const connectThroughLookup = buildConnector({ lookup: publicOnlyLookup as never });

/**
 * The agent's connector. Node's net.connect skips the lookup hook for a literal address, so a
 * literal is judged here before connecting; and whatever the route, the peer address the socket
 * ended up at is judged before the socket is handed over for the request.
 */
export const connectPublicOnly: buildConnector.connector = (options, callback) => {
  const host = options.hostname.replace(/^\[|\]$/g, '');
  if (!privateTargetsAllowed() && isIP(host) && isPrivateAddress(host)) {
    return callback(refusal(`${host} is a private address`), null);
  }
  connectThroughLookup(options, (error, socket) => {
    if (error || !socket) return callback(error ?? new Error('no socket'), null);
    const peer = socket.remoteAddress ?? '';
    if (!privateTargetsAllowed() && isPrivateAddress(peer)) {
      socket.destroy();
      return callback(refusal(`${options.hostname} connected to the private address ${peer || '(unknown)'}`), null);
    }
    return callback(null, socket);
  });
};

/** The HTTP agent deliveries go through. */
export const webhookAgent = new Agent({ connect: connectPublicOnly });
