/**
 * Where a webhook may point: with `WEBHOOK_PRIVATE_ADDRESSES=refuse` (the default in production)
 * no loopback, private, link-local (cloud metadata services live there), shared, reserved or
 * multicast address, so a hook cannot be aimed at the service's own machine or network. Checked
 * when a hook is registered (an address, or a name that resolves to one, is BAD_USER_INPUT) and
 * again before every attempt, since a name can be pointed elsewhere later. The attempt's own
 * connection checks once more the addresses it is about to connect to (`guardedLookup`), so a name
 * that changes its answer between the check and the connection (DNS rebinding) is refused too.
 */
import dnsCallbacks from 'node:dns';
import dns from 'node:dns/promises';
import net from 'node:net';

/** `refuse`: private destinations are refused; `allow`: any destination (development, tests). */
export type PrivateAddressPolicy = 'refuse' | 'allow';

const PRIVATE = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  PRIVATE.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
] as const)
  PRIVATE.addSubnet(prefix, bits, 'ipv6');

/** Whether `address` (an IPv4 or IPv6 literal) is one a webhook may not reach. */
export function isPrivateAddress(address: string): boolean {
  const kind = net.isIP(address);
  if (kind === 4) return PRIVATE.check(address, 'ipv4');
  if (kind !== 6) return true;
  // An IPv4 address written as IPv6 (::ffff:a.b.c.d) is that IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  return PRIVATE.check(address, 'ipv6');
}

/**
 * Why `url` may not be reached under `policy`, or null when it may. A name that does not resolve
 * is not refused here (the attempt fails and is retried: the receiver may not exist yet).
 */
export async function privateDestination(
  url: string,
  policy: PrivateAddressPolicy,
  lookup: (host: string) => Promise<string[]> = resolveAll,
): Promise<string | null> {
  if (policy === 'allow') return null;
  // URL keeps an IPv6 host in brackets.
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else if (host === 'localhost' || host.endsWith('.localhost')) addresses = ['127.0.0.1'];
  else {
    try {
      addresses = await lookup(host);
    } catch {
      return null;
    }
  }
  const refused = addresses.find(isPrivateAddress);
  return refused === undefined
    ? null
    : `${host} is a private, loopback or reserved address (${refused}); WEBHOOK_PRIVATE_ADDRESSES=refuse`;
}

async function resolveAll(host: string): Promise<string[]> {
  return (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
}

/** Why a connection was refused at connect time: `code` of the error the attempt fails with. */
export const PRIVATE_AT_CONNECT = 'EPRIVATEADDRESS';

/**
 * The `lookup` for an attempt's connection under `policy`: the name is resolved as usual, and the
 * connection fails (error code `PRIVATE_AT_CONNECT`) if any address it would use is private. The
 * addresses checked are the ones the socket then connects to: no second lookup in between.
 */
export function guardedLookup(policy: PrivateAddressPolicy): net.LookupFunction | undefined {
  if (policy === 'allow') return undefined;
  return (hostname, options, callback) => {
    dnsCallbacks.lookup(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const refused = addresses.find(isPrivateAddress);
      if (refused === undefined) return callback(null, address, family);
      const error = Object.assign(
        new Error(
          `${hostname} resolved to a private, loopback or reserved address (${refused}) when connecting; WEBHOOK_PRIVATE_ADDRESSES=refuse`,
        ),
        { code: PRIVATE_AT_CONNECT },
      );
      callback(error, address, family);
    });
  };
}
