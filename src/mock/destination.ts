import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns';
import { parseIp } from '../evaluate/index.ts';

/** Whether a notification may go to a URL, and why not. */
export type DestinationVerdict =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: false; readonly reason: string };

/** Whether a name is `localhost` or ends in `.localhost` (RFC 6761: always this machine's loopback). */
export function isLocalhostName(host: string): boolean {
  const lower = host.toLowerCase().replace(/\.$/, '');
  return lower === 'localhost' || lower.endsWith('.localhost');
}

/** Whether a host name or address is this machine's loopback (127.0.0.0/8, ::1, localhost names). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isLocalhostName(bare)) return true;
  const ip = parseIp(bare);
  return ip !== undefined && ip.range() === 'loopback';
}

/** The loopback addresses a `localhost` name stands for, IPv4 first. */
const LOOPBACK_ADDRESSES: readonly LookupAddress[] = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
];

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for sockets: `localhost` names resolve to the loopback addresses here, without asking a DNS
 * resolver (which may answer anything for them); every other name resolves as usual. With it, a destination
 * judged loopback by its name is connected to on loopback.
 */
export function loopbackLookup(
  hostname: string,
  options: LookupOneOptions | LookupAllOptions,
  callback: LookupCallback,
): void {
  if (!isLocalhostName(hostname)) {
    dnsLookup(hostname, options as LookupAllOptions, callback as never);
    return;
  }
  const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
  const fitting = LOOPBACK_ADDRESSES.filter((a) => !family || a.family === family);
  const first = fitting[0] as LookupAddress;
  process.nextTick(() => {
    if (options.all) callback(null, [...fitting]);
    else callback(null, first.address, first.family);
  });
}

/**
 * Check a notify URL: http(s) only, and loopback unless the tenant file lists the host in `notify.allowHosts`
 * (so a mock run in CI cannot be turned into a request relay).
 */
export function checkDestination(url: string, allowHosts: readonly string[]): DestinationVerdict {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: `protocol ${parsed.protocol} is not http or https` };
  }
  if (isLoopbackHost(parsed.hostname)) return { ok: true, url: parsed };
  const host = parsed.hostname.toLowerCase();
  if (allowHosts.some((h) => h.toLowerCase() === host)) return { ok: true, url: parsed };
  return { ok: false, reason: `host ${parsed.hostname} is not loopback and not in notify.allowHosts` };
}
