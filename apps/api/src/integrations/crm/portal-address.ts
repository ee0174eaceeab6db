import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** The setting a refusal names. */
export const PORTAL_URL_FIELD = 'settings.portalWebhookUrl';

export const PRIVATE_PORTAL_REFUSED =
  'must be on a public address: loopback, link-local and private addresses are refused (PODIUM_ALLOW_PRIVATE_CRM=true allows them)';

/**
 * True for an address a CRM on the internet cannot have: loopback (127/8, ::1), private (10/8,
 * 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, fe80::/10 — cloud metadata lives
 * there), unspecified (0.0.0.0, ::), and every other special range ipaddr.js knows (multicast,
 * carrier-grade NAT, IPv4 embedded in IPv6 …): anything but ordinary unicast.
 */
export function isNonPublicAddress(address: string): boolean {
  // `process` turns ::ffff:127.0.0.1 into 127.0.0.1, so a mapped address is judged as IPv4.
  return ipaddr.process(address).range() !== 'unicast';
}

/**
 * The first non-public address `url`'s host is or resolves to, or null. A name that does not
 * resolve is not refused here: the call to it fails on its own.
 */
export async function nonPublicAddressOf(url: string): Promise<string | null> {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  if (ipaddr.isValid(host)) return isNonPublicAddress(host) ? host : null;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    return null;
  }
  return addresses.find(({ address }) => isNonPublicAddress(address))?.address ?? null;
}
