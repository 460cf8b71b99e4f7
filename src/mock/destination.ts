import { parseIp } from '../evaluate/ip.ts';

/** Whether a notification may go to a URL, and why not. */
export type DestinationVerdict =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: false; readonly reason: string };

/** Whether a host name or address is this machine's loopback (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const lower = bare.toLowerCase();
  if (lower === 'localhost' || lower.endsWith('.localhost')) return true;
  const ip = parseIp(bare);
  return ip !== undefined && ip.range() === 'loopback';
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
